/**
 * The measurements, one function per phase. Each phase runs in its own process (see run.ts) so its
 * peak RSS is its own: `index` is what `npm run index` costs, `serve` what the bot costs.
 * Phases print progress on stderr and return plain JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerQuestion } from '../answer/compose.js';
import { loadConfig, type Config } from '../config.js';
import { loadEmbedder } from '../embed/load.js';
import type { Embedder } from '../embed/types.js';
import { chunksOf, runIndexer, KEYWORD_MAX_TOKENS, type IndexProgress } from '../indexer/run.js';
import { chunkArticle, estimateTokens, listPages, parsePage } from '../ingest/index.js';
import { createLogger } from '../log.js';
import { currentGeneration, GEN_FILES } from '../store/disk.js';
import { efForSize, VectorIndex, type HnswParams } from '../store/hnsw.js';
import { KeywordIndex } from '../store/keyword.js';
import { buildKeywordIndex, buildThreads, PARALLEL_FROM } from '../store/keyword-build.js';
import { loadIndex } from '../store/load.js';
import { MemoryIndex } from '../store/memory.js';
import { tokenize } from '../text/tokenize.js';
import type { Article, Chunk } from '../types.js';
import { createTinyModel } from './model/tiny.js';
import { SIZING_MAX_TOKENS } from './corpus.js';
import { countingEmbedder, lowRankEmbedder, precomputedQueries, type CountedEmbedder } from './embedder.js';
import { loadBenchModel, modelPhase, type BenchModel } from './model-phase.js';
import { Rng } from './random.js';
import { denseRecall } from './dense-recall.js';
import { collectGarbage, dirBytes, machineLoad, peakRssMb, round, summarize, timeBest } from './stats.js';
import { bruteForceTopK, documentVectors, LowRankSpace, queryVectors, recallAt } from './vectors.js';

/** What every phase gets (JSON, passed on the child's command line). */
export interface PhaseInput {
  /** The synthetic page files. */
  pagesDir: string;
  /** Where the `index` phase builds and `serve` loads. */
  indexDir: string;
  /** Scratch space (vector files, the tiny model). */
  tmpDir: string;
  /** JSON array of question strings. */
  questionsFile: string;
  chunks: number;
  dim: number;
  seed: number;
  /** HNSW query vectors (near-document; half as many fresh ones on top). */
  vectorQueries: number;
  efSweep: number[];
  /** Environment overrides for loadConfig (HNSW_M, HNSW_EF…). */
  env: Record<string, string>;
  /** `--model-shape`: the index and serve phases use this generated model instead of fakes. */
  model?: BenchModel;
}

export type PhaseName = 'ingest' | 'hnsw' | 'index' | 'serve' | 'model';

const progress = (msg: string): void => {
  process.stderr.write(`[bench] ${msg}\n`);
};

function benchConfig(input: PhaseInput): Config {
  return loadConfig({
    ...input.env,
    SEEDS_DIR: input.pagesDir,
    INDEX_DIR: input.indexDir,
    EMBED_ALLOW_REMOTE: 'false',
    LOG_LEVEL: 'silent',
  });
}

function readQuestions(input: PhaseInput): string[] {
  return JSON.parse(fs.readFileSync(input.questionsFile, 'utf8')) as string[];
}

function hnswParams(config: Config): HnswParams {
  return { M: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, ef: config.HNSW_EF };
}

/** Parse + chunk throughput, keyword index build, keyword query latency. */
export async function ingestPhase(input: PhaseInput): Promise<Record<string, unknown>> {
  const loadStart = machineLoad().load_avg_1m;
  const parsed = parseAndChunk(input.pagesDir);
  const { chunks } = parsed;
  progress(`ingest: ${parsed.articles} articles → ${chunks.length} chunks; tokenizing`);
  const built = await keywordBuild(chunks, input.tmpDir);
  const { kw } = built;
  // Query latency: the candidates `retrieve` asks for (50), and a top-10.
  const questions = readQuestions(input);
  for (const q of questions.slice(0, 20)) kw.search(q, 50); // warm-up
  progress(`ingest: ${questions.length} keyword queries`);
  const ms50 = await timeBest(questions, (q) => kw.search(q, 50));
  const ms10 = await timeBest(questions, (q) => kw.search(q, 10));
  const tq = await timeBest(questions, (q) => tokenize(q));
  return {
    ...parsed.summary,
    keyword: {
      ...built.metrics,
      questions: questions.length,
      ...summarize(ms50.best),
      first_pass: summarize(ms50.first),
      k10: summarize(ms10.best),
      tokenize_query: summarize(tq.best),
    },
    ...machineLoad(),
    load_avg_start: loadStart,
    rss_mb: peakRssMb(),
  };
}

/** The pages parsed and chunked as the hybrid indexer sizes them (headline prefix counted, 512-token ceiling), timed. */
function parseAndChunk(pagesDir: string): { chunks: { chunk: Chunk; article: Article }[]; articles: number; summary: Record<string, unknown> } {
  const files = listPages(pagesDir);
  const pages = files.map((f) => ({ file: f, content: fs.readFileSync(path.join(pagesDir, f), 'utf8') }));
  const chars = pages.reduce((n, p) => n + p.content.length, 0);
  progress(`ingest: parsing ${pages.length} pages (${(chars / 1e6).toFixed(1)} M chars)`);
  let t0 = performance.now();
  const articles: Article[] = [];
  let warnings = 0;
  for (const p of pages) {
    const r = parsePage(p.file, p.content);
    articles.push(...r.articles);
    warnings += r.warnings.length;
  }
  const parseMs = performance.now() - t0;
  // Chunk as the indexer does (keyword sizing, which the models here fit).
  t0 = performance.now();
  const chunks: { chunk: Chunk; article: Article }[] = [];
  for (const a of articles) {
    for (const c of chunksOf(a, null, chunks.length)) chunks.push({ chunk: c, article: a });
  }
  const chunkMs = performance.now() - t0;
  const chunkChars = chunks.reduce((n, c) => n + c.chunk.text.length, 0);
  // Keyword-only sizing (what a keyword-only index chunks with), for the record.
  t0 = performance.now();
  let keywordOnlyChunks = 0;
  for (const a of articles) keywordOnlyChunks += chunkArticle(a, { countTokens: estimateTokens, maxTokens: KEYWORD_MAX_TOKENS, firstId: 0 }).length;
  const chunkKwMs = performance.now() - t0;
  const summary = {
    pages: pages.length,
    articles: articles.length,
    chunks: chunks.length,
    chunks_keyword_only_sizing: keywordOnlyChunks,
    parse_warnings: warnings,
    chars,
    parse: {
      chars_per_s: Math.round(chars / ((parseMs + chunkMs) / 1000)),
      parse_ms: round(parseMs, 1),
      chunk_ms: round(chunkMs, 1),
      parse_chars_per_s: Math.round(chars / (parseMs / 1000)),
      chunk_chars_per_s: Math.round(chars / (chunkMs / 1000)),
      chunk_keyword_sizing_ms: round(chunkKwMs, 1),
      mean_chunk_chars: round(chunkChars / Math.max(1, chunks.length), 1),
    },
  };
  return { chunks, articles: articles.length, summary };
}

/** The tokenizer alone over every chunk, then the keyword index build, its file write and read: wall and CPU. */
async function keywordBuild(chunks: { chunk: Chunk; article: Article }[], tmpDir: string): Promise<{ kw: KeywordIndex; metrics: Record<string, unknown> }> {
  const chunkChars = chunks.reduce((n, c) => n + c.chunk.text.length, 0);
  const tok = timed(() => {
    let n = 0;
    for (const { chunk } of chunks) n += tokenize(chunk.text).length;
    return n;
  });
  progress('ingest: building the keyword index');
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const kw = await buildKeywordIndex(chunks);
  const buildMs = performance.now() - t0;
  const buildCpu = process.cpuUsage(cpu0);
  // Writing it (merging the in-memory delta into the typed-array form the file holds).
  const kwFile = path.join(tmpDir, 'bench-keyword.bin');
  const write = timed(() => kw.write(kwFile));
  const read = timed(() => KeywordIndex.read(kwFile));
  const fileMb = round(fs.statSync(kwFile).size / 2 ** 20, 1);
  fs.rmSync(kwFile, { force: true });
  collectGarbage();
  const heapAfter = process.memoryUsage().heapUsed;
  const metrics = {
    build_ms: round(buildMs, 1),
    build_cpu_s: round((buildCpu.user + buildCpu.system) / 1e6, 2),
    build_per_s: Math.round(chunks.length / (buildMs / 1000)),
    // Threads the build ran on (the tokenizer spread over worker threads; see keyword-build.ts).
    build_threads: chunks.length >= PARALLEL_FROM ? buildThreads() : 1,
    write_ms: round(write.ms, 1),
    read_ms: round(read.ms, 1),
    file_mb: fileMb,
    tokenize_ms: round(tok.ms, 1),
    tokenize_cpu_s: round(tok.cpuS, 2),
    tokenize_chars_per_s: Math.round(chunkChars / (tok.ms / 1000)),
    tokens: tok.value,
    terms: kw.termCount,
    heap_mb: round((heapAfter - heapBefore) / 2 ** 20, 1),
  };
  return { kw, metrics };
}

/** Runs `f` once: its value, wall milliseconds and CPU-seconds. */
function timed<T>(f: () => T): { value: T; ms: number; cpuS: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, ms: performance.now() - t0, cpuS: (c.user + c.system) / 1e6 };
}

/** Queries for the HNSW phase and their exact top-10 (brute force), with the brute-force latencies. */
interface VectorQueries {
  queries: Float32Array[];
  exact: Int32Array[];
  /** The first `near` queries are near-document ones, the rest fresh. */
  near: number;
}

/** HNSW on low-rank vectors: build rate, latency, recall@10 vs brute force, ef sweep. */
export async function hnswPhase(input: PhaseInput): Promise<Record<string, unknown>> {
  const loadStart = machineLoad().load_avg_1m;
  const { dim, chunks: n } = input;
  const configured = hnswParams(benchConfig(input));
  // The ef the bot would search this graph with (the sweep below measures others).
  const params = { ...configured, ef: efForSize(configured.ef, n) };
  const rng = new Rng(input.seed ^ 0x4e5f);
  const space = new LowRankSpace({ dim, rank: 32, noise: 0.25 }, rng);
  progress(`hnsw: drawing ${n} vectors (dim ${dim}, rank 32 + noise)`);
  const { data, latents } = documentVectors(space, n, rng);
  const near = input.vectorQueries;
  const random = Math.max(1, Math.floor(near / 2));
  const queries = queryVectors(space, latents, { near, random }, rng);

  progress(`hnsw: building (M ${params.M}, efConstruction ${params.efConstruction})`);
  const vi = VectorIndex.create(dim, params);
  const built = insertVectors(vi, data, dim, n);

  progress(`hnsw: brute force over ${queries.length} queries`);
  const exact: Int32Array[] = [];
  const bruteMs: number[] = [];
  for (const q of queries) {
    const s = performance.now();
    exact.push(bruteForceTopK(data, dim, q, 10).ids);
    bruteMs.push(performance.now() - s);
  }
  const vq: VectorQueries = { queries, exact, near };

  progress(`hnsw: querying at ef ${params.ef}`);
  const main = measureSearch(vi, vq);
  const k50 = measureSearch(vi, vq, 50);
  const brute = summarize(bruteMs);
  const hs = summarize(main.ms);
  const sweep = efSweep(vi, vq, { dim, n, params, efs: input.efSweep, tmpDir: input.tmpDir, bruteP50: brute.p50_ms });

  return {
    dim,
    n,
    M: params.M,
    ef_construction: params.efConstruction,
    ef: params.ef,
    build_s: round(built.seconds, 2),
    build_per_s: Math.round(n / built.seconds),
    build_per_cpu_s: Math.round(n / built.cpuS),
    p50_ms: hs.p50_ms,
    p95_ms: hs.p95_ms,
    recall_at_10: round(main.recall, 4),
    recall_near: round(main.recallNear, 4),
    recall_random: round(main.recallRandom, 4),
    brute_p50_ms: brute.p50_ms,
    brute_p95_ms: brute.p95_ms,
    speedup: round(brute.p50_ms / hs.p50_ms, 1),
    k50: summarize(k50.ms),
    queries: { near, random },
    file_mb: sweep.fileMb,
    ef_sweep: sweep.rows,
    ...machineLoad(),
    load_avg_start: loadStart,
    rss_mb: peakRssMb(),
  };
}

/** Inserts the n vectors of `data` one by one (progress every tenth): wall and CPU seconds. */
function insertVectors(vi: VectorIndex, data: Float32Array, dim: number, n: number): { seconds: number; cpuS: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const step = Math.max(1, Math.floor(n / 10));
  for (let i = 0; i < n; i++) {
    vi.add(i, data.subarray(i * dim, (i + 1) * dim));
    if ((i + 1) % step === 0) progress(`hnsw: built ${i + 1}/${n} (${Math.round((i + 1) / ((performance.now() - t0) / 1000))}/s)`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { seconds, cpuS: (cpu.user + cpu.system) / 1e6 };
}

/** Every query searched twice after a warm-up (best time kept), recall@10 against the exact answers. */
function measureSearch(index: VectorIndex, vq: VectorQueries, k = 10): { ms: number[]; recall: number; recallNear: number; recallRandom: number } {
  const { queries, exact, near } = vq;
  for (const q of queries.slice(0, 20)) index.search(q, k); // warm-up
  const ms: number[] = [];
  const rec: number[] = [];
  queries.forEach((q, i) => {
    let best = Infinity;
    let res: ReturnType<VectorIndex['search']> = [];
    for (let pass = 0; pass < 2; pass++) {
      const s = performance.now();
      res = index.search(q, k);
      best = Math.min(best, performance.now() - s);
    }
    ms.push(best);
    rec.push(recallAt(res.slice(0, 10).map((r) => r.chunkId), exact[i] as Int32Array));
  });
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return { ms, recall: mean(rec), recallNear: mean(rec.slice(0, near)), recallRandom: mean(rec.slice(near)) };
}

/** Persists the graph, then measures each ef by re-reading the file (the product's load path), one index at a time. */
function efSweep(
  vi: VectorIndex,
  vq: VectorQueries,
  o: { dim: number; n: number; params: HnswParams; efs: number[]; tmpDir: string; bruteP50: number },
): { rows: Record<string, unknown>[]; fileMb: number } {
  const file = path.join(o.tmpDir, 'bench-vectors.hnsw');
  vi.write(file);
  const fileBytes = fs.statSync(file).size;
  const rows: Record<string, unknown>[] = [];
  const ids = Array.from({ length: o.n }, (_, i) => i);
  for (const ef of o.efs) {
    collectGarbage();
    const r0 = performance.now();
    const loaded = VectorIndex.read(file, o.dim, { ...o.params, ef }, ids);
    const loadMs = performance.now() - r0;
    const m = measureSearch(loaded, vq);
    const s = summarize(m.ms);
    rows.push({
      ef,
      p50_ms: s.p50_ms,
      p95_ms: s.p95_ms,
      recall_at_10: round(m.recall, 4),
      recall_near: round(m.recallNear, 4),
      recall_random: round(m.recallRandom, 4),
      speedup: round(o.bruteP50 / s.p50_ms, 1),
      load_ms: round(loadMs, 1),
    });
    progress(`hnsw: ef ${ef}: recall ${m.recall.toFixed(4)}, p50 ${s.p50_ms} ms`);
  }
  fs.rmSync(file, { force: true });
  return { rows, fileMb: round(fileBytes / 2 ** 20, 1) };
}

/** Progress of one indexer run: the seconds from each reported phase to the next, embed progress every tenth. */
function phaseTimer(): { onProgress: (p: IndexProgress) => void; times: () => Record<string, number> } {
  const start = performance.now();
  const first = new Map<string, number>();
  let last = start;
  let shown = -1;
  const onProgress = (p: IndexProgress): void => {
    const now = performance.now();
    if (!first.has(p.phase)) first.set(p.phase, now);
    last = now;
    const tenth = p.total > 0 ? Math.floor((10 * p.done) / p.total) : 0;
    if (p.phase === 'embed' && tenth > shown) {
      shown = tenth;
      progress(`index: embed ${p.done}/${p.total}`);
    }
  };
  const times = (): Record<string, number> => {
    const end = performance.now();
    const order = [...first.entries()].sort((a, b) => a[1] - b[1]);
    const out: Record<string, number> = {};
    order.forEach(([name, t], i) => {
      const next = order[i + 1]?.[1] ?? Math.max(end, last);
      out[`${name}_s`] = round((next - t) / 1000, 2);
    });
    out.before_first_progress_s = round(((order[0]?.[1] ?? end) - start) / 1000, 2);
    return out;
  };
  return { onProgress, times };
}

type IndexRun = Awaited<ReturnType<typeof runIndexer>>;

/** One indexer run timed: its result, wall seconds, CPU-seconds, the phases' seconds and the embedder calls it made. */
async function timedRun(
  opts: Parameters<typeof runIndexer>[0] & { embedder: CountedEmbedder },
  withPhases: boolean,
): Promise<{ r: IndexRun; seconds: number; cpuS: number; phases: Record<string, number>; calls: number }> {
  const pt = phaseTimer();
  const before = opts.embedder.embeddedCount;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await runIndexer(withPhases ? { ...opts, onProgress: pt.onProgress } : opts);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { r, seconds, cpuS: (cpu.user + cpu.system) / 1e6, phases: withPhases ? pt.times() : {}, calls: opts.embedder.embeddedCount - before };
}

/** The current generation's file sizes (MiB; docs segments and passage vectors grouped), the index's bytes, the sentence store's bytes. */
function indexSizes(indexDir: string): { files: Record<string, number>; indexBytes: number; sentenceBytes: number } {
  const gen = currentGeneration(indexDir);
  const genDir = gen ? path.join(indexDir, gen) : indexDir;
  const files: Record<string, number> = {};
  for (const name of Object.values(GEN_FILES)) {
    const f = path.join(genDir, name);
    if (fs.existsSync(f)) files[name] = round(fs.statSync(f).size / 2 ** 20, 2);
  }
  const names = fs.readdirSync(genDir);
  const bytesOf = (keep: (f: string) => boolean): number => names.filter(keep).reduce((b, f) => b + fs.statSync(path.join(genDir, f)).size, 0);
  files['docs-*.ndjson'] = round(bytesOf((f) => /^docs-/u.test(f)) / 2 ** 20, 2);
  files['passvec-*.f32 + passages.ndjson'] = round(bytesOf((f) => /^pass/u.test(f)) / 2 ** 20, 2);
  const sentenceBytes = bytesOf((f) => f.startsWith('sentvec-') || f === 'sentences.ndjson');
  return { files, indexBytes: dirBytes(indexDir), sentenceBytes };
}

/** One page edited: a sentence appended to its first article's body (or an article added when it has none). */
function editOnePage(pagesDir: string): void {
  const pages = listPages(pagesDir);
  const victim = pages[Math.floor(pages.length / 2)] as string;
  const vf = path.join(pagesDir, victim);
  const lines = fs.readFileSync(vf, 'utf8').split('\n');
  const bodyLine = lines.findIndex((l) => l.startsWith('本报讯'));
  if (bodyLine >= 0) lines[bodyLine] = `${lines[bodyLine]}记者注意到，活动现场气氛热烈。`;
  else lines.push('', '## 补充报道', '', '本报讯（记者 王明）记者注意到，活动现场气氛热烈。');
  fs.writeFileSync(vf, lines.join('\n'));
}

/** The real incremental indexer: build, re-run unchanged, re-run with one page edited. */
export async function indexPhase(input: PhaseInput): Promise<Record<string, unknown>> {
  const loadStart = machineLoad().load_avg_1m;
  const config = benchConfig(input);
  const log = createLogger('silent');
  const embedder = input.model
    ? countingEmbedder((await loadBenchModel(input.model)).embedder)
    : lowRankEmbedder({ dim: input.dim, maxTokens: SIZING_MAX_TOKENS });
  fs.rmSync(input.indexDir, { recursive: true, force: true });

  progress('index: first run (full build, hybrid with the low-rank embedder)');
  const build = await timedRun({ config, log, embedder }, true);
  const rssAfterBuild = peakRssMb();
  const sizes = indexSizes(input.indexDir);
  progress('index: second run (nothing changed)');
  const again = await timedRun({ config, log, embedder }, false);
  editOnePage(input.pagesDir);
  progress('index: third run (one page edited)');
  const one = await timedRun({ config, log, embedder }, true);
  const { r: second } = again;
  const { r: third } = one;

  return {
    mode: build.r.mode,
    articles: build.r.articles,
    chunks: build.r.chunks,
    skipped_pages: build.r.skipped.length,
    build: { ...buildFigures(build.r, build.seconds), ...build.phases, rss_peak_mb: rssAfterBuild },
    sentences: sentenceFigures(build.r, sizes),
    reindex: { seconds: round(again.seconds, 3), cpu_s: round(again.cpuS, 2), embedded: second.embedded, embedder_calls_delta: again.calls, written: second.written, unchanged: second.unchanged },
    reindex_one_page: {
      seconds: round(one.seconds, 2),
      cpu_s: round(one.cpuS, 2),
      embedded: third.embedded,
      changed: third.changed,
      written: third.written,
      embedder_calls_delta: one.calls,
      ...one.phases,
    },
    index_bytes: sizes.indexBytes,
    index_mb: round(sizes.indexBytes / 2 ** 20, 1),
    index_files_mb: sizes.files,
    ...machineLoad(),
    load_avg_start: loadStart,
    rss_mb: peakRssMb(),
  };
}

/** The first build's figures: seconds, what was embedded, embedding throughput (chunk passages alone and with sentences). */
function buildFigures(first: IndexRun, seconds: number): Record<string, number> {
  const embedS = (first.embedMs.passages + first.embedMs.sentences) / 1000;
  return {
    seconds: round(seconds, 2),
    embedded: first.embedded,
    sentences: first.sentencesEmbedded,
    embed_passages_s: round(first.embedMs.passages / 1000, 2),
    embed_sentences_s: round(first.embedMs.sentences / 1000, 2),
    // The indexer's throughput over chunk passages (what the raw forward pass is compared with), and
    // with the sentence vectors it also computes.
    index_chunks_per_s: round(first.embedded / (first.embedMs.passages / 1000), 1),
    index_chunks_per_s_with_sentences: round(first.embedded / embedS, 1),
    index_chunks_per_cpu_s: round(first.embedded / (first.embedCpuMs.passages / 1000), 1),
    embed_cpu_s: round((first.embedCpuMs.passages + first.embedCpuMs.sentences) / 1000, 2),
  };
}

/** What the index-time sentence vectors cost: count, size, share of the index and of the embedding time. */
function sentenceFigures(first: IndexRun, sizes: { indexBytes: number; sentenceBytes: number }): Record<string, number> {
  return {
    count: first.sentencesEmbedded,
    per_chunk: round(first.sentencesEmbedded / Math.max(1, first.chunks), 2),
    mb: round(sizes.sentenceBytes / 2 ** 20, 1),
    share_of_index: round(sizes.sentenceBytes / Math.max(1, sizes.indexBytes), 3),
    embed_s: round(first.embedMs.sentences / 1000, 2),
    share_of_embed_time: round(first.embedMs.sentences / Math.max(1, first.embedMs.passages + first.embedMs.sentences), 3),
  };
}

/** The model that embeds each question in the serve phase: the --model-shape one, else a tiny generated BERT. */
async function questionModel(
  input: PhaseInput,
  model: Awaited<ReturnType<typeof loadBenchModel>> | null,
): Promise<{ load: Awaited<ReturnType<typeof loadEmbedder>>; modelInfo: Record<string, unknown> }> {
  if (model) {
    return { load: { ok: true, embedder: countingEmbedder(model.embedder) }, modelInfo: { model: model.embedder.modelId, dim: model.embedder.dim, dtype: input.model?.dtype } };
  }
  const tiny = await createTinyModel(path.join(input.tmpDir, 'models'), { dim: input.dim, modelId: 'bench/tiny-bert' });
  const load = await loadEmbedder(
    loadConfig({ EMBED_LOCAL_DIR: tiny.modelDir, EMBED_MODEL: tiny.modelId, EMBED_ALLOW_REMOTE: 'false', EMBED_DTYPE: 'fp32', LOG_LEVEL: 'silent' }),
    createLogger('silent'),
    { localOnly: true },
  );
  return { load, modelInfo: { model: tiny.modelId, dim: tiny.dim } };
}

/** Load the index as the bot does; answer every question (keyword, hybrid without embedding, hybrid with the tiny model). */
/**
 * Hybrid asks with a real transformers.js model embedding each question (the --model-shape model,
 * else the tiny one): the question's embedding alone and the whole ask, timed.
 */
async function askWithQuestionModel(
  input: PhaseInput,
  model: Awaited<ReturnType<typeof loadBenchModel>> | null,
  questions: readonly string[],
  ask: (emb: Embedder) => Promise<{ best: number[]; first: number[] }>,
): Promise<Record<string, unknown>> {
  const { load, modelInfo } = await questionModel(input, model);
  if (!load.ok) return { error: load.reason };
  const emb = load.embedder;
  progress(`serve: hybrid mode with ${String(modelInfo.model)} embedding each question`);
  const embMs = await timeBest(questions, (q) => emb.embedQuery(q));
  const passagesBefore = 'passagesEmbedded' in emb ? (emb as { passagesEmbedded: number }).passagesEmbedded : 0;
  const askMs = await ask(emb);
  const passagesAsked = 'passagesEmbedded' in emb ? (emb as { passagesEmbedded: number }).passagesEmbedded - passagesBefore : 0;
  return {
    ...summarize(askMs.best),
    first_pass: summarize(askMs.first),
    embed_only: summarize(embMs.best),
    ...modelInfo,
    // Passages (candidate sentences) the model embedded while answering: 0 with index-time sentence vectors.
    passages_embedded_while_answering: passagesAsked,
  };
}

/**
 * recall@10 of the bot's own graph at its ef against an exact scan: the questions' own vectors, and
 * `pieces` halves of random chunks' text (a question quoting a report: it has a true near neighbour,
 * as the hnsw phase's near-document queries do). null for an index without vectors.
 */
async function botGraphRecall(index: ReturnType<typeof loadIndex>, base: Embedder, questionVectors: Float32Array[], pieces: number, seed: number): Promise<Record<string, unknown> | null> {
  const graph = index instanceof MemoryIndex ? index.vectors : null;
  if (!graph) return null;
  progress(`serve: dense recall@10 of the bot's graph (ef ${graph.params.ef}) against an exact scan`);
  const ids = [...index.chunks.keys()];
  const rng = new Rng(seed ^ 0x5e7e);
  const halves: Float32Array[] = [];
  for (let i = 0; i < pieces; i++) {
    const text = index.chunks.get(ids[rng.int(0, ids.length - 1)] as number)?.text ?? '';
    const len = Math.ceil(text.length / 2);
    const from = rng.int(0, text.length - len);
    halves.push(await base.embedQuery(text.slice(from, from + len)));
  }
  return denseRecall(graph, ids, { questions: questionVectors, chunk_halves: halves });
}

export async function servePhase(input: PhaseInput): Promise<Record<string, unknown>> {
  const loadStart = machineLoad().load_avg_1m;
  const config = benchConfig(input);
  const questions = readQuestions(input);
  progress('serve: loading the index');
  let t0 = performance.now();
  const index = loadIndex(input.indexDir, { ef: config.HNSW_EF });
  const loadMs = performance.now() - t0;
  const rssAfterLoad = peakRssMb();
  const afterLoad = memoryNow();

  const answered = { keyword: 0, hybrid: 0, embedded: 0 };
  /** Warm-up on 20 questions, one pass counting answers, then the timed passes (sentence vectors are memoized by then). */
  const ask = async (embedder: Embedder | null, key: keyof typeof answered, onCounted?: () => void): Promise<{ best: number[]; first: number[] }> => {
    for (const q of questions.slice(0, 20)) await answerQuestion(index, embedder, q);
    for (const q of questions) if ((await answerQuestion(index, embedder, q)).answered) answered[key]++;
    onCounted?.();
    return timeBest(questions, (q) => answerQuestion(index, embedder, q));
  };

  progress(`serve: ${questions.length} questions, keyword mode`);
  const kwMs = await ask(null, 'keyword');

  // Hybrid: the question vectors are computed first, so only retrieval + fusion + quoting is timed.
  const model = input.model ? await loadBenchModel(input.model) : null;
  const base = model?.embedder ?? lowRankEmbedder({ dim: input.dim, maxTokens: SIZING_MAX_TOKENS });
  const vectors = new Map<string, Float32Array>();
  for (const q of questions) vectors.set(q, await base.embedQuery(q));
  progress('serve: hybrid mode (precomputed question vectors)');
  const pre = precomputedQueries(base, vectors);
  let sentencesPerQuestion = 0;
  const hyMs = await ask(pre, 'hybrid', () => {
    sentencesPerQuestion = pre.passagesEmbedded / (questions.length + Math.min(20, questions.length));
  });

  const embedded = await askWithQuestionModel(input, model, questions, (emb) => ask(emb, 'embedded'));
  // The bot's peak and memory are taken before the exact scan below, which is the bench's, not the bot's.
  const rssPeak = peakRssMb();
  const afterAsks = memoryNow();
  const endLoad = machineLoad();
  const dense = await botGraphRecall(index, base, [...vectors.values()], 2 * questions.length, input.seed);

  return {
    mode: index.mode,
    chunks: index.chunks.size,
    load_ms: round(loadMs, 1),
    rss_after_load_mb: rssAfterLoad,
    questions: questions.length,
    ask: { ...summarize(kwMs.best), first_pass: summarize(kwMs.first), answered: answered.keyword },
    ask_hybrid: {
      ...summarize(hyMs.best),
      first_pass: summarize(hyMs.first),
      answered: answered.hybrid,
      // Candidate sentences sent to embedPassages per question (memoized; a real model pays for each miss).
      sentences_embedded_per_question: round(sentencesPerQuestion, 1),
    },
    ask_embedded: { ...embedded, answered: answered.embedded },
    // The bot's graph at the bot's ef: recall@10 of the questions' vectors against an exact scan.
    dense,
    ...endLoad,
    load_avg_start: loadStart,
    rss_mb: rssPeak,
    // What the loaded index holds (after a collection), and after every question was answered.
    memory: { after_load: afterLoad, after_asks: afterAsks },
    free_mem_mb: Math.round(os.freemem() / 2 ** 20),
  };
}

/** This process's memory now, after a full collection (MiB): resident, JS heap, buffers outside it. */
function memoryNow(): { rss_mb: number; heap_mb: number; external_mb: number } {
  collectGarbage();
  const m = process.memoryUsage();
  const mb = (x: number): number => round(x / 2 ** 20, 1);
  return { rss_mb: mb(m.rss), heap_mb: mb(m.heapUsed), external_mb: mb(m.external) };
}

export const PHASES: Record<PhaseName, (input: PhaseInput) => Promise<Record<string, unknown>>> = {
  ingest: ingestPhase,
  hnsw: hnswPhase,
  index: indexPhase,
  serve: servePhase,
  model: modelPhase,
};
