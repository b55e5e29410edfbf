/**
 * Smoke test of `npm run bench` at a tiny size: the result has the documented shape and sane
 * invariants. No timing assertions (this machine's speed is not what a test can promise).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSeedsDir } from '../ingest/index.js';
import { generateCorpus, readSeedMaterial } from './corpus.js';
import { buildQuestions } from './questions.js';
import { Rng } from './random.js';
import { VectorIndex } from '../store/hnsw.js';
import { denseRecall, exactTopK } from './dense-recall.js';
import { cosine } from '../rank/dense.js';
import { lowRankEmbedder } from './embedder.js';
import { checkTargets, runBench } from './run.js';
import { quantile } from './stats.js';
import { bruteForceTopK, documentVectors, LowRankSpace, recallAt } from './vectors.js';

const SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));

describe('bench helpers', () => {
  it('quantile interpolates between ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([5], 0.95)).toBe(5);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });

  it('brute force finds a vector as its own nearest neighbour; recall counts overlap', () => {
    const space = new LowRankSpace({ dim: 16, rank: 4 }, new Rng(3));
    const { data } = documentVectors(space, 50, new Rng(4));
    const q = data.slice(7 * 16, 8 * 16);
    const { ids, scores } = bruteForceTopK(data, 16, q, 5);
    expect(ids[0]).toBe(7);
    expect(scores[0]).toBeCloseTo(1, 5);
    for (let i = 1; i < 5; i++) expect(scores[i] as number).toBeLessThanOrEqual(scores[i - 1] as number);
    expect(recallAt([7, 99], [7, 3])).toBe(0.5);
  });

  it("dense recall: the exact scan finds each stored vector first; a graph searched exhaustively has recall 1", () => {
    const space = new LowRankSpace({ dim: 16, rank: 4 }, new Rng(3));
    const { data } = documentVectors(space, 200, new Rng(4));
    const vi = VectorIndex.create(16, { M: 8, efConstruction: 200, ef: 400 }, 256);
    for (let i = 0; i < 200; i++) vi.add(i, data.subarray(i * 16, (i + 1) * 16));
    const ids = Array.from({ length: 200 }, (_, i) => i);
    const qs = [3, 50, 199].map((i) => data.slice(i * 16, (i + 1) * 16));
    const top = exactTopK(vi, ids, qs, 5);
    expect(top.map((t) => t.ids[0])).toEqual([3, 50, 199]);
    expect(Array.from(top[1]!.ids)).toEqual(Array.from(bruteForceTopK(data, 16, qs[1]!, 5).ids));
    const r = denseRecall(vi, ids, { a: qs.slice(0, 2), b: qs.slice(2) }, 5);
    expect(r).toMatchObject({ ef: 400, queries: 3, recall_at_10: 1, recall_by_queries: { a: 1, b: 1 } });
  });

  it("the bench's embedder gives a text and its near copy near vectors, unrelated texts far ones", async () => {
    const e = lowRankEmbedder({ dim: 384 });
    const text = '北京市总工会今年为一线职工送去清凉慰问品，覆盖全市两千多个工地。';
    const [a, copy, other] = await e.embedPassages([text, text.slice(0, -1), '东城区职工运动会在地坛体育馆开幕，三十多支代表队参赛。']);
    // Low rank plus a quarter of noise: a near copy at ≈ 1/(1 + 0.25), not at the ≈ 0 of pure noise.
    expect(cosine(a!, copy!)).toBeGreaterThan(0.7);
    expect(cosine(a!, other!)).toBeLessThan(0.5);
  });

  it('generates pages the real parser reads without errors, deterministically', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-corpus-'));
    try {
      const m = readSeedMaterial(SEEDS);
      const a = generateCorpus(m, path.join(dir, 'a'), { chunks: 120, seed: 5 });
      generateCorpus(m, path.join(dir, 'b'), { chunks: 120, seed: 5 });
      expect(fs.readdirSync(path.join(dir, 'a'))).toEqual(fs.readdirSync(path.join(dir, 'b')));
      expect(a.chunks).toBeGreaterThanOrEqual(120);
      const pages = await parseSeedsDir(path.join(dir, 'a'));
      expect(pages.every((p) => !p.error && p.warnings.length === 0)).toBe(true);
      expect(pages.reduce((n, p) => n + p.articles.length, 0)).toBe(a.articles);
      const qs = buildQuestions(['示例问题？'], a.sample, 40, 5);
      expect(qs[0]).toBe('示例问题？');
      expect(qs).toHaveLength(40);
      expect(new Set(qs).size).toBe(qs.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runBench at --chunks 300', () => {
  it('returns the documented shape with sane invariants', async () => {
    const r = await runBench({ chunks: 300, questions: 60, vectorQueries: 40, efSweep: [32, 64], onProgress: () => {} });
    // Shape required by the brief.
    for (const k of ['chunks', 'parse', 'keyword', 'hnsw', 'ask', 'ask_embedded', 'reindex', 'rss_peak_mb', 'index_mb'] as const) expect(r).toHaveProperty(k);
    expect(Object.keys(r.keyword)).toEqual(expect.arrayContaining(['build_ms', 'p50_ms', 'p95_ms']));
    expect(Object.keys(r.hnsw)).toEqual(expect.arrayContaining(['dim', 'build_per_s', 'p50_ms', 'p95_ms', 'recall_at_10', 'brute_p50_ms', 'speedup']));

    // Counts.
    expect(r.chunks).toBeGreaterThanOrEqual(280);
    expect(r.chunks).toBeLessThan(400);
    expect(r.corpus.parse_warnings).toBe(0);
    expect(r.hnsw.dim).toBe(384);
    expect(r.hnsw.n).toBe(300);
    expect(r.corpus.questions).toBe(60);

    // Invariants.
    expect(r.parse.chars_per_s).toBeGreaterThan(0);
    expect(r.hnsw.recall_at_10).toBeGreaterThanOrEqual(0);
    expect(r.hnsw.recall_at_10).toBeLessThanOrEqual(1);
    for (const s of r.hnsw.ef_sweep as Array<{ recall_at_10: number }>) expect(s.recall_at_10).toBeGreaterThanOrEqual(0);
    expect(r.keyword.p50_ms).toBeLessThanOrEqual(r.keyword.p95_ms);
    expect(r.ask.p50_ms).toBeLessThanOrEqual(r.ask.p95_ms);
    expect(r.ask.keyword.n).toBe(60);
    expect(r.ask_embedded.error).toBeUndefined();
    expect(r.ask_embedded.p50_ms).toBeGreaterThan(0);
    expect(r.reindex.embedded).toBe(0);
    expect(r.reindex.written).toBe(false);
    const one = r.index.reindex_one_page as { embedded: number; changed: number };
    expect(one.changed).toBe(1);
    expect(one.embedded).toBeGreaterThan(0);
    expect((r.index.build as { embedded: number }).embedded).toBe(r.chunks);
    expect(r.rss_peak_mb).toBeGreaterThan(0);
    expect(r.index_mb).toBeGreaterThan(0);
    expect(r.targets.length).toBeGreaterThan(0);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['bot_rss_mb', 'reindex_one_page']));
    expect(r.keyword.build_s).toBeCloseTo(r.keyword.build_ms / 1000, 1);
    // The bot's own graph, at its ef, against an exact scan of its vectors.
    expect(r.hnsw.bot_graph).toMatchObject({ k: 10, queries: 180 });
    expect(r.hnsw.bot_graph.recall_at_10 as number).toBeGreaterThan(0.5);
    // Each size is judged by its own ask target: 20 ms up to 100k, 40 ms at 1M.
    const names = (x: typeof r): string[] => checkTargets(x).map((t) => t.name);
    expect(names(r)).toContain('ask p95 (keyword)');
    expect(names({ ...r, chunks: 1_000_000 })).toEqual(expect.arrayContaining(['ask p95 at 1M (keyword, hybrid)']));
    expect(names({ ...r, chunks: 1_000_000 })).not.toContain('ask p95 (keyword)');
  }, 180_000);
});

describe('runBench --model-shape (a small custom shape)', () => {
  it('measures a generated model through the real pipeline; answering embeds nothing but the question', async () => {
    const r = await runBench({ modelShape: 'bge-small-zh', modelLayers: 1, modelHidden: 32, modelVocab: 6000, questions: 20, onProgress: () => {} });
    // Keys required by the brief.
    expect(r.model).toMatchObject({ shape: 'bge-small-zh', dtype: 'q8' });
    for (const k of ['forward_chunks_per_s', 'index_chunks_per_s', 'query_p95_ms', 'load_ms'] as const) expect(r.model![k]).toBeGreaterThan(0);
    expect(r.ask.hybrid_p95_ms).toBeGreaterThan(0);
    expect(r.ask.keyword_p95_ms).toBeGreaterThan(0);
    expect(r.rss_peak_mb).toBeGreaterThan(0);
    // The seed pages, with the model's own sizing; one vector per sentence, none embedded while answering.
    expect(r.model!.model_id).toBe('bench/bert-L1-H32-V6000');
    expect((r.model!.forward as { chunks: number }).chunks).toBe(r.chunks);
    const sentences = r.index.sentences as { count: number };
    expect(sentences.count).toBeGreaterThan(r.chunks);
    expect(r.ask_embedded.passages_embedded_while_answering).toBe(0);
    expect(r.ask_embedded.n).toBe(20);
    expect(r.targets.map((t) => t.name)).toEqual(expect.arrayContaining([expect.stringContaining('hybrid ask p95')]));
  }, 180_000);
});
