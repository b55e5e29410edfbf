/** `npm run ask` and `npm run eval` as an operator runs them: child processes on a temp index of the seed pages. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../test/indexing.js';
import { runScript } from '../test/helpers.js';

let ws: ReturnType<typeof tempWorkspace>;

beforeAll(() => {
  ws = tempWorkspace('baowen-ask-cli-');
  fs.mkdirSync(path.join(ws.root, 'no-models'));
});
afterAll(() => ws.cleanup());

const run = (script: string, ...args: string[]) =>
  runScript(script, args, {
    SEEDS_DIR: ws.seedsDir,
    INDEX_DIR: ws.indexDir,
    EMBED_ALLOW_REMOTE: 'false',
    EMBED_LOCAL_DIR: path.join(ws.root, 'no-models'),
    LOG_LEVEL: 'error',
  });

describe('npm run ask', () => {
  it('--json prints one answer object with quotes tied to numbered sources (index built on first use)', () => {
    const r = run('scripts/ask.ts', '--json', '平谷区总工会五年来成功调解了多少件劳动争议案件？');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout.trim());
    expect(Object.keys(a).sort()).toEqual(['answered', 'confidence', 'mode', 'question', 'quotes', 'sources']);
    expect(a).toMatchObject({ answered: true, mode: 'keyword' });
    expect(a.quotes[0].text).toContain('1546件');
    expect(a.sources.map((s: { n: number }) => s.n)).toContain(a.quotes[0].source);
    expect(Object.keys(a.sources[0]).sort()).toEqual(['articleId', 'byline', 'file', 'n', 'probability', 'title']);
    expect(a.sources[0].file).toBe('002_4038e7d540f708d9.txt');
  });

  it('names a source by its whole headline block (kicker + main line)', () => {
    const r = run('scripts/ask.ts', '--json', '中关村银行为女职工举办了什么健身活动？');
    const a = JSON.parse(r.stdout.trim());
    expect(a.sources[0].title).toBe('多彩三月 中关村科学城非公高科技企业多项活动温暖“半边天”');
  });

  it('--batch reads {"id","question"} lines and prints one object per line with its id; a bad line is skipped by line number', () => {
    const file = path.join(ws.root, 'q.jsonl');
    fs.writeFileSync(file, ['{"id":"a","question":"顺义区去年新建了多少家工会组织？"}', 'not json', '{"id":"b","question":"饺子馅怎么调才鲜嫩多汁？"}'].join('\n'));
    const r = run('scripts/ask.ts', '--batch', file, '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b']);
    expect(lines[0].answered).toBe(true);
    expect(lines[1]).toMatchObject({ answered: false, quotes: [], sources: [] });
    expect(r.stderr).toContain(':2: skipped');
  });

  it('without a question it prints usage and exits 2', () => {
    const r = run('scripts/ask.ts');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage');
  });
});

describe('npm run eval', () => {
  it('--json reports per type and overall, with quote fidelity', () => {
    const file = path.join(ws.root, 'e.jsonl');
    fs.writeFileSync(
      file,
      [
        { id: 'n1', question: '平谷区总工会五年来成功调解了多少件劳动争议案件？', type: 'number', expected: [{ file: '002_4038e7d540f708d9.txt', title: '平谷打造充满活力' }], answer_contains: ['1546件'] },
        { id: 'o1', question: '饺子馅怎么调才鲜嫩多汁？', type: 'ood', expected: [], answer_contains: [] },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    const r = run('scripts/eval.ts', file, '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout.trim());
    expect(rep.byType.number).toMatchObject({ n: 1, hit1: 1, hit3: 1, contains: 1, fidelity: 1 });
    expect(rep.byType.ood).toMatchObject({ n: 1, refusal: 1 });
    expect(rep.overall.n).toBe(2);
  });
});
