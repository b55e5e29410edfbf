/** BM25's IDF, always positive: ln(1 + (N - df + 0.5) / (df + 0.5)). */
export function idfOf(docCount, df) {
    return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}
/** Stats from the index's keyword side; cached per loaded index. */
export function termStatsOf(index) {
    const cached = cache.get(index);
    if (cached)
        return cached;
    const memo = new Map();
    const stats = {
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
const cache = new WeakMap();
//# sourceMappingURL=stats.js.map