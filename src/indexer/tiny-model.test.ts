/** The real path: transformers.js + onnxruntime with the generated tiny BERT model, end to end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTinyModel } from '../bench/model/tiny.js';
import { loadEmbedder } from '../embed/load.js';
import type { Embedder } from '../embed/types.js';
import { createLogger } from '../log.js';
import { loadIndex } from '../store/load.js';
import { runIndexer } from './run.js';
import { tempWorkspace, testConfig } from './testing.js';

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
    expect(hits[0]!.score).toBeGreaterThan(hits[2]!.score);
    expect(hits[0]!.score).toBeLessThanOrEqual(1 + 1e-6);

    const again = await runIndexer({ config, log, embedder });
    expect(again).toMatchObject({ embedded: 0, unchanged: s.articles, written: false });
  });
});
