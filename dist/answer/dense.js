const cache = new Map();
const CACHE_MAX = 50_000;
/**
 * Sentence vectors: read from the index, where the indexer stored one per sentence (so nothing but the
 * question is embedded while the user waits). A sentence the index has no vector for (an index built
 * before sentence vectors, a span the indexer did not cut) is embedded here, memoized per model and text.
 */
export async function sentenceVectors(index, embedder, sentences) {
    const out = sentences.map((s) => index.sentenceVector(s.article.id, s.start, s.end));
    const texts = sentences.map((s, i) => (out[i] ? null : s.article.text.slice(s.start, s.end)));
    const key = (t) => `${embedder.modelId}\u0000${t}`;
    const missing = [...new Set(texts.filter((t) => t !== null && !cache.has(key(t))))];
    if (missing.length > 0) {
        const vecs = await embedder.embedPassages(missing);
        if (cache.size + missing.length > CACHE_MAX)
            cache.clear();
        missing.forEach((t, i) => cache.set(key(t), vecs[i]));
    }
    return out.map((v, i) => v ?? cache.get(key(texts[i])));
}
export function cosine(a, b) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < a.length; i++) {
        const x = a[i];
        const y = b[i];
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
/** Raw cosine → [0, 1] evidence. */
export function scaleDense(cos, scale) {
    return Math.min(1, Math.max(0, (cos - scale.floor) / (scale.ceil - scale.floor)));
}
//# sourceMappingURL=dense.js.map