/**
 * Hybrid retrieval: BM25 and dense candidates fused by RRF, then diversified so that one long
 * article cannot fill every slot. Keyword-only when the index has no vectors or no model is loaded.
 */
import type { Embedder } from '../embed/types.js';
import type { SearchIndex } from '../store/types.js';
import type { Passage, SearchMode } from '../types.js';
import { fuseRrf, type FusedChunk, type RankedList } from './fuse.js';

export interface RetrieveOptions {
  /** Passages to return. */
  k?: number;
  /** At most this many passages per article. */
  perArticle?: number;
  /** Candidates taken from each list before fusion. */
  candidates?: number;
}

export interface Retrieval {
  mode: SearchMode;
  passages: Passage[];
  /** The query's vector when dense retrieval ran (reused for sentence scoring). */
  queryVector: Float32Array | null;
  /**
   * What keyword-only retrieval returns for the same query (the same keyword list, unfused): in
   * hybrid mode, so the answer can weigh both without searching twice; in keyword mode, this retrieval.
   */
  keywordOnly?: Retrieval;
}

export function searchMode(index: SearchIndex, embedder: Embedder | null): SearchMode {
  return index.mode === 'hybrid' && embedder !== null ? 'hybrid' : 'keyword';
}

export async function retrieve(
  index: SearchIndex,
  embedder: Embedder | null,
  query: string,
  opts: RetrieveOptions = {},
): Promise<Retrieval> {
  const k = opts.k ?? 10;
  const perArticle = opts.perArticle ?? 2;
  const candidates = opts.candidates ?? 50;
  const mode = searchMode(index, embedder);

  const lists: RankedList[] = [{ items: index.keywordSearch(query, candidates).map((h) => ({ chunkId: h.chunkId, raw: h.bm25 })) }];
  let queryVector: Float32Array | null = null;
  if (mode === 'hybrid' && embedder) {
    queryVector = await embedder.embedQuery(query);
    lists.push({ items: index.denseSearch(queryVector, candidates).map((h) => ({ chunkId: h.chunkId, raw: h.cosine })) });
  }

  const passages = diversified(index, fuseRrf(lists), k, perArticle);
  if (mode !== 'hybrid') return { mode, passages, queryVector };
  const keywordOnly: Retrieval = { mode: 'keyword', passages: diversified(index, fuseRrf(lists.slice(0, 1)), k, perArticle), queryVector: null };
  return { mode, passages, queryVector, keywordOnly };
}

/** The fused list's first `k` passages, at most `perArticle` from one article. */
function diversified(index: SearchIndex, fused: FusedChunk[], k: number, perArticle: number): Passage[] {
  const perArticleCount = new Map<string, number>();
  const passages: Passage[] = [];
  for (const f of fused) {
    if (passages.length >= k) break;
    const chunk = index.chunks.get(f.chunkId);
    if (!chunk) continue;
    const article = index.articles.get(chunk.articleId);
    if (!article) continue;
    const used = perArticleCount.get(article.id) ?? 0;
    if (used >= perArticle) continue;
    perArticleCount.set(article.id, used + 1);
    const passage: Passage = { chunk, article, fusedScore: f.fusedScore };
    if (f.raw[0] !== undefined) passage.keywordScore = f.raw[0];
    if (f.raw[1] !== undefined) passage.denseScore = f.raw[1];
    passages.push(passage);
  }
  return passages;
}
