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
import type { Article, Chunk, SearchMode } from '../types.js';
import { denseStatsStale, measureDenseStats } from './dense-stats.js';
import { EmbedJournal, JOURNAL_DIR } from './journal.js';
import { hashBytes, listPages } from './pages.js';

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
  const mode: SearchMode = embedder ? 'hybrid' : 'keyword';
  const modelError = embedder ? null : (opts.modelError ?? 'no embedding model loaded');
  const progress = opts.onProgress ?? (() => {});
  if (modelError !== null) warnKeywordOnly(log, config, modelError);
  const hnswParams: HnswParams = { M: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, ef: config.HNSW_EF };

  const lock = await acquireLock(dir, { waitMs: opts.lockWaitMs ?? 0 });
  // New sentence vectors are spilled here while a run embeds (gigabytes on a first build); a save
  // hard-links them into the generation. Whatever an interrupted run left is ours to delete (we hold the lock).
  const spillDir = path.join(dir, SPILL_DIR);
  fs.rmSync(spillDir, { recursive: true, force: true });
  let journal: EmbedJournal | null = null;
  try {
    const pages = listPages(config.seedsDir);

    // The previous index: its manifest only, for now.
    const prevGen = currentGeneration(dir);
    let prev: IndexManifest | null = null;
    let rebuildReason: string | null = null;
    if (prevGen) {
      try {
        prev = readManifest(dir, prevGen);
      } catch (e) {
        rebuildReason = `previous index unreadable (${errText(e)})`;
        log.warn({ dir, err: e }, `index: ${rebuildReason}; rebuilding from scratch`);
      }
    }
    if (opts.full) rebuildReason = 'requested (--full)';
    else if (prev) rebuildReason ??= whyRebuild(prev, mode, embedder);

    // Hash every page; keep the bytes of those that must be parsed.
    const incremental = prev !== null && rebuildReason === null;
    const changed: { file: string; hash: string; bytes: Buffer }[] = [];
    const unchangedFiles: string[] = [];
    for (const [i, file] of pages.entries()) {
      const bytes = fs.readFileSync(path.join(config.seedsDir, file));
      const hash = hashBytes(bytes);
      if (incremental && prev?.files[file]?.hash === hash) unchangedFiles.push(file);
      else changed.push({ file, hash, bytes });
      if (i % 64 === 0) progress({ phase: 'parse', done: i, total: pages.length });
    }
    const present = new Set(pages);
    const removedFiles = incremental && prev ? Object.keys(prev.files).filter((f) => !present.has(f)) : [];
    const hnswChanged =
      incremental && mode === 'hybrid' && (prev?.hnsw?.M !== hnswParams.M || prev?.hnsw?.efConstruction !== hnswParams.efConstruction);

    const skipped: IndexSummary['skipped'] = [];
    const fileEntries = (prev?.files ?? {}) as Record<string, ManifestFile>;
    for (const file of unchangedFiles) {
      const error = fileEntries[file]?.error;
      if (error) reportSkip(log, skipped, file, error, fileEntries[file]?.articleIds.length ?? 0, true);
    }

    // Nothing to do: report from the manifest, write nothing.
    if (incremental && prev && changed.length === 0 && removedFiles.length === 0 && !hnswChanged) {
      progress({ phase: 'parse', done: pages.length, total: pages.length });
      const articles = Object.values(prev.articles);
      const summary: IndexRunResult = {
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
      log.info({ dir, generation: prevGen }, 'index: up to date, nothing written');
      return summary;
    }

    // Something to do: open the previous index for update, or start empty.
    let loaded: MemoryIndex | null = null;
    if (incremental && prev && prevGen) {
      try {
        loaded = openForUpdate(dir, prevGen, prev, hnswParams.ef, spillDir);
      } catch (e) {
        rebuildReason = `previous index unreadable (${errText(e)})`;
        log.warn({ dir, err: e }, `index: ${rebuildReason}; rebuilding from scratch`);
      }
    }
    const fromEmpty = !loaded;
    if (!loaded) {
      if (rebuildReason && prev) log.info({ dir, reason: rebuildReason }, `index: full rebuild: ${rebuildReason}`);
      loaded = emptyIndex(dir, mode, embedder, hnswParams, spillDir);
      if (incremental) {
        // The previous index turned out unreadable: every page must be parsed again.
        for (const file of unchangedFiles.splice(0)) {
          const bytes = fs.readFileSync(path.join(config.seedsDir, file));
          changed.push({ file, hash: hashBytes(bytes), bytes });
        }
        removedFiles.splice(0);
      }
    }
    const index: MemoryIndex = loaded;
    const files = index.manifest.files as Record<string, ManifestFile>;

    let added = 0;
    let changedCount = 0;
    let removed = 0;
    let unchanged = 0;
    for (const file of unchangedFiles) unchanged += files[file]?.articleIds.length ?? 0;

    for (const file of removedFiles) {
      for (const id of files[file]?.articleIds ?? []) {
        index.removeArticle(id);
        removed++;
      }
      delete files[file];
    }

    // Parse changed pages and diff their articles. A changed article's old vectors (by text) are kept
    // for this run: most of its sentences, and often some chunks, did not change.
    const previousVectors = new Map<string, Float32Array>();
    const todo: { article: Article; kind: 'added' | 'changed' }[] = [];
    let previousArticles: Map<string, Article> | null | undefined;
    const loadPrevious = (): Map<string, Article> | null => {
      if (previousArticles === undefined) previousArticles = readPreviousArticles(dir, prevGen, log);
      return previousArticles;
    };
    for (const [i, { file, hash, bytes }] of changed.entries()) {
      progress({ phase: 'parse', done: unchangedFiles.length + i, total: pages.length });
      let parsed: Article[];
      try {
        parsed = parsePage(file, bytes.toString('utf8')).articles;
      } catch (e) {
        const error = errText(e);
        const old = files[file] ?? (prev?.files[file] as ManifestFile | undefined);
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
        unchanged += kept.filter((id) => index.hasArticle(id)).length;
        files[file] = { hash, articleIds: kept, error };
        reportSkip(log, skipped, file, error, kept.length, false);
        continue;
      }

      const oldIds = new Set(files[file]?.articleIds ?? []);
      const ids: string[] = [];
      for (const article of parsed) {
        if (ids.includes(article.id)) {
          log.warn({ file, articleId: article.id }, 'index: two articles on one page share an id (same headline); the second is dropped');
          continue;
        }
        ids.push(article.id);
        const entry = index.manifest.articles[article.id];
        if (entry && entry.hash === article.hash) {
          index.refreshArticle(article);
          unchanged++;
        } else if (entry) {
          rememberVectors(index, article.id, previousVectors);
          index.removeArticle(article.id);
          todo.push({ article, kind: 'changed' });
        } else {
          todo.push({ article, kind: 'added' });
        }
      }
      for (const id of oldIds) {
        if (!ids.includes(id)) {
          index.removeArticle(id);
          removed++;
        }
      }
      files[file] = { hash, articleIds: ids };
    }
    progress({ phase: 'parse', done: pages.length, total: pages.length });

    // Chunk and embed what is new or changed: each chunk (as a passage) and each sentence (for the
    // answer path), texts already embedded — in this slice, or in the previous version of a changed
    // article — are not embedded again.
    const work = todo.map(({ article, kind }) => {
      const chunks = chunkArticle(article, { ...chunkSizing(article, embedder), firstId: index.manifest.nextChunkId });
      index.manifest.nextChunkId += chunks.length;
      const spans = embedder ? articleSentenceSpans(article, chunks) : [];
      return { article, kind, chunks, spans };
    });
    const totalChunks = work.reduce((n, w) => n + w.chunks.length, 0);
    const totalTexts = work.reduce((n, w) => n + w.chunks.length + w.spans.length, 0);
    let embedded = 0;
    let sentencesEmbedded = 0;
    let textsDone = 0;
    let reused = 0;
    const embedMs = { passages: 0, sentences: 0 };
    const embedCpuMs = { passages: 0, sentences: 0 };
    if (embedder && totalChunks > 0) progress({ phase: 'embed', done: 0, total: totalTexts, chunks: 0, totalChunks });
    // Vectors an interrupted run already computed (see journal.ts); this run's go there too.
    journal = embedder && totalChunks > 0 ? EmbedJournal.open(dir, embedder.modelId, embedder.dim) : null;
    let resumed = 0;
    // A build from empty indexes all chunks' keywords at once at the end, the tokenizer on worker
    // threads (same index as adding them one by one; see keyword-build.ts).
    const deferKeyword: KeywordItem[] | null = fromEmpty && totalChunks >= PARALLEL_FROM ? [] : null;
    // Embed in slices of whole articles, adding each article once its vectors are in.
    for (let i = 0; i < work.length; ) {
      let j = i;
      let n = 0;
      while (j < work.length && (n === 0 || n + (work[j]?.chunks.length ?? 0) <= EMBED_SLICE)) n += work[j++]?.chunks.length ?? 0;
      const slice = work.slice(i, j);
      let vectorOf: ((text: string) => Float32Array) | null = null;
      if (embedder) {
        const unique = new Map<string, Float32Array | null>();
        let sliceTexts = 0;
        for (const w of slice) {
          for (const c of w.chunks) unique.set(passageText(w.article, c), null);
          for (const sp of w.spans) unique.set(w.article.text.slice(sp.start, sp.end), null);
          sliceTexts += w.chunks.length + w.spans.length;
        }
        // Passages first, then sentences: two length-sorted runs, timed apart (see IndexRunResult.embedMs).
        const isPassage = new Set<string>();
        for (const w of slice) for (const c of w.chunks) isPassage.add(passageText(w.article, c));
        const todoTexts: [string[], string[]] = [[], []];
        for (const t of unique.keys()) {
          const old = previousVectors.get(t);
          const journaled = old ? undefined : journal?.get(t);
          if (old) {
            unique.set(t, old);
            reused++;
          } else if (journaled) {
            unique.set(t, journaled);
            resumed++;
          } else todoTexts[isPassage.has(t) ? 0 : 1].push(t);
        }
        const base = textsDone;
        const chunksBefore = embedded;
        const todoCount = todoTexts[0].length + todoTexts[1].length;
        let doneBefore = 0;
        for (const [kind, texts] of todoTexts.entries()) {
          if (texts.length === 0) continue;
          const t0 = performance.now();
          const c0 = process.cpuUsage();
          const vecs = await embedder.embedPassages(texts, (done) =>
            progress({ phase: 'embed', done: base + Math.round(((doneBefore + done) / todoCount) * sliceTexts), total: totalTexts, chunks: chunksBefore, totalChunks }),
          );
          embedMs[kind === 0 ? 'passages' : 'sentences'] += performance.now() - t0;
          const cpu = process.cpuUsage(c0);
          embedCpuMs[kind === 0 ? 'passages' : 'sentences'] += (cpu.user + cpu.system) / 1000;
          if (vecs.length !== texts.length) throw new Error(`embedder returned ${vecs.length} vectors for ${texts.length} passages`);
          texts.forEach((t, k) => unique.set(t, vecs[k] as Float32Array));
          journal?.append(texts, vecs);
          doneBefore += texts.length;
        }
        vectorOf = (t) => unique.get(t) as Float32Array;
        textsDone += sliceTexts;
        for (const w of slice) {
          embedded += w.chunks.length;
          sentencesEmbedded += w.spans.length;
        }
        progress({ phase: 'embed', done: textsDone, total: totalTexts, chunks: embedded, totalChunks });
      }
      for (const w of slice) {
        const chunkVectors = vectorOf ? w.chunks.map((c) => vectorOf(passageText(w.article, c))) : null;
        const sentences = vectorOf ? { spans: w.spans, vectors: w.spans.map((sp) => vectorOf(w.article.text.slice(sp.start, sp.end))) } : undefined;
        index.addArticle(w.article, w.chunks, chunkVectors, sentences, { keyword: deferKeyword === null });
        if (deferKeyword) for (const chunk of w.chunks) deferKeyword.push({ chunk, article: w.article });
        if (w.kind === 'added') added++;
        else changedCount++;
      }
      i = j;
    }
    previousVectors.clear();
    if (deferKeyword) index.keyword = await buildKeywordIndex(deferKeyword);

    if (index.vectors) {
      if (hnswChanged) {
        log.info({ M: hnswParams.M, efConstruction: hnswParams.efConstruction }, 'index: HNSW settings changed; rebuilding the graph (no re-embedding)');
        index.vectors.maybeRebuild(true, hnswParams);
      } else if (index.vectors.maybeRebuild()) {
        log.info('index: more than 25% of vector slots were deleted; graph rebuilt');
      }
      index.manifest.hnsw = { M: index.vectors.params.M, efConstruction: index.vectors.params.efConstruction };
    }
    index.manifest.modelError = modelError;
    if (embedder && index.sentences && denseStatsStale(index, embedder.modelId)) {
      index.manifest.dense = await measureDenseStats(index, embedder);
    } else if (!embedder) {
      index.manifest.dense = null;
    }

    const generation = await saveIndex(index, opts.saveHooks, (done, total) => progress({ phase: 'write', done, total }));
    journal?.remove();
    journal = null;
    fs.rmSync(path.join(dir, JOURNAL_DIR), { recursive: true, force: true });
    if (resumed > 0) log.info({ resumed }, `index: ${resumed} vectors taken from an interrupted run's journal`);
    let totalChunkCount = 0;
    for (const a of Object.values(index.manifest.articles)) totalChunkCount += a.chunkIds.length;
    const summary: IndexRunResult = {
      mode,
      articles: index.articleCount,
      chunks: totalChunkCount,
      added,
      changed: changedCount,
      removed,
      unchanged,
      embedded,
      skipped,
      generation,
      written: true,
      rebuildReason: prev ? rebuildReason : null,
      sentencesEmbedded,
      reusedVectors: reused,
      resumedVectors: resumed,
      embedMs: { passages: Math.round(embedMs.passages), sentences: Math.round(embedMs.sentences) },
      embedCpuMs: { passages: Math.round(embedCpuMs.passages), sentences: Math.round(embedCpuMs.sentences) },
    };
    log.info({ dir, ...summary, skipped: skipped.length }, 'index: written');
    return summary;
  } finally {
    journal?.close();
    fs.rmSync(spillDir, { recursive: true, force: true });
    lock.release();
  }
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

/** Why the previous index cannot be updated incrementally, or null when it can. */
export function whyRebuild(prev: IndexManifest, mode: SearchMode, embedder: Embedder | null): string | null {
  if (prev.formatVersion !== FORMAT_VERSION) return `index format changed (${prev.formatVersion} → ${FORMAT_VERSION})`;
  if (prev.chunkerVersion !== CHUNKER_VERSION) return `chunker changed (${prev.chunkerVersion} → ${CHUNKER_VERSION})`;
  if (prev.mode !== mode) {
    return mode === 'hybrid'
      ? `the previous index is keyword-only; the model ${embedder?.modelId} is now available`
      : `the previous index is hybrid (${prev.model?.id}), but no model is available now`;
  }
  if (embedder && prev.model) {
    if (prev.model.id !== embedder.modelId) return `model changed (${prev.model.id} → ${embedder.modelId})`;
    if (prev.model.dim !== embedder.dim) return `model dimension changed (${prev.model.dim} → ${embedder.dim})`;
    if (prev.model.maxTokens !== embedder.maxTokens) return `model max tokens changed (${prev.model.maxTokens} → ${embedder.maxTokens})`;
  }
  return null;
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
 * Token counting and ceiling for an article's chunks. With a model: its tokenizer, with the
 * headline prefix counted (dropped when the headline alone would take over a quarter of the budget).
 */
export function chunkSizing(article: Article, embedder: Embedder | null): { countTokens: (t: string) => number; maxTokens: number } {
  if (!embedder) return { countTokens: estimateTokens, maxTokens: KEYWORD_MAX_TOKENS };
  const prefix = `${headlineOf(article)}\n`;
  if (embedder.countTokens(prefix) > embedder.maxTokens / 4) return { countTokens: (t) => embedder.countTokens(t), maxTokens: embedder.maxTokens };
  return { countTokens: (t) => embedder.countTokens(prefix + t), maxTokens: embedder.maxTokens };
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
