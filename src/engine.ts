/**
 * The Engine: one loaded index + (optional) embedder, shared by the bot, the digest and the CLIs.
 */
import type { Answer, Article, SearchMode } from './types.js';
import type { SearchIndex } from './store/types.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { Embedder, EmbedderLoad } from './embed/types.js';
import { loadEmbedder } from './embed/load.js';
import { answerQuestion } from './answer/compose.js';
import { matchArticles } from './rank/topic.js';
import { explainQuestion, type Explanation } from './rank/explain.js';
import { currentGeneration } from './store/disk.js';
import { loadIndex } from './store/load.js';
import { IndexNotFoundError } from './store/errors.js';
import { runIndexer } from './indexer/run.js';

export interface IndexSummary {
  mode: SearchMode;
  articles: number;
  chunks: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  embedded: number;
  /** Page files that could not be parsed, by name, with the reason. */
  skipped: { file: string; error: string }[];
}

export interface EngineStatus {
  mode: SearchMode;
  /** Configured model id. */
  model: string;
  /** Why the model is not in use (keyword-only), shown loudly in /status. */
  modelError: string | null;
  pages: number;
  articles: number;
  chunks: number;
  /** ISO time the index on disk was last written. */
  indexedAt: string | null;
  /** The loaded index generation (INDEX_DIR/CURRENT), for /healthz and /metrics. */
  generation?: string | null;
}

/** One article matched by a topic (digest) with its best sentence. */
export interface TopicMatch {
  article: Article;
  /** The topic model's calibrated probability that the article is about the topic (0…1). */
  probability: number;
  /** Verbatim key sentence from article.text. */
  keySentence: string;
}

export interface Engine {
  /** The index currently loaded (reloaded automatically when the index on disk changes). */
  index(): SearchIndex;
  ask(question: string): Promise<Answer>;
  /** The ranked candidates of a question with each feature's contribution (`ask --explain`). */
  explain(question: string): Promise<Explanation>;
  /** Every indexed article matching a topic, best first (article-level threshold applied). */
  matchTopic(topic: string): Promise<TopicMatch[]>;
  status(): EngineStatus;
  /** Runs the incremental indexer in-process (serialized with other runs) and reloads. */
  reindex(): Promise<IndexSummary>;
  /** Calls `listener` after the loaded index changed (new generation on disk). Returns an unsubscribe function. */
  onIndexChange(listener: (index: SearchIndex) => void): () => void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Implementation

export interface EngineOptions {
  /** Pre-loaded embedder result (tests, CLIs that already tried); otherwise loaded when needed. */
  embedder?: EmbedderLoad;
  /** Build the index from SEEDS_DIR when none exists (so `npm start` works on a fresh clone). */
  buildIfMissing?: boolean;
  /** Poll the index directory for new generations every N ms (0 = never). Defaults to INDEX_POLL_MS. */
  pollMs?: number;
}

/**
 * Loads the index (and the model when the index has vectors) once, answers from it, and reloads
 * when a new generation appears on disk — written by `npm run index` in another process or by `reindex()`.
 */
export async function createEngine(config: Config, log: Logger, opts: EngineOptions = {}): Promise<Engine> {
  let embedderLoad: EmbedderLoad | undefined = opts.embedder;
  let embedderPromise: Promise<EmbedderLoad> | undefined;
  const getEmbedder = async (): Promise<EmbedderLoad> => {
    if (embedderLoad) return embedderLoad;
    embedderPromise ??= loadEmbedder(config, log);
    embedderLoad = await embedderPromise;
    return embedderLoad;
  };

  let indexing: Promise<IndexSummary> | null = null;
  const runIndex = (full = false): Promise<IndexSummary> => {
    // One indexer at a time in this process; the store's lock file guards against other processes.
    indexing ??= (async () => {
      const load = await getEmbedder();
      return runIndexer({
        config,
        log,
        embedder: load.ok ? load.embedder : null,
        modelError: load.ok ? null : load.reason,
        full,
      });
    })().finally(() => {
      indexing = null;
    });
    return indexing;
  };

  if (currentGeneration(config.indexDir) === null) {
    if (!opts.buildIfMissing) throw new IndexNotFoundError(config.indexDir);
    log.info({ seeds: config.seedsDir }, 'no index yet: building it from the seed pages');
    await runIndex();
  }

  let index!: SearchIndex;
  let generation: string | null = null;
  let queryEmbedder: Embedder | null = null;
  let modelError: string | null = null;
  let warnedKeyword = false;

  const load = async (): Promise<void> => {
    const next = loadIndex(config.indexDir, { modelId: config.EMBED_MODEL, ef: config.HNSW_EF });
    const gen = next.generation;
    let emb: Embedder | null = null;
    let err: string | null = next.manifest.modelError;
    if (next.mode === 'hybrid') {
      const l = await getEmbedder();
      if (l.ok) emb = l.embedder;
      else err = `index has vectors but the model could not be loaded (${l.reason}); answering keyword-only`;
    }
    index = next;
    generation = gen;
    queryEmbedder = emb;
    modelError = err;
    const mode = emb ? 'hybrid' : 'keyword';
    if (mode === 'keyword' && !warnedKeyword) {
      warnedKeyword = true;
      log.warn({ model: config.EMBED_MODEL, reason: modelError }, 'KEYWORD-ONLY MODE: answers use BM25 only; English questions cannot be answered');
    }
    log.info({ generation: gen, mode, articles: next.articles.size, chunks: next.chunks.size }, 'index loaded');
  };
  await load();

  const listeners = new Set<(index: SearchIndex) => void>();
  const reloadIfChanged = async (): Promise<boolean> => {
    const gen = currentGeneration(config.indexDir);
    if (gen === null || gen === generation) return false;
    await load();
    for (const l of listeners) {
      try {
        l(index);
      } catch (e) {
        log.error({ err: e }, 'index-change listener failed');
      }
    }
    return true;
  };

  const pollMs = opts.pollMs ?? config.INDEX_POLL_MS;
  let polling = false;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          if (polling) return;
          polling = true;
          reloadIfChanged()
            .catch((e: unknown) => log.error({ err: e }, 'index reload failed; keeping the loaded index'))
            .finally(() => {
              polling = false;
            });
        }, pollMs)
      : null;
  timer?.unref();

  return {
    index: () => index,
    ask: (question) =>
      answerQuestion(index, queryEmbedder, question, config.ANSWER_THRESHOLD !== undefined ? { threshold: config.ANSWER_THRESHOLD } : {}),
    explain: (question) => explainQuestion(index, queryEmbedder, question),
    async matchTopic(topic) {
      const scored = await matchArticles(index, queryEmbedder, topic, config.TOPIC_THRESHOLD !== undefined ? { threshold: config.TOPIC_THRESHOLD } : {});
      return scored.map((s) => ({ article: s.article, probability: s.probability, keySentence: s.keySentence }));
    },
    status: () => ({
      mode: queryEmbedder ? 'hybrid' : 'keyword',
      model: config.EMBED_MODEL,
      modelError,
      pages: Object.keys(index.manifest.files).length,
      articles: index.articles.size,
      chunks: index.chunks.size,
      indexedAt: index.manifest.updatedAt,
      generation,
    }),
    async reindex() {
      const summary = await runIndex();
      await reloadIfChanged();
      return summary;
    },
    onIndexChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (timer) clearInterval(timer);
      listeners.clear();
      await indexing?.catch(() => undefined);
    },
  };
}
