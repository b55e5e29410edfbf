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
  const getEmbedder = lazyEmbedder(config, log, opts.embedder);
  const indexer = serialIndexer(config, log, getEmbedder);
  if (currentGeneration(config.indexDir) === null) {
    if (!opts.buildIfMissing) throw new IndexNotFoundError(config.indexDir);
    log.info({ seeds: config.seedsDir }, 'no index yet: building it from the seed pages');
    await indexer.run();
  }
  const live = new LiveIndex(config, log, getEmbedder);
  await live.load();
  const timer = pollEvery(opts.pollMs ?? config.INDEX_POLL_MS, () =>
    live.reloadIfChanged().catch((e: unknown) => log.error({ err: e }, 'index reload failed; keeping the loaded index')),
  );
  const answerOpts = config.ANSWER_THRESHOLD !== undefined ? { threshold: config.ANSWER_THRESHOLD } : {};
  const topicOpts = config.TOPIC_THRESHOLD !== undefined ? { threshold: config.TOPIC_THRESHOLD } : {};

  return {
    index: () => live.index,
    ask: (question) => answerQuestion(live.index, live.queryEmbedder, question, answerOpts),
    explain: (question) => explainQuestion(live.index, live.queryEmbedder, question),
    async matchTopic(topic) {
      const scored = await matchArticles(live.index, live.queryEmbedder, topic, topicOpts);
      return scored.map((s) => ({ article: s.article, probability: s.probability, keySentence: s.keySentence }));
    },
    status: () => live.status(),
    async reindex() {
      const summary = await indexer.run();
      await live.reloadIfChanged();
      return summary;
    },
    onIndexChange(listener) {
      live.listeners.add(listener);
      return () => live.listeners.delete(listener);
    },
    async close() {
      if (timer) clearInterval(timer);
      live.listeners.clear();
      await indexer.running()?.catch(() => undefined);
    },
  };
}

/** The embedder, loaded once when first needed (or the one given). */
function lazyEmbedder(config: Config, log: Logger, given: EmbedderLoad | undefined): () => Promise<EmbedderLoad> {
  let loaded = given;
  let loading: Promise<EmbedderLoad> | undefined;
  return async () => {
    if (loaded) return loaded;
    loading ??= loadEmbedder(config, log);
    loaded = await loading;
    return loaded;
  };
}

/** One indexer at a time in this process; the store's lock file guards against other processes. */
function serialIndexer(
  config: Config,
  log: Logger,
  getEmbedder: () => Promise<EmbedderLoad>,
): { run(full?: boolean): Promise<IndexSummary>; running(): Promise<IndexSummary> | null } {
  let indexing: Promise<IndexSummary> | null = null;
  const start = async (full: boolean): Promise<IndexSummary> => {
    const load = await getEmbedder();
    return runIndexer({ config, log, embedder: load.ok ? load.embedder : null, modelError: load.ok ? null : load.reason, full });
  };
  return {
    run(full = false) {
      indexing ??= start(full).finally(() => {
        indexing = null;
      });
      return indexing;
    },
    running: () => indexing,
  };
}

/** Calls `tick` every `ms` (never two at once; 0 = never); the timer does not keep the process alive. */
function pollEvery(ms: number, tick: () => Promise<unknown>): ReturnType<typeof setInterval> | null {
  if (ms <= 0) return null;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void tick().finally(() => {
      busy = false;
    });
  }, ms);
  timer.unref();
  return timer;
}

/** The index generation currently loaded, with the query embedder that fits it. */
class LiveIndex {
  index!: SearchIndex;
  generation: string | null = null;
  queryEmbedder: Embedder | null = null;
  modelError: string | null = null;
  readonly listeners = new Set<(index: SearchIndex) => void>();
  private warnedKeyword = false;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly getEmbedder: () => Promise<EmbedderLoad>,
  ) {}

  async load(): Promise<void> {
    const { config, log } = this;
    const next = loadIndex(config.indexDir, { modelId: config.EMBED_MODEL, ef: config.HNSW_EF });
    let emb: Embedder | null = null;
    let err: string | null = next.manifest.modelError;
    if (next.mode === 'hybrid') {
      const l = await this.getEmbedder();
      if (l.ok) emb = l.embedder;
      else err = `index has vectors but the model could not be loaded (${l.reason}); answering keyword-only`;
    }
    this.index = next;
    this.generation = next.generation;
    this.queryEmbedder = emb;
    this.modelError = err;
    const mode = emb ? 'hybrid' : 'keyword';
    if (mode === 'keyword' && !this.warnedKeyword) {
      this.warnedKeyword = true;
      log.warn({ model: config.EMBED_MODEL, reason: err }, 'KEYWORD-ONLY MODE: answers use BM25 only; English questions cannot be answered');
    }
    log.info({ generation: next.generation, mode, articles: next.articles.size, chunks: next.chunks.size }, 'index loaded');
  }

  /** Loads a new generation when there is one and tells the listeners; false when nothing changed. */
  async reloadIfChanged(): Promise<boolean> {
    const gen = currentGeneration(this.config.indexDir);
    if (gen === null || gen === this.generation) return false;
    await this.load();
    for (const l of this.listeners) {
      try {
        l(this.index);
      } catch (e) {
        this.log.error({ err: e }, 'index-change listener failed');
      }
    }
    return true;
  }

  status(): EngineStatus {
    const { index } = this;
    return {
      mode: this.queryEmbedder ? 'hybrid' : 'keyword',
      model: this.config.EMBED_MODEL,
      modelError: this.modelError,
      pages: Object.keys(index.manifest.files).length,
      articles: index.articles.size,
      chunks: index.chunks.size,
      indexedAt: index.manifest.updatedAt,
      generation: this.generation,
    };
  }
}
