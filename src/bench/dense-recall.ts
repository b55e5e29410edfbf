/**
 * Recall of the bot's own dense search: the loaded index's graph, searched at the ef the bot uses
 * (`efForSize`), against an exact scan of the same stored vectors. The `hnsw` phase measures drawn
 * vectors on a graph of its own; this measures the graph the indexer built and the bot reads.
 */
import type { VectorIndex } from '../store/hnsw.js';
import { round, summarize } from './stats.js';

/** Exact top-k of every query by cosine over `ids`' stored vectors, one pass over the vectors. */
export function exactTopK(vi: VectorIndex, ids: Iterable<number>, queries: readonly Float32Array[], k: number): { ids: Int32Array; scores: Float32Array }[] {
  const dim = vi.dim;
  const qs = queries.map((q) => {
    let n = 0;
    for (let i = 0; i < dim; i++) n += (q[i] as number) * (q[i] as number);
    const s = n > 0 ? 1 / Math.sqrt(n) : 0;
    return Float32Array.from(q, (x) => x * s);
  });
  const tops = qs.map(() => ({ ids: new Int32Array(k).fill(-1), scores: new Float32Array(k).fill(-Infinity) }));
  for (const id of ids) {
    const v = vi.vector(id);
    for (let j = 0; j < qs.length; j++) {
      const q = qs[j] as Float32Array;
      let s = 0;
      for (let d = 0; d < dim; d++) s += (v[d] as number) * (q[d] as number);
      const top = tops[j] as { ids: Int32Array; scores: Float32Array };
      if (s <= (top.scores[k - 1] as number)) continue;
      let i = k - 1;
      while (i > 0 && (top.scores[i - 1] as number) < s) {
        top.scores[i] = top.scores[i - 1] as number;
        top.ids[i] = top.ids[i - 1] as number;
        i--;
      }
      top.scores[i] = s;
      top.ids[i] = id;
    }
  }
  return tops;
}

/**
 * recall@k of `vi.search` (as configured: the bot's ef) over each group of queries and over all of
 * them, against {@link exactTopK}. A returned chunk counts as found when it is in the exact top k or
 * scores as high as its k-th (equal vectors tie), so ties never count as misses.
 */
export function denseRecall(vi: VectorIndex, ids: Iterable<number>, groups: Record<string, readonly Float32Array[]>, k = 10): Record<string, unknown> {
  const queries = Object.values(groups).flat();
  const t0 = performance.now();
  const exact = exactTopK(vi, ids, queries, k);
  const exactS = (performance.now() - t0) / 1000;
  const ms: number[] = [];
  const recall = queries.map((q, j) => {
    vi.search(q, k); // warm
    const s = performance.now();
    const hits = vi.search(q, k);
    ms.push(performance.now() - s);
    const e = exact[j] as { ids: Int32Array; scores: Float32Array };
    const want = new Set(Array.from(e.ids).filter((x) => x >= 0));
    const kth = e.scores[want.size - 1] ?? -Infinity;
    let found = 0;
    for (const h of hits.slice(0, k)) if (want.has(h.chunkId) || h.cosine >= kth - 1e-6) found++;
    return want.size ? Math.min(1, found / want.size) : 1;
  });
  const mean = (xs: number[]): number => round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length), 4);
  const byGroup: Record<string, number> = {};
  let at = 0;
  for (const [name, qs] of Object.entries(groups)) {
    byGroup[name] = mean(recall.slice(at, at + qs.length));
    at += qs.length;
  }
  return {
    ef: vi.params.ef,
    k,
    queries: queries.length,
    recall_at_10: mean(recall),
    recall_by_queries: byGroup,
    search: summarize(ms),
    exact_scan_s: round(exactS, 1),
  };
}
