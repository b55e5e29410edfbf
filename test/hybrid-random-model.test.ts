/**
 * A model that knows nothing must not make answers worse (issue 9, hybrid mode): a BERT with random
 * weights (src/bench/model/bert.ts, a tiny shape so it is cheap), loaded through the app's own path,
 * the seed pages indexed with it, and held-out questions asked with it and without it. For each
 * question: if keyword-only cites the expected article first, quotes the answer, or refuses an
 * unanswerable question, so does hybrid mode.
 *
 * The questions: the whole validation split of the dev-kind sets (the split `npm run train` and
 * `npm run eval -- --split validation` use), English left out: 40 questions, about 2 s per mode.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../src/answer/compose.js';
import { createShapedModel } from '../src/bench/model/bert.js';
import { loadConfig } from '../src/config.js';
import { loadEmbedder } from '../src/embed/load.js';
import type { Embedder } from '../src/embed/types.js';
import { EvalQuestion, readJsonl } from '../src/eval/dataset.js';
import { answerable, fromEvalQuestion, type LabeledQuestion } from '../src/eval/labeled.js';
import { scoreItem, type ScoredItem } from '../src/eval/score.js';
import { DEV_FORMAT_FILES } from '../src/rank/datasets.js';
import { splitOf } from '../src/rank/train.js';
import type { SearchIndex } from '../src/store/types.js';
import { buildSeedIndex, quietLog, type SeedIndex } from './helpers.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const questions: LabeledQuestion[] = DEV_FORMAT_FILES.flatMap((f) => readJsonl(path.join(ROOT, f), EvalQuestion))
  .filter((q) => q.type !== 'english')
  .map(fromEvalQuestion)
  .filter((q) => splitOf(q, 'seeds') === 'validation')
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

let modelDir: string;
let embedder: Embedder;
let hybrid: SeedIndex;

beforeAll(async () => {
  modelDir = mkdtempSync(path.join(os.tmpdir(), 'baowen-random-bert-'));
  // One attention + feed-forward layer, hidden 32: the real architecture, random weights, tiny cost.
  const m = await createShapedModel(modelDir, { layers: 1, hidden: 32, heads: 1, intermediate: 64, vocab: 4000, modelId: 'test/random-bert' });
  const env = { EMBED_LOCAL_DIR: m.modelDir, EMBED_MODEL: m.modelId, EMBED_ALLOW_REMOTE: 'false', EMBED_DTYPE: 'fp32' };
  const load = await loadEmbedder(loadConfig(env), quietLog, { localOnly: true });
  if (!load.ok) throw new Error(load.reason);
  embedder = load.embedder;
  hybrid = await buildSeedIndex({ embedder, env });
});
afterAll(() => {
  hybrid?.cleanup();
  if (modelDir) rmSync(modelDir, { recursive: true, force: true });
});

async function scored(index: SearchIndex, emb: Embedder | null, q: LabeledQuestion): Promise<ScoredItem & { mode: string }> {
  const a = await answerQuestion(index, emb, q.question);
  return { ...scoreItem(q, a, index.articles, 0), mode: a.mode };
}

/** What keyword-only got right that hybrid lost, for one question ([] = not worse). */
function lost(q: LabeledQuestion, kw: ScoredItem, hy: ScoredItem): string[] {
  const out: string[] = [];
  if (answerable(q)) {
    if (kw.hit1 && !hy.hit1) out.push('first citation no longer the expected article');
    if (kw.contains && !hy.contains) out.push('quotes no longer contain the answer');
    if (kw.answered && !hy.answered) out.push('refused');
  } else if (kw.refused && !hy.refused) out.push('unanswerable question answered');
  return out;
}

describe('a random-weight model loaded: answers are not worse than keyword-only, question by question', () => {
  it('asks the held-out questions, answerable and not', () => {
    expect(questions.length).toBeGreaterThanOrEqual(30);
    expect(questions.some((q) => !answerable(q))).toBe(true);
  });

  it('on the index built with the model, answering with it loaded loses nothing keyword-only answering gets', async () => {
    expect(hybrid.index.mode).toBe('hybrid');
    const worse: string[] = [];
    for (const q of questions) {
      const kw = await scored(hybrid.index, null, q);
      const hy = await scored(hybrid.index, embedder, q);
      expect(kw.mode).toBe('keyword');
      expect(hy.mode).toBe('hybrid');
      for (const why of lost(q, kw, hy)) worse.push(`${q.id} ${q.question}: ${why}`);
    }
    expect(worse).toEqual([]);
  });

  it('against the keyword-only index (what switching the model on and re-indexing does), nothing is lost either', async () => {
    const keyword = await buildSeedIndex();
    try {
      const worse: string[] = [];
      for (const q of questions) {
        const kw = await scored(keyword.index, null, q);
        const hy = await scored(hybrid.index, embedder, q);
        for (const why of lost(q, kw, hy)) worse.push(`${q.id} ${q.question}: ${why}`);
      }
      expect(worse).toEqual([]);
    } finally {
      keyword.cleanup();
    }
  });
});
