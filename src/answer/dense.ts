/**
 * Dense sentence scoring (hybrid mode): cosine similarity between the question and each candidate
 * sentence, mapped to [0, 1] so it can stand beside lexical coverage. This is what lets an English
 * question be answered by a Chinese sentence: no shared words, but close meaning.
 *
 * The floor/ceiling map raw cosines to evidence; e5-style models place unrelated text around 0.75 and
 * paraphrases above 0.85 (DENSE_FLOOR / DENSE_CEIL tune it per model).
 */
import type { Embedder } from '../embed/types.js';

export interface DenseScale {
  floor: number;
  ceil: number;
}

const cache = new Map<string, Float32Array>();
const CACHE_MAX = 50_000;

/** Sentence vectors, memoized per model and text (the same sentences come back for related questions). */
export async function sentenceVectors(embedder: Embedder, texts: string[]): Promise<Float32Array[]> {
  const key = (t: string): string => `${embedder.modelId}\u0000${t}`;
  const missing = [...new Set(texts.filter((t) => !cache.has(key(t))))];
  if (missing.length > 0) {
    const vecs = await embedder.embedPassages(missing);
    if (cache.size + missing.length > CACHE_MAX) cache.clear();
    missing.forEach((t, i) => cache.set(key(t), vecs[i] as Float32Array));
  }
  return texts.map((t) => cache.get(key(t)) as Float32Array);
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

/** Raw cosine → [0, 1] evidence. */
export function scaleDense(cos: number, scale: DenseScale): number {
  return Math.min(1, Math.max(0, (cos - scale.floor) / (scale.ceil - scale.floor)));
}
