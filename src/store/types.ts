/** What a loaded index offers to search, answer, digest and the bot. */
import type { Article, Chunk, SearchMode } from '../types.js';

/** What an article's docs line holds before its body: headline, kind, byline, place on the page (no text, no metadata). */
export type ArticleHead = Pick<Article, 'id' | 'file' | 'position' | 'kicker' | 'title' | 'byline' | 'reporters' | 'correspondents' | 'photographers' | 'kind'>;

/** A keyword hit: its BM25 score (unbounded, higher is better). */
export interface KeywordHit {
  chunkId: number;
  bm25: number;
}

/** A dense hit: the cosine similarity of its vector to the query's (−1…1). */
export interface DenseHit {
  chunkId: number;
  cosine: number;
}

export interface ManifestArticle {
  file: string;
  hash: string;
  chunkIds: number[];
  /** Where its line is: [docs segment, byte offset, byte length] (see docs.ts). */
  at?: [number, number, number];
}

/** The docs segments of a generation, with their line counts (live or not). */
export interface DocSegments {
  segments: { id: number; lines: number }[];
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
  /**
   * `points`: slots of the graph file; `extra`: live chunks whose vectors are not in the graph (read
   * from the passage vectors and compared exactly; see hnsw.ts).
   */
  hnsw: { M: number; efConstruction: number; points?: number; extra?: number[] } | null;
  /** Where articles and chunks are stored (see docs.ts). */
  docs?: DocSegments;
  /** Hybrid: how this index's model spreads cosine similarities (see {@link DenseStats}); null in keyword-only mode. */
  dense: DenseStats | null;
  createdAt: string;
  updatedAt: string;
  nextChunkId: number;
  /** Per page file: content hash, so unchanged pages skip parsing too. */
  files: Record<string, { hash: string; articleIds: string[] }>;
  articles: Record<string, ManifestArticle>;
}

/** Quantiles of a sample of cosine similarities. */
export interface CosineDistribution {
  n: number;
  mean: number;
  std: number;
  p01: number;
  p05: number;
  p10: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
}

/**
 * The index's own dense similarity distribution, measured at index time with its model, so a ranker
 * can normalise the question–sentence cosine without hand-set floors: each sampled article's headline
 * is embedded as a question (`embedQuery`, query prefix and all) and compared with sentence vectors.
 * `related`: the best cosine to a sentence of its own article (what an answerable question reaches);
 * `unrelated`: cosines to sentences of other sampled articles (what chance reaches).
 */
export interface DenseStats {
  /** How it was measured (bumped when the method changes). */
  method: 'headline-query-vs-sentences/1';
  modelId: string;
  /** Articles in the index when measured; re-measured once the index grows or shrinks by 10 %. */
  articlesAtMeasure: number;
  sampledArticles: number;
  related: CosineDistribution;
  unrelated: CosineDistribution;
  measuredAt: string;
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
  /** Every article's head in `articles` order, without its text (cheap where articles stay on disk, as in a loaded index). */
  articleHeads(): Iterable<ArticleHead>;
  /** BM25 over chunks (Chinese-aware tokens), best first. */
  keywordSearch(query: string, k: number): KeywordHit[];
  /** Number of keyword documents (chunks) — for IDF. */
  keywordDocCount(): number;
  /** Keyword documents (chunks) containing this exact token (see src/text/tokenize.ts) — for IDF. */
  keywordDf(term: string): number;
  /** Cosine similarity over chunk vectors, best first; [] in keyword-only mode. */
  denseSearch(vector: Float32Array, k: number): DenseHit[];
  /**
   * The index-time vector of sentence [start, end) of an article (spans as `splitSentences` cuts
   * `Article.text`, or a chunk's text), or null when it has none (keyword-only index, unknown span).
   */
  sentenceVector(articleId: string, start: number, end: number): Float32Array | null;
  /** The model's cosine distribution over this index (hybrid), for normalising dense evidence; else null. */
  readonly denseStats: DenseStats | null;
}
