/**
 * The incremental indexer: seeds folder → (parse → chunk → embed) → a new index generation.
 *
 * Incremental by content hash, at two levels:
 *  - page file (sha256 of its bytes): an unchanged page is not even parsed; its articles stay;
 *  - article (`Article.hash`): in a changed page, an unchanged article keeps its chunks and vectors;
 *    a changed one loses its old chunks and is re-chunked and re-embedded; a new one is added;
 *    articles (and pages) that disappeared are removed.
 * When nothing changed, nothing is read beyond the manifest and nothing is written.
 *
 * A full rebuild happens on request (`full`), when there is no usable previous index, or when the
 * previous one was built differently (format or chunker version, mode, model) — logged with the reason.
 *
 * Passages are embedded as `headline + '\n' + chunk.text` (headline = kicker + title): the headline
 * tells the model what the chunk is about (later chunks of an article often never name their subject),
 * while `Chunk.text` itself stays verbatim. Chunks are sized with that prefix included, so the embedded
 * passage never exceeds the model's maxTokens; `Chunk.tokens` counts it too.
 *
 * Every run holds the writer lock, and a failure at any point (parse, embed, write) leaves the
 * previous generation in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Embedder } from '../embed/types.js';
import type { IndexSummary } from '../engine.js';
import { CHUNKER_VERSION, chunkArticle, estimateTokens, parsePage } from '../ingest/index.js';
import type { Logger } from '../log.js';
import { currentGeneration, type SaveHooks } from '../store/disk.js';
import { readAllDocs } from '../store/docs.js';
import { IndexError } from '../store/errors.js';
import { VectorIndex, type HnswParams } from '../store/hnsw.js';
import { headlineOf, KeywordIndex } from '../store/keyword.js';
import { buildKeywordIndex, PARALLEL_FROM, type KeywordItem } from '../store/keyword-build.js';
import { openForUpdate, readManifest } from '../store/load.js';
import { articleSentenceSpans, PASSAGE_NAMES, SentenceStore } from '../store/sentences.js';
import { acquireLock } from '../store/lock.js';
import { FORMAT_VERSION, MemoryIndex, saveIndex, type ManifestFile } from '../store/memory.js';
import type { IndexManifest } from '../store/types.js';
import type { Article, Chunk, SearchMode, SentenceSpan } from '../types.js';
import { denseStatsStale, measureDenseStats } from './dense-stats.js';
import { EmbedJournal, JOURNAL_DIR } from './journal.js';
import { hashBytes, listPages } from './pages.js';
import { planArticles, planPages } from './plan.js';

export { whyRebuild } from './plan.js';

/** Chunk ceiling in keyword-only mode (no model tokenizer; sized with `estimateTokens`). */
export const KEYWORD_MAX_TOKENS = 512;
/** Scratch folder (inside INDEX_DIR) for sentence vectors not yet in a generation. */
export const SPILL_DIR = '.spill';
/** Chunks per `embedPassages` call (progress granularity; the embedder batches inside). */
const EMBED_SLICE = 256;

export interface IndexProgress {
  phase: 'parse' | 'embed' | 'write';
  /** Embed phase: texts (chunk passages and sentences) done / to do. */
  done: number;
  total: number;
  /** Embed phase: chunks whose passage and sentences are embedded, of all to embed. */
  chunks?: number;
  totalChunks?: number;
}

export interface RunIndexerOptions {
  config: Config;
  log: Logger;
  /** null → keyword-only index. */
  embedder: Embedder | null;
  /** Why there is no embedder (from `loadEmbedder`), recorded in the manifest and logged. */
  modelError?: string | null;
  /** Rebuild from scratch, ignoring the previous index. */
  full?: boolean;
  onProgress?: (p: IndexProgress) => void;
  /** Wait this long for another writer to finish (default 0: fail at once with IndexLockedError). */
  lockWaitMs?: number;
  /** Fault injection for tests (see disk.ts). */
  saveHooks?: SaveHooks;
}

/** What `runIndexer` returns: the summary plus the generation now live (null when nothing was written and there is no index). */
export interface IndexRunResult extends IndexSummary {
  generation: string | null;
  /** Whether a new generation was written. */
  written: boolean;
  /** Why a full rebuild was done, if it was. */
  rebuildReason: string | null;
  /** Sentence vectors added (hybrid; see store/sentences.ts). */
  sentencesEmbedded: number;
  /** Texts whose vectors came from the previous version of a changed article instead of the model. */
  reusedVectors: number;
  /** Texts whose vectors came from an interrupted run's journal (see journal.ts). */
  resumedVectors: number;
  /** Time in the model: chunk passages, and sentences (what sentence vectors add to a build). */
  embedMs: { passages: number; sentences: number };
  /** CPU time of this process (all threads) over the same calls: steadier than wall time on a shared machine. */
  embedCpuMs: { passages: number; sentences: number };
}

/** Keyword-only warnings already given by this process (once per model + reason). */
const warnedKeywordOnly = new Set<string>();

/** The text embedded for a chunk: headline, newline, verbatim chunk text. */
export function passageText(article: Pick<Article, 'kicker' | 'title'>, chunk: Pick<Chunk, 'text'>): string {
  return `${headlineOf(article)}\n${chunk.text}`;
}

/**
 * Brings the index in `config.indexDir` up to date with the pages in `config.seedsDir`.
 *
 * @example
 * const load = await loadEmbedder(config, log);
 * const summary = await runIndexer({ config, log, embedder: load.ok ? load.embedder : null,
 *   modelError: load.ok ? null : load.reason });
 * // → { mode: 'hybrid', articles: 31, chunks: 74, added: 31, changed: 0, removed: 0, unchanged: 0, embedded: 74, skipped: [] }
 */
export async function runIndexer(opts: RunIndexerOptions): Promise<IndexRunResult> {
  const { config, log, embedder } = opts;
  const dir = config.indexDir;
  const modelError = embedder ? null : (opts.modelError ?? 'no embedding model loaded');
  if (modelError !== null) warnKeywordOnly(log, config, modelError);
  const lock = await acquireLock(dir, { waitMs: opts.lockWaitMs ?? 0 });
  // New sentence vectors are spilled here while a run embeds (gigabytes on a first build); a save
  // hard-links them into the generation. Whatever an interrupted run left is ours to delete (we hold the lock).
  const spillDir = path.join(dir, SPILL_DIR);
  fs.rmSync(spillDir, { recursive: true, force: true });
  const run: Run = {
    opts,
    dir,
    spillDir,
    modelError,
    prev: null,
    progress: opts.onProgress ?? (() => {}),
    journal: null,
    skipped: [],
    counts: { added: 0, changed: 0, removed: 0, unchanged: 0 },
  };
  try {
    return await indexRun(run);
  } finally {
    run.journal?.close();
    fs.rmSync(spillDir, { recursive: true, force: true });
    lock.release();
  }
}

/** One run's state, shared by its steps. */
interface Run {
  opts: RunIndexerOptions;
  dir: string;
  spillDir: string;
  modelError: string | null;
  /** The previous generation's manifest, when readable. */
  prev: IndexManifest | null;
  progress: (p: IndexProgress) => void;
  journal: EmbedJournal | null;
  skipped: IndexSummary['skipped'];
  counts: { added: number; changed: number; removed: number; unchanged: number };
}

/** A page to parse: its content hash and bytes. */
interface PageBytes {
  file: string;
  hash: string;
  bytes: Buffer;
}

/** An article to chunk, embed and add. */
interface Todo {
  article: Article;
  kind: 'added' | 'changed';
}

/** The run under the lock: plan, open, apply the plan, embed, save. */
async function indexRun(run: Run): Promise<IndexRunResult> {
  const { opts, dir } = run;
  const { config, log, embedder } = opts;
  const mode: SearchMode = embedder ? 'hybrid' : 'keyword';
  const hnswParams: HnswParams = { M: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, ef: config.HNSW_EF };
  const { prev, prevGen, unreadable } = previousManifest(dir, log);
  run.prev = prev;
  const files = listPages(config.seedsDir);
  const prevFiles = (prev?.files ?? {}) as Record<string, ManifestFile>;
  const pages = hashPages(config.seedsDir, files, run.progress);
  const plan = planPages({ prev, pages, full: opts.full === true, mode, model: embedder, hnsw: embedder ? hnswParams : null });
  const rebuildReason = unreadable ?? plan.rebuildReason;
  for (const file of plan.unchanged) {
    const error = prevFiles[file]?.error;
    if (error) reportSkip(log, run.skipped, file, error, prevFiles[file]?.articleIds.length ?? 0, true);
  }
  if (plan.upToDate && prev) {
    run.progress({ phase: 'parse', done: files.length, total: files.length });
    log.info({ dir, generation: prevGen }, 'index: up to date, nothing written');
    return upToDateSummary(prev, prevGen, run.skipped);
  }
  const opened = openIndex(run, { prev, prevGen, incremental: rebuildReason === null && prev !== null, rebuildReason, mode, hnswParams });
  const { index } = opened;
  // The previous index turned out unreadable: every page must be parsed again.
  const toParse = readPages(config.seedsDir, opened.reparseAll ? files : plan.parse);
  if (!opened.reparseAll) {
    for (const file of plan.unchanged) run.counts.unchanged += index.manifest.files[file]?.articleIds.length ?? 0;
    for (const file of plan.removed) removePage(run, index, file);
  }
  const previousVectors = new Map<string, Float32Array>();
  const todo = parsePages(run, index, toParse, files.length - toParse.length, prevGen, previousVectors);
  const embedded = await embedAndAdd(run, index, todo, previousVectors, opened.fromEmpty);
  finishGraph(index, hnswParams, plan.hnswChanged && !opened.reparseAll, log);
  index.manifest.modelError = run.modelError;
  if (embedder && index.sentences && denseStatsStale(index, embedder.modelId)) index.manifest.dense = await measureDenseStats(index, embedder);
  else if (!embedder) index.manifest.dense = null;
  const generation = await saveIndex(index, opts.saveHooks, (done, total) => run.progress({ phase: 'write', done, total }));
  run.journal?.remove();
  run.journal = null;
  fs.rmSync(path.join(dir, JOURNAL_DIR), { recursive: true, force: true });
  if (embedded.resumed > 0) log.info({ resumed: embedded.resumed }, `index: ${embedded.resumed} vectors taken from an interrupted run's journal`);
  const summary = writtenSummary(run, index, generation, prev ? rebuildReason : null, embedded);
  log.info({ dir, ...summary, skipped: run.skipped.length }, 'index: written');
  return summary;
}

/** The previous generation's manifest (only it, for now), or why it is unusable. */
function previousManifest(dir: string, log: Logger): { prev: IndexManifest | null; prevGen: string | null; unreadable: string | null } {
  const prevGen = currentGeneration(dir);
  if (!prevGen) return { prev: null, prevGen, unreadable: null };
  try {
    return { prev: readManifest(dir, prevGen), prevGen, unreadable: null };
  } catch (e) {
    const unreadable = `previous index unreadable (${errText(e)})`;
    log.warn({ dir, err: e }, `index: ${unreadable}; rebuilding from scratch`);
    return { prev: null, prevGen, unreadable };
  }
}

/** Every page's content hash (what the plan compares with the manifest). */
function hashPages(dir: string, files: readonly string[], progress: (p: IndexProgress) => void): { file: string; hash: string }[] {
  return files.map((file, i) => {
    if (i % 64 === 0) progress({ phase: 'parse', done: i, total: files.length });
    return { file, hash: hashBytes(fs.readFileSync(path.join(dir, file))) };
  });
}

/** The bytes of the pages to parse, hashed again (the hash recorded is that of what was parsed). */
function readPages(dir: string, files: readonly string[]): PageBytes[] {
  return files.map((file) => {
    const bytes = fs.readFileSync(path.join(dir, file));
    return { file, hash: hashBytes(bytes), bytes };
  });
}

/** The previous index opened for update, or an empty one (a rebuild, or the previous one unreadable). */
function openIndex(
  run: Run,
  a: { prev: IndexManifest | null; prevGen: string | null; incremental: boolean; rebuildReason: string | null; mode: SearchMode; hnswParams: HnswParams },
): { index: MemoryIndex; fromEmpty: boolean; reparseAll: boolean } {
  const { log, embedder } = run.opts;
  if (a.incremental && a.prev && a.prevGen) {
    try {
      return { index: openForUpdate(run.dir, a.prevGen, a.prev, a.hnswParams.ef, run.spillDir), fromEmpty: false, reparseAll: false };
    } catch (e) {
      const reason = `previous index unreadable (${errText(e)})`;
      log.warn({ dir: run.dir, err: e }, `index: ${reason}; rebuilding from scratch`);
      return { index: emptyIndex(run.dir, a.mode, embedder, a.hnswParams, run.spillDir), fromEmpty: true, reparseAll: true };
    }
  }
  if (a.rebuildReason && a.prev) log.info({ dir: run.dir, reason: a.rebuildReason }, `index: full rebuild: ${a.rebuildReason}`);
  return { index: emptyIndex(run.dir, a.mode, embedder, a.hnswParams, run.spillDir), fromEmpty: true, reparseAll: false };
}

function removePage(run: Run, index: MemoryIndex, file: string): void {
  const files = index.manifest.files as Record<string, ManifestFile>;
  for (const id of files[file]?.articleIds ?? []) {
    index.removeArticle(id);
    run.counts.removed++;
  }
  delete files[file];
}

/**
 * Parses the pages to parse and applies each one's article diff; returns the articles to embed. A
 * changed article's old vectors (by text) go to `previousVectors` for this run: most of its
 * sentences, and often some chunks, did not change.
 */
function parsePages(run: Run, index: MemoryIndex, pages: readonly PageBytes[], done: number, prevGen: string | null, previousVectors: Map<string, Float32Array>): Todo[] {
  const { log } = run.opts;
  const files = index.manifest.files as Record<string, ManifestFile>;
  const todo: Todo[] = [];
  let previousArticles: Map<string, Article> | null | undefined;
  const loadPrevious = (): Map<string, Article> | null => {
    if (previousArticles === undefined) previousArticles = readPreviousArticles(run.dir, prevGen, log);
    return previousArticles;
  };
  const total = done + pages.length;
  for (const [i, { file, hash, bytes }] of pages.entries()) {
    run.progress({ phase: 'parse', done: done + i, total });
    let parsed: Article[];
    try {
      parsed = parsePage(file, bytes.toString('utf8')).articles;
    } catch (e) {
      keepFailingPage(run, index, { file, hash, error: errText(e) }, loadPrevious, todo);
      continue;
    }
    const diff = planArticles(index.manifest.articles, files[file]?.articleIds ?? [], parsed);
    for (const a of diff.duplicates) log.warn({ file, articleId: a.id }, 'index: two articles on one page share an id (same headline); the second is dropped');
    for (const a of diff.unchanged) index.refreshArticle(a);
    for (const a of diff.changed) {
      rememberVectors(index, a.id, previousVectors);
      index.removeArticle(a.id);
    }
    for (const id of diff.removed) index.removeArticle(id);
    run.counts.unchanged += diff.unchanged.length;
    run.counts.removed += diff.removed.length;
    // In page order, as the articles come.
    const kinds = new Map<string, Todo['kind']>([...diff.changed.map((a) => [a.id, 'changed'] as const), ...diff.added.map((a) => [a.id, 'added'] as const)]);
    for (const a of parsed) {
      const kind = kinds.get(a.id);
      if (kind && kinds.delete(a.id)) todo.push({ article: a, kind });
    }
    files[file] = { hash, articleIds: diff.ids };
  }
  run.progress({ phase: 'parse', done: total, total });
  return todo;
}

/**
 * A page that no longer parses keeps the articles it had; in a rebuild they come from the
 * previous generation.
 */
function keepFailingPage(
  run: Run,
  index: MemoryIndex,
  page: { file: string; hash: string; error: string },
  loadPrevious: () => Map<string, Article> | null,
  todo: Todo[],
): void {
  const files = index.manifest.files as Record<string, ManifestFile>;
  const old = files[page.file] ?? (run.prev?.files[page.file] as ManifestFile | undefined);
  let kept = old?.articleIds.filter((id) => index.hasArticle(id)) ?? [];
  if (kept.length === 0 && old && old.articleIds.length > 0) {
    // Full rebuild: bring the page's last good articles over from the previous generation.
    const prevArticles = loadPrevious();
    for (const id of old.articleIds) {
      const a = prevArticles?.get(id);
      if (a && !index.hasArticle(id)) {
        todo.push({ article: a, kind: 'added' });
        kept.push(id);
      }
    }
  }
  kept = [...new Set(kept)];
  run.counts.unchanged += kept.filter((id) => index.hasArticle(id)).length;
  files[page.file] = { hash: page.hash, articleIds: kept, error: page.error };
  reportSkip(run.opts.log, run.skipped, page.file, page.error, kept.length, false);
}

/** What embedding added: counts and time in the model. */
interface Embedded {
  embedded: number;
  sentencesEmbedded: number;
  reused: number;
  resumed: number;
  embedMs: { passages: number; sentences: number };
  embedCpuMs: { passages: number; sentences: number };
}

/** An article with its new chunks and (hybrid) sentence spans, ready to embed. */
interface Work extends Todo {
  chunks: Chunk[];
  spans: SentenceSpan[];
}

/**
 * Chunks and embeds what is new or changed — each chunk (as a passage) and each sentence (for the
 * answer path) — in slices of whole articles, adding each article once its vectors are in. Texts
 * already embedded (in this slice, in the previous version of a changed article, in an interrupted
 * run's journal) are not embedded again.
 */
async function embedAndAdd(run: Run, index: MemoryIndex, todo: readonly Todo[], previousVectors: Map<string, Float32Array>, fromEmpty: boolean): Promise<Embedded> {
  const { embedder } = run.opts;
  const work: Work[] = todo.map(({ article, kind }) => {
    const chunks = chunksOf(article, embedder, index.manifest.nextChunkId);
    index.manifest.nextChunkId += chunks.length;
    return { article, kind, chunks, spans: embedder ? articleSentenceSpans(article, chunks) : [] };
  });
  const totalChunks = work.reduce((n, w) => n + w.chunks.length, 0);
  const totalTexts = work.reduce((n, w) => n + w.chunks.length + w.spans.length, 0);
  const out: Embedded = { embedded: 0, sentencesEmbedded: 0, reused: 0, resumed: 0, embedMs: { passages: 0, sentences: 0 }, embedCpuMs: { passages: 0, sentences: 0 } };
  const textsDone = { n: 0 };
  if (embedder && totalChunks > 0) run.progress({ phase: 'embed', done: 0, total: totalTexts, chunks: 0, totalChunks });
  // Vectors an interrupted run already computed (see journal.ts); this run's go there too.
  run.journal = embedder && totalChunks > 0 ? EmbedJournal.open(run.dir, embedder.modelId, embedder.dim) : null;
  // A build from empty indexes all chunks' keywords at once at the end, the tokenizer on worker
  // threads (same index as adding them one by one; see keyword-build.ts).
  const deferKeyword: KeywordItem[] | null = fromEmpty && totalChunks >= PARALLEL_FROM ? [] : null;
  for (let i = 0; i < work.length; ) {
    let j = i;
    let n = 0;
    while (j < work.length && (n === 0 || n + (work[j]?.chunks.length ?? 0) <= EMBED_SLICE)) n += work[j++]?.chunks.length ?? 0;
    const slice = work.slice(i, j);
    const vectorOf = embedder ? await embedSlice(run, slice, previousVectors, out, { textsDone, totalTexts, totalChunks }) : null;
    for (const w of slice) {
      const chunkVectors = vectorOf ? w.chunks.map((c) => vectorOf(passageText(w.article, c))) : null;
      const sentences = vectorOf ? { spans: w.spans, vectors: w.spans.map((sp) => vectorOf(w.article.text.slice(sp.start, sp.end))) } : undefined;
      index.addArticle(w.article, w.chunks, chunkVectors, sentences, { keyword: deferKeyword === null });
      if (deferKeyword) for (const chunk of w.chunks) deferKeyword.push({ chunk, article: w.article });
      run.counts[w.kind]++;
    }
    i = j;
  }
  previousVectors.clear();
  if (deferKeyword) index.keyword = await buildKeywordIndex(deferKeyword);
  return out;
}

/** Embeds one slice's texts (passages first, then sentences: two length-sorted runs, timed apart); returns text → vector. */
async function embedSlice(
  run: Run,
  slice: readonly Work[],
  previousVectors: ReadonlyMap<string, Float32Array>,
  out: Embedded,
  at: { textsDone: { n: number }; totalTexts: number; totalChunks: number },
): Promise<(text: string) => Float32Array> {
  const embedder = run.opts.embedder as Embedder;
  const unique = new Map<string, Float32Array | null>();
  const isPassage = new Set<string>();
  let sliceTexts = 0;
  for (const w of slice) {
    for (const c of w.chunks) {
      unique.set(passageText(w.article, c), null);
      isPassage.add(passageText(w.article, c));
    }
    for (const sp of w.spans) unique.set(w.article.text.slice(sp.start, sp.end), null);
    sliceTexts += w.chunks.length + w.spans.length;
  }
  const todoTexts: [string[], string[]] = [[], []];
  for (const t of unique.keys()) {
    const old = previousVectors.get(t);
    const journaled = old ? undefined : run.journal?.get(t);
    if (old) {
      unique.set(t, old);
      out.reused++;
    } else if (journaled) {
      unique.set(t, journaled);
      out.resumed++;
    } else todoTexts[isPassage.has(t) ? 0 : 1].push(t);
  }
  const base = at.textsDone.n;
  const chunksBefore = out.embedded;
  const todoCount = todoTexts[0].length + todoTexts[1].length;
  let doneBefore = 0;
  for (const [kind, texts] of todoTexts.entries()) {
    if (texts.length === 0) continue;
    const key = kind === 0 ? 'passages' : 'sentences';
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const vecs = await embedder.embedPassages(texts, (done) =>
      run.progress({ phase: 'embed', done: base + Math.round(((doneBefore + done) / todoCount) * sliceTexts), total: at.totalTexts, chunks: chunksBefore, totalChunks: at.totalChunks }),
    );
    out.embedMs[key] += performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    out.embedCpuMs[key] += (cpu.user + cpu.system) / 1000;
    if (vecs.length !== texts.length) throw new Error(`embedder returned ${vecs.length} vectors for ${texts.length} passages`);
    texts.forEach((t, k) => unique.set(t, vecs[k] as Float32Array));
    run.journal?.append(texts, vecs);
    doneBefore += texts.length;
  }
  at.textsDone.n += sliceTexts;
  for (const w of slice) {
    out.embedded += w.chunks.length;
    out.sentencesEmbedded += w.spans.length;
  }
  run.progress({ phase: 'embed', done: at.textsDone.n, total: at.totalTexts, chunks: out.embedded, totalChunks: at.totalChunks });
  return (t) => unique.get(t) as Float32Array;
}

/** HNSW upkeep before a save: a rebuild for new settings, or when too many slots are deleted. */
function finishGraph(index: MemoryIndex, hnswParams: HnswParams, settingsChanged: boolean, log: Logger): void {
  if (!index.vectors) return;
  if (settingsChanged) {
    log.info({ M: hnswParams.M, efConstruction: hnswParams.efConstruction }, 'index: HNSW settings changed; rebuilding the graph (no re-embedding)');
    index.vectors.maybeRebuild(true, hnswParams);
  } else if (index.vectors.maybeRebuild()) {
    log.info('index: more than 25% of vector slots were deleted; graph rebuilt');
  }
  index.manifest.hnsw = { ...index.manifest.hnsw, M: index.vectors.params.M, efConstruction: index.vectors.params.efConstruction };
}

/** The result when nothing changed: from the manifest, nothing written. */
function upToDateSummary(prev: IndexManifest, prevGen: string | null, skipped: IndexSummary['skipped']): IndexRunResult {
  const articles = Object.values(prev.articles);
  return {
    mode: prev.mode,
    articles: articles.length,
    chunks: articles.reduce((n, a) => n + a.chunkIds.length, 0),
    added: 0,
    changed: 0,
    removed: 0,
    unchanged: articles.length,
    embedded: 0,
    skipped,
    generation: prevGen,
    written: false,
    rebuildReason: null,
    sentencesEmbedded: 0,
    reusedVectors: 0,
    resumedVectors: 0,
    embedMs: { passages: 0, sentences: 0 },
    embedCpuMs: { passages: 0, sentences: 0 },
  };
}

function writtenSummary(run: Run, index: MemoryIndex, generation: string, rebuildReason: string | null, e: Embedded): IndexRunResult {
  let chunks = 0;
  for (const a of Object.values(index.manifest.articles)) chunks += a.chunkIds.length;
  return {
    mode: index.mode,
    articles: index.articleCount,
    chunks,
    ...run.counts,
    embedded: e.embedded,
    skipped: run.skipped,
    generation,
    written: true,
    rebuildReason,
    sentencesEmbedded: e.sentencesEmbedded,
    reusedVectors: e.reused,
    resumedVectors: e.resumed,
    embedMs: { passages: Math.round(e.embedMs.passages), sentences: Math.round(e.embedMs.sentences) },
    embedCpuMs: { passages: Math.round(e.embedCpuMs.passages), sentences: Math.round(e.embedCpuMs.sentences) },
  };
}

/** Records the passage and sentence vectors of `articleId` by the text they embed (before it is removed). */
function rememberVectors(index: MemoryIndex, articleId: string, into: Map<string, Float32Array>): void {
  const article = index.article(articleId);
  if (!article || !index.vectors) return;
  for (const c of index.chunksOf(articleId)) {
    const v = index.chunkVector(c);
    if (v) into.set(passageText(article, c), v);
  }
  const sentences = index.sentences;
  if (!sentences) return;
  const spans = sentences.spansOf(articleId);
  sentences.vectorsOf(articleId).forEach((v, i) => {
    const sp = spans[i];
    if (sp) into.set(article.text.slice(sp.start, sp.end), v);
  });
}

function emptyIndex(dir: string, mode: SearchMode, embedder: Embedder | null, hnsw: HnswParams, spillDir: string): MemoryIndex {
  const now = new Date().toISOString();
  const manifest: IndexManifest = {
    formatVersion: FORMAT_VERSION,
    chunkerVersion: CHUNKER_VERSION,
    mode,
    model: embedder ? { id: embedder.modelId, dim: embedder.dim, maxTokens: embedder.maxTokens } : null,
    modelError: null,
    hnsw: embedder ? { M: hnsw.M, efConstruction: hnsw.efConstruction } : null,
    dense: null,
    createdAt: now,
    updatedAt: now,
    nextChunkId: 0,
    files: {},
    articles: {},
  };
  const vectors = embedder ? VectorIndex.create(embedder.dim, hnsw) : null;
  const stores = embedder ? [SentenceStore.create(embedder.dim, spillDir), SentenceStore.create(embedder.dim, spillDir, PASSAGE_NAMES)] : [null, null];
  return new MemoryIndex(dir, '', manifest, new Map(), new Map(), KeywordIndex.create(), vectors, stores[0], stores[1]);
}

/**
 * An article's chunks: sized as keyword-only indexing sizes them, so the keyword documents (BM25,
 * IDF) are the same with a model loaded or not — a model that knows nothing must not change the
 * keyword evidence; the model's own sizing only when one of those chunks would not fit it.
 */
export function chunksOf(article: Article, embedder: Embedder | null, firstId: number): Chunk[] {
  const keywordSized = chunkArticle(article, { ...chunkSizing(article, null), firstId });
  if (!embedder || keywordSized.every((c) => embedder.countTokens(passageText(article, c)) <= embedder.maxTokens)) return keywordSized;
  return chunkArticle(article, { ...chunkSizing(article, embedder), firstId });
}

/**
 * Token counting and ceiling for an article's chunks. With a model: its tokenizer, with the
 * headline prefix counted (dropped when the headline alone would take over a quarter of the budget).
 */
export function chunkSizing(article: Pick<Article, 'kicker' | 'title'>, embedder: Embedder | null): ChunkSizing {
  if (!embedder) return { countTokens: estimateTokens, maxTokens: KEYWORD_MAX_TOKENS };
  return headlineSizing(article, (t) => embedder.countTokens(t), embedder.maxTokens);
}

export interface ChunkSizing {
  countTokens: (t: string) => number;
  maxTokens: number;
}

/**
 * Sizing for passages embedded with their headline (see {@link passageText}): tokens counted with the
 * headline prefix, unless the headline alone would take over a quarter of `maxTokens`. The one rule
 * the indexer and the bench's corpus sizing share.
 */
export function headlineSizing(article: Pick<Article, 'kicker' | 'title'>, countTokens: (t: string) => number, maxTokens: number): ChunkSizing {
  const prefix = `${headlineOf(article)}\n`;
  if (countTokens(prefix) > maxTokens / 4) return { countTokens, maxTokens };
  return { countTokens: (t) => countTokens(prefix + t), maxTokens };
}

/** The previous generation's articles (for a failing page during a full rebuild); null when unreadable. */
function readPreviousArticles(dir: string, gen: string | null, log: Logger): Map<string, Article> | null {
  if (!gen) return null;
  try {
    return readAllDocs(path.join(dir, gen), readManifest(dir, gen)).articles;
  } catch (e) {
    log.warn({ err: e }, 'index: could not read the previous articles');
    return null;
  }
}

function reportSkip(log: Logger, skipped: IndexSummary['skipped'], file: string, error: string, kept: number, unchangedSince: boolean): void {
  const note = kept > 0 ? `; kept its ${kept} article(s) from the previous index` : '';
  const full = `${error}${note}${unchangedSince ? ' (page unchanged since)' : ''}`;
  skipped.push({ file, error: full });
  log.warn({ file, error, kept }, `index: page skipped: ${full}`);
}

function warnKeywordOnly(log: Logger, config: Config, reason: string): void {
  const key = `${config.EMBED_MODEL}\n${reason}`;
  if (warnedKeywordOnly.has(key)) return;
  warnedKeywordOnly.add(key);
  log.warn(
    { model: config.EMBED_MODEL, reason },
    `KEYWORD-ONLY INDEX: embedding model ${config.EMBED_MODEL} is not available (${reason}). ` +
      `Answers will use keyword search only. To enable hybrid search, put the model files in ` +
      `${path.join(config.modelDir, config.EMBED_MODEL)}/ or set HF_ENDPOINT to a reachable mirror ` +
      `(e.g. HF_ENDPOINT=https://hf-mirror.com), then run: npm run index`,
  );
}

function errText(e: unknown): string {
  if (e instanceof IndexError) return e.message;
  return e instanceof Error ? e.message : String(e);
}
