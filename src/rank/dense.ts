/**
 * Dense sentence evidence (hybrid mode): cosine similarity between the question and each candidate
 * sentence. The ranker normalises it (src/rank/features.ts `dense_z`), so no model needs a
 * hand-set floor or ceiling. This is what lets an English question find a Chinese sentence.
 */
import type { Embedder } from '../embed/types.js';
import type { SearchIndex } from '../store/types.js';

const cache = new Map<string, Float32Array>();
const CACHE_MAX = 50_000;

/** A sentence as the answer path holds it: a span of its article's text. */
export interface SentenceRef {
  article: { id: string; text: string };
  start: number;
  end: number;
}

/**
 * Sentence vectors: read from the index, where the indexer stored one per sentence (so nothing but the
 * question is embedded while the user waits). A sentence the index has no vector for (an index built
 * before sentence vectors, a span the indexer did not cut) is embedded here, memoized per model and text.
 */
export async function sentenceVectors(index: SearchIndex, embedder: Embedder, sentences: readonly SentenceRef[]): Promise<Float32Array[]> {
  const out = sentences.map((s) => index.sentenceVector(s.article.id, s.start, s.end));
  const texts = sentences.map((s, i) => (out[i] ? null : s.article.text.slice(s.start, s.end)));
  const key = (t: string): string => `${embedder.modelId}\u0000${t}`;
  const missing = [...new Set(texts.filter((t): t is string => t !== null && !cache.has(key(t))))];
  if (missing.length > 0) {
    const vecs = await embedder.embedPassages(missing);
    if (cache.size + missing.length > CACHE_MAX) cache.clear();
    missing.forEach((t, i) => cache.set(key(t), vecs[i] as Float32Array));
  }
  return out.map((v, i) => v ?? (cache.get(key(texts[i] as string)) as Float32Array));
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Cosine of each candidate sentence to the question vector (hybrid mode). */
export async function sentenceCosines(index: SearchIndex, embedder: Embedder, candidates: readonly SentenceRef[], qv: Float32Array): Promise<number[]> {
  const vecs = await sentenceVectors(index, embedder, candidates);
  return vecs.map((v) => cosine(qv, v));
}

/**
 * A cosine on this index's own scale: 0 where chance lands (the mean cosine to unrelated
 * sentences), 1 where a typical answer lands (the median best cosine of an article's headline to
 * its own sentences), both measured by the indexer with the same model. Without those statistics
 * (an older index), the question's own candidates set the scale.
 */
export function denseScale(index: SearchIndex, cosines: readonly number[]): (cos: number) => number {
  const st = index.denseStats;
  if (st && st.related.p50 > st.unrelated.mean) {
    const zero = st.unrelated.mean;
    const one = st.related.p50;
    return (c) => Math.max(-1, Math.min(2, (c - zero) / (one - zero)));
  }
  const mean = cosines.reduce((a, b) => a + b, 0) / Math.max(1, cosines.length);
  const sd = Math.sqrt(cosines.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, cosines.length)) || 1;
  return (c) => Math.max(-1, Math.min(2, (c - mean) / (3 * sd)));
}
