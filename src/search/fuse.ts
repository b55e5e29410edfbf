/**
 * Reciprocal Rank Fusion (Cormack et al., 2009): fused score = Σ weight / (k + rank).
 * Rank-based, so BM25 scores and cosine similarities never have to share a scale.
 */

/** One item of a ranked list; `raw` is that list's own score (BM25, cosine…), kept as evidence. */
export interface RankedItem {
  chunkId: number;
  raw: number;
}

export interface RankedList {
  items: readonly RankedItem[];
  weight?: number;
}

export interface FusedChunk {
  chunkId: number;
  /** Σ weight / (k + rank) over the lists (higher is better). */
  fusedScore: number;
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
        f = { chunkId: item.chunkId, fusedScore: 0, ranks: lists.map(() => undefined), raw: lists.map(() => undefined) };
        byId.set(item.chunkId, f);
      }
      f.fusedScore += weight / (k + idx + 1);
      f.ranks[li] = idx + 1;
      f.raw[li] = item.raw;
    });
  });
  return [...byId.values()].sort((a, b) => b.fusedScore - a.fusedScore || a.chunkId - b.chunkId);
}
