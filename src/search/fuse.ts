/**
 * Reciprocal Rank Fusion (Cormack et al., 2009): score = Σ weight / (k + rank).
 * Rank-based, so BM25 scores and cosine similarities never have to share a scale.
 */
import type { ScoredChunk } from '../store/types.js';

export interface RankedList {
  items: ScoredChunk[];
  weight?: number;
}

export interface FusedChunk {
  chunkId: number;
  score: number;
  /** Raw score and 1-based rank in each input list (undefined when absent from it). */
  ranks: (number | undefined)[];
  raw: (number | undefined)[];
}

export function fuseRrf(lists: RankedList[], k = 60): FusedChunk[] {
  const byId = new Map<number, FusedChunk>();
  lists.forEach((list, li) => {
    const weight = list.weight ?? 1;
    list.items.forEach((item, idx) => {
      let f = byId.get(item.chunkId);
      if (!f) {
        f = { chunkId: item.chunkId, score: 0, ranks: lists.map(() => undefined), raw: lists.map(() => undefined) };
        byId.set(item.chunkId, f);
      }
      f.score += weight / (k + idx + 1);
      f.ranks[li] = idx + 1;
      f.raw[li] = item.score;
    });
  });
  return [...byId.values()].sort((a, b) => b.score - a.score || a.chunkId - b.chunkId);
}
