/**
 * The Engine: one loaded index + (optional) embedder, shared by the bot, the digest and the CLIs.
 * Interface only for now; the implementation (createEngine) lands with the answers work.
 */
import type { Answer, Article, SearchMode } from './types.js';
import type { SearchIndex } from './store/types.js';

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
}

/** One article matched by a topic (digest) with its best sentence. */
export interface TopicMatch {
  article: Article;
  score: number;
  /** Verbatim key sentence from article.text. */
  keySentence: string;
}

export interface Engine {
  /** The index currently loaded (reloaded automatically when the index on disk changes). */
  index(): SearchIndex;
  ask(question: string): Promise<Answer>;
  /** Every indexed article matching a topic, best first (article-level threshold applied). */
  matchTopic(topic: string): Promise<TopicMatch[]>;
  status(): EngineStatus;
  /** Runs the incremental indexer in-process (serialized with other runs) and reloads. */
  reindex(): Promise<IndexSummary>;
  /** Calls `listener` after the loaded index changed (new generation on disk). Returns an unsubscribe function. */
  onIndexChange(listener: (index: SearchIndex) => void): () => void;
  close(): Promise<void>;
}
