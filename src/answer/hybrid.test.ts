/** Answers in hybrid mode: the real transformers.js pipeline on the generated tiny model, end to end. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTinyModel } from '../bench/model/tiny.js';
import { buildSeedIndex, quietLog, type SeedIndex } from '../../test/helpers.js';
import { loadConfig } from '../config.js';
import { loadEmbedder } from '../embed/load.js';
import type { Embedder } from '../embed/types.js';
import { matchArticles } from '../rank/topic.js';
import { answerQuestion } from './compose.js';

let seed: SeedIndex;
let embedder: Embedder;
let dir: string | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'baowen-hybrid-'));
  const model = await createTinyModel(dir, { dim: 32 });
  const env = { EMBED_LOCAL_DIR: model.modelDir, EMBED_MODEL: model.modelId, EMBED_ALLOW_REMOTE: 'false', EMBED_DTYPE: 'fp32' };
  const load = await loadEmbedder(loadConfig(env), quietLog);
  if (!load.ok) throw new Error(load.reason);
  embedder = load.embedder;
  seed = await buildSeedIndex({ embedder, env });
});
afterAll(() => {
  seed?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('answerQuestion in hybrid mode (tiny real model)', () => {
  it('answers from the fused dense + keyword candidates, quoting verbatim', async () => {
    expect(seed.index.mode).toBe('hybrid');
    const a = await answerQuestion(seed.index, embedder, '平谷区总工会五年来成功调解了多少件劳动争议案件？');
    expect(a.mode).toBe('hybrid');
    expect(a.answered).toBe(true);
    expect(a.quotes.map((q) => q.text).join()).toContain('1546件');
    for (const q of a.quotes) expect(seed.index.articles.get(q.articleId)?.text.slice(q.start, q.end)).toBe(q.text);
  });

  it('does not refuse English questions outright when a model is loaded (they are scored by meaning)', async () => {
    const a = await answerQuestion(seed.index, embedder, 'How many labour dispute cases did the Pinggu union mediate?');
    expect(a.mode).toBe('hybrid');
    expect(a.refusal).not.toBe('needs-model');
  });

  it('still refuses an off-topic question', async () => {
    const a = await answerQuestion(seed.index, embedder, '饺子馅怎么调才鲜嫩多汁？');
    expect(a.answered).toBe(false);
    expect(a.quotes).toEqual([]);
  });
});

describe('topic matching in hybrid mode (tiny real model)', () => {
  it('finds the tree-planting reports for 植树, and English topics still go through the glossary', async () => {
    const zh = (await matchArticles(seed.index, embedder, '植树')).map((m) => m.article.title);
    expect(zh.some((t) => t.includes('德胜街道'))).toBe(true);
    expect(zh.some((t) => t.includes('经开区总工会开展植树'))).toBe(true);
    const en = (await matchArticles(seed.index, embedder, 'tree planting')).map((m) => m.article.title);
    expect(en.some((t) => t.includes('德胜街道'))).toBe(true);
  });
});

describe('a model that knows nothing does not make answers worse', () => {
  it('on the held-out seed questions, hybrid answers stay within 0.05 of keyword-only', async () => {
    const { readJsonl, EvalQuestion } = await import('../eval/dataset.js');
    const { fromEvalQuestion, containsAnswer, answerable } = await import('../eval/labeled.js');
    const { splitOf } = await import('../rank/train.js');
    const questions = ['eval/dev.jsonl', 'eval/more.jsonl', 'eval/extra.jsonl']
      .flatMap((f) => readJsonl(new URL(`../../${f}`, import.meta.url).pathname, EvalQuestion))
      .filter((q) => q.type !== 'english')
      .map(fromEvalQuestion)
      .filter((q) => splitOf(q, 'seeds') === 'validation');
    const keyword = await buildSeedIndex();
    try {
      const rates = async (index: typeof seed.index, emb: Embedder | null) => {
        let contains = 0;
        let refused = 0;
        for (const q of questions) {
          const a = await answerQuestion(index, emb, q.question);
          if (answerable(q)) contains += Number(containsAnswer(q, a.quotes.map((x) => x.text).join('\n')));
          else refused += Number(!a.answered);
        }
        const nAns = questions.filter(answerable).length;
        return { contains: contains / nAns, refused: refused / (questions.length - nAns) };
      };
      const kw = await rates(keyword.index, null);
      const hy = await rates(seed.index, embedder);
      expect(questions.length).toBeGreaterThan(30);
      expect(hy.contains).toBeGreaterThanOrEqual(kw.contains - 0.05);
      expect(hy.refused).toBeGreaterThanOrEqual(kw.refused - 0.05);
    } finally {
      keyword.cleanup();
    }
  });
});
