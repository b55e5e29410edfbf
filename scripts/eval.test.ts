import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../test/helpers.js';

describe('npm run eval -- --squad', () => {
  it('builds a corpus from a slice of a SQuAD file, leaves a fifth out and reports every measure', () => {
    const r = runScript('scripts/eval.ts', ['--squad', 'eval/external/cmrc2018_trial.json', '--limit', '20', '--json'], { LOG_LEVEL: 'silent' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const all = out.overall;
    for (const k of ['hit1', 'hit3', 'contains', 'answered', 'refusal', 'fidelity']) {
      expect(all[k], k).toBeGreaterThanOrEqual(0);
      expect(all[k], k).toBeLessThanOrEqual(1);
    }
    // 20 paragraphs, 4 left out: their questions are the unanswerable ones, all others answerable.
    const ood = out.items.filter((i: { type: string }) => i.type === 'ood');
    expect(ood.length).toBeGreaterThan(0);
    expect(ood.length).toBeLessThan(out.items.length);
    expect(all.fidelity).toBe(1);
    expect(all.p95_ms).toBeGreaterThan(0);
  }, 120_000);

  it('says clearly what is wrong with a file that is not SQuAD', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'baowen-squad-'));
    try {
      const bad = path.join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ data: [{ title: 'x' }] }));
      const r = runScript('scripts/eval.ts', ['--squad', bad], { LOG_LEVEL: 'silent' });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/not SQuAD format: data\.0\.paragraphs/u);
      const bogus = runScript('scripts/eval.ts', ['--squad', bad, '--left-out', '2'], { LOG_LEVEL: 'silent' });
      expect(bogus.code).toBe(2);
      expect(bogus.stderr).toMatch(/--left-out must be a number from 0 to 0.9/u);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run ask -- --explain', () => {
  it('shows each candidate with every feature\'s contribution and the confidence against its threshold', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'baowen-explain-'));
    try {
      const r = runScript('scripts/ask.ts', ['--explain', '--json', '平谷区总工会五年来成功调解了多少件劳动争议案件？'], {
        LOG_LEVEL: 'silent',
        INDEX_DIR: path.join(dir, 'index'),
      });
      expect(r.code).toBe(0);
      const e = JSON.parse(r.stdout);
      expect(e.answered).toBe(true);
      expect(e.confidence).toBeGreaterThanOrEqual(e.threshold);
      expect(e.candidates[0].sentence).toContain('1546件');
      const c = e.candidates[0];
      const sum = c.contributions.reduce((a: number, x: { contribution: number }) => a + x.contribution, 0);
      expect(sum).toBeCloseTo(c.logOdds, 6);
      expect(c.contributions.map((x: { feature: string }) => x.feature)).toContain('asks_number_has');
      // The best quote's neighbours, each with the extension model's reading against its threshold.
      expect(e.extension.length).toBeGreaterThan(0);
      for (const x of e.extension) {
        expect(['previous', 'next']).toContain(x.toward);
        expect(x.extend).toBe(x.probability >= x.threshold);
        expect(x.sentence.length).toBeGreaterThan(0);
      }
      const text = runScript('scripts/ask.ts', ['--explain', '饺子馅怎么调才鲜嫩多汁？'], { LOG_LEVEL: 'silent', INDEX_DIR: path.join(dir, 'index') });
      expect(text.stdout).toMatch(/→ refused/u);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
