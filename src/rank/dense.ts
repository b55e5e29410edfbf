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
export async function sentenceVectorsFor(
  _index: unknown,
  embedder: Embedder,
  candidates: { article: { text: string }; start: number; end: number }[],
  qv: Float32Array,
): Promise<number[]> {
  const vecs = await sentenceVectors(embedder, candidates.map((c) => c.article.text.slice(c.start, c.end)));
  return vecs.map((v) => cosine(qv, v));
}
