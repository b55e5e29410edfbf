/**
 * Term specificity (IDF) over the index's keyword documents. Sentence scoring and refusal weigh
 * question terms by it: `石景山` or `古明禾` says far more than `工会`.
 */
import type { SearchIndex } from '../store/types.js';

export interface TermStats {
  /** Number of keyword documents (chunks). */
  readonly docCount: number;
  /** Documents containing `term` (0 when the corpus never uses it). */
  df(term: string): number;
}

/** BM25's IDF, as the keyword index scores with it (one formula, defined there). */
export { idfOf } from '../store/keyword.js';

/** Stats from the index's keyword side; cached per loaded index. */
export function termStatsOf(index: SearchIndex): TermStats {
  const cached = cache.get(index);
  if (cached) return cached;
  const memo = new Map<string, number>();
  const stats: TermStats = {
    docCount: Math.max(1, index.keywordDocCount()),
    df(term) {
      let v = memo.get(term);
      if (v === undefined) {
        v = index.keywordDf(term);
        memo.set(term, v);
      }
      return v;
    },
  };
  cache.set(index, stats);
  return stats;
}

const cache = new WeakMap<SearchIndex, TermStats>();
