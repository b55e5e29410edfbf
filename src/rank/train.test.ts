import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromEvalQuestion } from '../eval/labeled.js';
import { chooseThreshold, splitOf, type ThresholdPoint } from './train.js';

const point = (threshold: number, answeredRight: number, refused: number): ThresholdPoint => ({ threshold, answered: answeredRight, answeredRight, precision: 0.9, refused });

describe('calibration', () => {
  it('chooses the threshold where answered-right plus refused is highest', () => {
    const curve = [point(0.1, 1, 0.2), point(0.3, 0.95, 0.7), point(0.5, 0.88, 0.86), point(0.7, 0.7, 0.95)];
    expect(chooseThreshold(curve).threshold).toBe(0.5);
    // Not the worse-of-the-two rule: 0.6 has the better minimum (0.7 vs 0.6), 0.4 the more right outcomes.
    expect(chooseThreshold([point(0.4, 0.9, 0.6), point(0.6, 0.7, 0.7)]).threshold).toBe(0.4);
  });

  it('counts an answer citing the wrong report as a miss, not as answered', () => {
    const answeredWrongly: ThresholdPoint = { threshold: 0.3, answered: 0.95, answeredRight: 0.6, precision: 0.6, refused: 0.7 };
    expect(chooseThreshold([answeredWrongly, point(0.5, 0.85, 0.8)]).threshold).toBe(0.5);
  });
});

describe('validation split', () => {
  const q = (id: string) => fromEvalQuestion({ id, question: '问题', lang: 'zh', type: 'fact', expected: [], answer_contains: [] });
  it('puts a question on the same side every time, about 30 % on validation', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `q-${i}`);
    const sides = ids.map((id) => splitOf(q(id), 'seeds'));
    expect(ids.map((id) => splitOf(q(id), 'seeds'))).toEqual(sides);
    const val = sides.filter((s) => s === 'validation').length;
    expect(val).toBeGreaterThan(250);
    expect(val).toBeLessThan(350);
  });
});

describe('npm run train', () => {
  it('reproduces the committed weights from the committed data', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    // Asynchronous: a two-minute synchronous child would stall this test worker's messages to vitest.
    const res = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/train.ts', '--check'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent' },
      maxBuffer: 1 << 24,
    });
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/weights reproduced/u);
  }, 400_000);
});
