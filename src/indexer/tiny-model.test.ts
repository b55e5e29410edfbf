/** The real path: transformers.js + onnxruntime with the generated tiny BERT model, end to end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTinyModel } from '../bench/model/tiny.js';
import { loadEmbedder } from '../embed/load.js';
import type { Embedder } from '../embed/types.js';
import { createLogger } from '../log.js';
import { answerQuestion } from '../answer/compose.js';
import { loadIndex } from '../store/load.js';
import type { SearchIndex } from '../store/types.js';
import { runIndexer } from './run.js';
import { tempWorkspace, testConfig } from '../../test/indexing.js';

const log = createLogger('silent');
let ws: ReturnType<typeof tempWorkspace>;
let embedder: Embedder;
let env: Record<string, string>;

beforeAll(async () => {
  ws = tempWorkspace('baowen-tiny-index-');
  const model = await createTinyModel(`${ws.root}/models`, { dim: 32 });
  env = { EMBED_LOCAL_DIR: model.modelDir, EMBED_MODEL: model.modelId, EMBED_ALLOW_REMOTE: 'false', EMBED_DTYPE: 'fp32' };
  const load = await loadEmbedder(testConfig(ws, env), log);
  if (!load.ok) throw new Error(`tiny model did not load: ${load.reason}`);
  embedder = load.embedder;
});
afterAll(() => ws.cleanup());

describe('hybrid index with the tiny real model', () => {
  it('builds, reloads, and dense search with embedQuery finds the right article', async () => {
    const config = testConfig(ws, env);
    const s = await runIndexer({ config, log, embedder });
    expect(s.mode).toBe('hybrid');
    expect(s.embedded).toBe(s.chunks);
    expect(s.embedded).toBeGreaterThan(0);

    const index = loadIndex(ws.indexDir, { modelId: config.EMBED_MODEL });
    expect(index.manifest.model).toMatchObject({ id: config.EMBED_MODEL, dim: 32 });
    for (const c of index.chunks.values()) expect(c.tokens).toBeLessThanOrEqual(embedder.maxTokens);

    const hits = index.denseSearch(await embedder.embedQuery('德胜街道总工会组织职工开展植树活动'), 3);
    expect(index.articles.get(index.chunks.get(hits[0]!.chunkId)!.articleId)!.title).toContain('德胜街道');
    expect(hits[0]!.cosine).toBeGreaterThan(hits[2]!.cosine);
    expect(hits[0]!.cosine).toBeLessThanOrEqual(1 + 1e-6);

    const again = await runIndexer({ config, log, embedder });
    expect(again).toMatchObject({ embedded: 0, unchanged: s.articles, written: false });
  });

  it('answers embed nothing but the question, and the answers are those of query-time sentence embedding', async () => {
    const index = loadIndex(ws.indexDir);
    const calls = { passages: 0, queries: 0 };
    const counting: Embedder = {
      ...embedder,
      countTokens: (t) => embedder.countTokens(t),
      embedPassages: (texts, p) => {
        calls.passages += texts.length;
        return embedder.embedPassages(texts, p);
      },
      embedQuery: (t) => {
        calls.queries++;
        return embedder.embedQuery(t);
      },
    };
    // The same index without stored sentence vectors: the answer path embeds candidates itself.
    const withoutSentences: SearchIndex = Object.assign(Object.create(index) as SearchIndex, { sentenceVector: () => null });
    const questions = ['通州区去年新发展了多少工会会员？', '德胜街道组织职工开展了什么活动？', 'Which union organised tree planting?', '海淀区职工技能大赛有多少人参加？'];
    for (const q of questions) {
      const before = { ...calls };
      const stored = await answerQuestion(index, counting, q);
      expect(calls.passages - before.passages).toBe(0);
      expect(calls.queries - before.queries).toBe(1);
      const embeddedNow = await answerQuestion(withoutSentences, embedder, q);
      expect(stored).toEqual(embeddedNow);
    }
  });

  it('stores the model\'s cosine distribution: headlines are closer to their own sentences than to others', () => {
    const stats = loadIndex(ws.indexDir).denseStats!;
    expect(stats.modelId).toBe(embedder.modelId);
    expect(stats.sampledArticles).toBeGreaterThanOrEqual(25);
    expect(stats.related.n).toBe(stats.sampledArticles);
    expect(stats.unrelated.n).toBeGreaterThan(stats.related.n);
    expect(stats.related.p50).toBeGreaterThan(stats.unrelated.p90);
    expect(stats.unrelated.p05).toBeLessThanOrEqual(stats.unrelated.p50);
    expect(stats.unrelated.p50).toBeLessThanOrEqual(stats.unrelated.p95);
  });
});
