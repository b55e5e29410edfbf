/**
 * The index's own dense similarity distribution (see `DenseStats` in store/types.ts), measured at
 * index time so a ranker can normalise the question–sentence cosine per model and corpus instead of
 * by hand-set floors.
 *
 * Why headlines as questions: the feature a ranker normalises is cos(question vector, sentence vector),
 * with the question embedded by `embedQuery` (query prefix) and sentences by `embedPassages`. A
 * headline is a short statement of what its article answers, so headline-vs-own-sentences is the
 * closest thing to "an answerable question" the index holds, and headline-vs-other-articles'
 * sentences is chance — the two ends of the scale. Random sentence pairs would measure
 * passage–passage similarity instead, which e5-style query/passage prefixes shift.
 */
import type { Embedder } from '../embed/types.js';
import type { MemoryIndex } from '../store/memory.js';
import type { CosineDistribution, DenseStats } from '../store/types.js';
import { fnv1a } from '../text/hash.js';
import { headlineOf } from '../types.js';

/** Headlines embedded (as questions) per measurement. */
export const DENSE_SAMPLE_ARTICLES = 200;
/** Unrelated sentences compared with each sampled headline. */
const UNRELATED_PER_ARTICLE = 8;
/** Re-measure once the index has this much more (or fewer) articles than when it was measured. */
const REMEASURE_GROWTH = 0.1;

/** Whether `index`'s stored statistics are missing, from another model, or out of date. */
export function denseStatsStale(index: MemoryIndex, modelId: string): boolean {
  const s = index.manifest.dense;
  if (!s || s.modelId !== modelId || s.method !== 'headline-query-vs-sentences/1') return true;
  const now = index.articleCount;
  return Math.abs(now - s.articlesAtMeasure) > REMEASURE_GROWTH * Math.max(1, s.articlesAtMeasure);
}

/**
 * Measures the distribution over a deterministic sample of articles (the ones whose id hashes lowest,
 * so the sample stays stable as the archive grows). Null when fewer than two articles have sentences.
 */
export async function measureDenseStats(index: MemoryIndex, embedder: Embedder): Promise<DenseStats | null> {
  const store = index.sentences;
  if (!store) return null;
  const ids = index.articleIds().filter((id) => store.has(id));
  if (ids.length < 2) return null;
  const sample = ids
    .map((id) => ({ id, h: fnv1a(id) }))
    .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1))
    .slice(0, DENSE_SAMPLE_ARTICLES)
    .map((x) => x.id);
  const vectors = new Map(sample.map((id) => [id, store.vectorsOf(id)]));
  const related: number[] = [];
  const unrelated: number[] = [];
  for (const [i, id] of sample.entries()) {
    const article = index.article(id);
    const own = vectors.get(id) ?? [];
    if (!article || own.length === 0) continue;
    const q = await embedder.embedQuery(headlineOf(article));
    let best = -1;
    for (const v of own) best = Math.max(best, dot(q, v));
    related.push(best);
    for (let k = 1; k <= UNRELATED_PER_ARTICLE && k < sample.length; k++) {
      const other = vectors.get(sample[(i + k * 7) % sample.length] as string) ?? [];
      if (other.length === 0 || sample[(i + k * 7) % sample.length] === id) continue;
      unrelated.push(dot(q, other[(i + k) % other.length] as Float32Array));
    }
  }
  if (related.length === 0 || unrelated.length === 0) return null;
  return {
    method: 'headline-query-vs-sentences/1',
    modelId: embedder.modelId,
    articlesAtMeasure: index.articleCount,
    sampledArticles: related.length,
    related: distribution(related),
    unrelated: distribution(unrelated),
    measuredAt: new Date().toISOString(),
  };
}

/** Cosine of two L2-normalized vectors. */
function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

export function distribution(xs: number[]): CosineDistribution {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => {
    const pos = p * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(s.length - 1, lo + 1);
    return r4((s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo));
  };
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const std = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length);
  return { n: s.length, mean: r4(mean), std: r4(std), p01: q(0.01), p05: q(0.05), p10: q(0.1), p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9), p95: q(0.95), p99: q(0.99) };
}

function r4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
