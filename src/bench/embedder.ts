/**
 * Embedders for the bench: a fast deterministic one that gives passages low-rank vectors (so the
 * real indexer can build a hybrid index of 100k chunks in seconds, not the hour a real model takes on
 * two cores), and a wrapper that answers questions with precomputed vectors (so `ask` latency can be
 * measured without the cost of embedding the question).
 */
import type { Embedder } from '../embed/types.js';
import { estimateTokens } from '../ingest/index.js';
import { fnv1a, Rng } from './random.js';
import { LowRankSpace } from './vectors.js';

/** An embedder that counts the passages it embedded. */
export interface CountedEmbedder extends Embedder {
  /** Passages embedded so far (all calls). */
  embeddedCount: number;
}

export type LowRankEmbedder = CountedEmbedder;

/** Wraps a synchronous text → vector function as an Embedder that counts what it embedded. */
export function embedderFrom(embed: (text: string) => Float32Array, opts: { modelId: string; dim: number; maxTokens: number }): CountedEmbedder {
  const e: CountedEmbedder = {
    ...opts,
    embeddedCount: 0,
    countTokens: estimateTokens,
    async embedPassages(texts, onProgress) {
      const out = texts.map(embed);
      e.embeddedCount += texts.length;
      onProgress?.(texts.length, texts.length);
      return out;
    },
    async embedQuery(text) {
      return embed(text);
    },
  };
  return e;
}


/**
 * Text → vector: the text's character bigrams are hashed onto `rank` latent factors (texts that
 * share words share factors), mapped through a fixed random basis, plus text-seeded noise, normalized.
 * Low-rank plus noise, like a real sentence embedding; ~40k passages/s.
 */
export function lowRankEmbedder(opts: { dim: number; rank?: number; modelId?: string; maxTokens?: number; seed?: number }): LowRankEmbedder {
  const rank = opts.rank ?? 32;
  const space = new LowRankSpace({ dim: opts.dim, rank, noise: 0.25 }, new Rng(opts.seed ?? 7));
  const embed = (text: string): Float32Array => {
    const z = new Float64Array(rank);
    let count = 0;
    for (let i = 0; i + 1 < text.length; i++) {
      const a = text.charCodeAt(i);
      const b = text.charCodeAt(i + 1);
      if (a <= 0x20 || b <= 0x20) continue;
      let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35);
      h ^= h >>> 15;
      const r = (h >>> 1) % rank;
      z[r] = (z[r] as number) + (h & 1 ? 1 : -1);
      count++;
    }
    // Each factor sums about count/rank signs: scaled to unit variance, like LowRankSpace's N(0, I)
    // latents, so the signal carries the energy `embed` gives its noise a quarter of. (Scaled by
    // 1/√count, the signal had 1/rank of that: noise eight times the signal, vectors of one text and
    // its near copy at cosine ≈ 0, and a graph with no real neighbours to find.)
    const s = Math.sqrt(rank / Math.max(1, count));
    for (let r = 0; r < rank; r++) z[r] = (z[r] as number) * s;
    return space.embed(z, new Rng(fnv1a(text)));
  };
  return embedderFrom(embed, { modelId: opts.modelId ?? `bench/low-rank-${opts.dim}`, dim: opts.dim, maxTokens: opts.maxTokens ?? 512 });
}

/** An Embedder that counts the passages it is asked to embed (answering embeds candidate sentences). */
export interface CountingEmbedder extends Embedder {
  passagesEmbedded: number;
}

/**
 * An Embedder whose `embedQuery` returns a vector computed beforehand (a Map lookup): no model time.
 * Passages (e.g. candidate sentences scored densely while answering) still go to `base`, and are counted.
 */
export function precomputedQueries(base: Embedder, vectors: ReadonlyMap<string, Float32Array>): CountingEmbedder {
  return countingEmbedder(base, async (text) => {
    const v = vectors.get(text);
    if (!v) throw new Error(`no precomputed vector for question: ${text}`);
    return v;
  });
}

/**
 * Wraps an embedder so the passages it embeds are counted (`passagesEmbedded`, and `embeddedCount`
 * like the fakes'); questions go to `embedQuery` (default: the base's).
 */
export function countingEmbedder(base: Embedder, embedQuery: (text: string) => Promise<Float32Array> = (t) => base.embedQuery(t)): LowRankEmbedder & CountingEmbedder {
  const e: LowRankEmbedder & CountingEmbedder = {
    embeddedCount: 0,
    passagesEmbedded: 0,
    modelId: base.modelId,
    dim: base.dim,
    maxTokens: base.maxTokens,
    countTokens: (t) => base.countTokens(t),
    embedPassages: (texts, onProgress) => {
      e.embeddedCount += texts.length;
      e.passagesEmbedded += texts.length;
      return base.embedPassages(texts, onProgress);
    },
    embedQuery,
  };
  return e;
}
