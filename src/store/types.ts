/** What a loaded index offers to search, answer, digest and the bot. */
import type { Article, Chunk, SearchMode } from '../types.js';

export interface ScoredChunk {
  chunkId: number;
  score: number;
}

export interface ManifestArticle {
  file: string;
  hash: string;
  chunkIds: number[];
}

export interface IndexManifest {
  /** Bumped when the on-disk layout changes. */
  formatVersion: number;
  /** Bumped when parsing/chunking changes in a way that changes chunks. */
  chunkerVersion: number;
  mode: SearchMode;
  /** null in keyword-only mode. */
  model: { id: string; dim: number; maxTokens: number } | null;
  /** Why the model was not used (keyword-only mode), for /status and logs. */
  modelError: string | null;
  hnsw: { M: number; efConstruction: number } | null;
  createdAt: string;
  updatedAt: string;
  nextChunkId: number;
  /** Per page file: content hash, so unchanged pages skip parsing too. */
  files: Record<string, { hash: string; articleIds: string[] }>;
  articles: Record<string, ManifestArticle>;
}

/** A loaded, read-only index. */
export interface SearchIndex {
  readonly dir: string;
  readonly manifest: IndexManifest;
  readonly mode: SearchMode;
  readonly articles: ReadonlyMap<string, Article>;
  readonly chunks: ReadonlyMap<number, Chunk>;
  /** Chunks of an article in reading order. */
  chunksOf(articleId: string): Chunk[];
  /** BM25 over chunks (Chinese-aware tokens), best first. */
  keywordSearch(query: string, k: number): ScoredChunk[];
  /** Number of keyword documents (chunks) — for IDF. */
  keywordDocCount(): number;
  /** Keyword documents (chunks) containing this exact token (see src/text/tokenize.ts) — for IDF. */
  keywordDf(term: string): number;
  /** Cosine similarity over chunk vectors, best first; [] in keyword-only mode. */
  denseSearch(vector: Float32Array, k: number): ScoredChunk[];
}
