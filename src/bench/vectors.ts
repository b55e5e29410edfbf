/**
 * Vectors with the structure of real sentence embeddings, and the exact search HNSW is judged against.
 *
 * Real embeddings live near a low-dimensional subspace: {@link LowRankSpace} draws
 * `v = normalize(B·z + noise)` with `rank` Gaussian latent factors `z`, a fixed random basis `B`
 * (rank × dim) and isotropic Gaussian noise carrying `noise` of the signal's energy. Questions are
 * drawn near a document (`z_q = z_doc + spread·g`), as a question is near the passage answering it.
 * (Uniform random vectors would have no meaningful neighbours and would flatter nothing but recall noise.)
 */
import type { Rng } from './random.js';

export interface LowRankOptions {
  dim: number;
  /** Latent factors. Default 32. */
  rank?: number;
  /** Noise energy relative to the signal's. Default 0.25. */
  noise?: number;
}

export class LowRankSpace {
  readonly dim: number;
  readonly rank: number;
  readonly noise: number;
  /** rank × dim, row-major. */
  private readonly basis: Float32Array;

  constructor(opts: LowRankOptions, rng: Rng) {
    this.dim = opts.dim;
    this.rank = opts.rank ?? 32;
    this.noise = opts.noise ?? 0.25;
    this.basis = new Float32Array(this.rank * this.dim);
    const s = 1 / Math.sqrt(this.dim);
    for (let i = 0; i < this.basis.length; i++) this.basis[i] = rng.gauss() * s;
  }

  /** A fresh latent vector z ~ N(0, I). */
  latent(rng: Rng): Float64Array {
    const z = new Float64Array(this.rank);
    for (let r = 0; r < this.rank; r++) z[r] = rng.gauss();
    return z;
  }

  /** Writes normalize(B·z + noise) into `out` (length dim). */
  embed(z: ArrayLike<number>, rng: Rng, out: Float32Array = new Float32Array(this.dim)): Float32Array {
    const { dim, rank, basis } = this;
    out.fill(0);
    for (let r = 0; r < rank; r++) {
      const zr = z[r] as number;
      const row = r * dim;
      for (let d = 0; d < dim; d++) out[d] = (out[d] as number) + zr * (basis[row + d] as number);
    }
    // Signal energy ≈ rank (E|B·z|² = rank · dim · 1/dim); the noise gets `noise` of that.
    const sigma = Math.sqrt((this.noise * rank) / dim);
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const v = (out[d] as number) + sigma * rng.gauss();
      out[d] = v;
      norm += v * v;
    }
    const inv = 1 / (Math.sqrt(norm) || 1);
    for (let d = 0; d < dim; d++) out[d] = (out[d] as number) * inv;
    return out;
  }
}

/** `n` document vectors (flat n × dim) and their latents (flat n × rank), for drawing questions near them. */
export function documentVectors(space: LowRankSpace, n: number, rng: Rng): { data: Float32Array; latents: Float32Array } {
  const data = new Float32Array(n * space.dim);
  const latents = new Float32Array(n * space.rank);
  for (let i = 0; i < n; i++) {
    const z = space.latent(rng);
    latents.set(z, i * space.rank);
    space.embed(z, rng, data.subarray(i * space.dim, (i + 1) * space.dim));
  }
  return { data, latents };
}

/** Query vectors: `near` ones around random documents (z + spread·g), the rest fresh draws. */
export function queryVectors(
  space: LowRankSpace,
  latents: Float32Array,
  counts: { near: number; random: number },
  rng: Rng,
  spread = 0.6,
): Float32Array[] {
  const n = latents.length / space.rank;
  const out: Float32Array[] = [];
  for (let i = 0; i < counts.near; i++) {
    const doc = rng.int(0, n - 1);
    const z = new Float64Array(space.rank);
    for (let r = 0; r < space.rank; r++) z[r] = (latents[doc * space.rank + r] as number) + spread * rng.gauss();
    out.push(space.embed(z, rng));
  }
  for (let i = 0; i < counts.random; i++) out.push(space.embed(space.latent(rng), rng));
  return out;
}

/**
 * Exact top-k by dot product (= cosine for normalized vectors) over a flat n × dim matrix:
 * one tight Float32Array loop, a k-slot insertion list. The honest baseline for HNSW.
 */
export function bruteForceTopK(data: Float32Array, dim: number, q: Float32Array, k: number): { ids: Int32Array; scores: Float32Array } {
  const n = data.length / dim;
  const ids = new Int32Array(k).fill(-1);
  const scores = new Float32Array(k).fill(-Infinity);
  let worst = -Infinity;
  for (let i = 0, off = 0; i < n; i++, off += dim) {
    let s = 0;
    let d = 0;
    for (; d + 3 < dim; d += 4) {
      s +=
        (data[off + d] as number) * (q[d] as number) +
        (data[off + d + 1] as number) * (q[d + 1] as number) +
        (data[off + d + 2] as number) * (q[d + 2] as number) +
        (data[off + d + 3] as number) * (q[d + 3] as number);
    }
    for (; d < dim; d++) s += (data[off + d] as number) * (q[d] as number);
    if (s <= worst) continue;
    let j = k - 1;
    while (j > 0 && (scores[j - 1] as number) < s) {
      scores[j] = scores[j - 1] as number;
      ids[j] = ids[j - 1] as number;
      j--;
    }
    scores[j] = s;
    ids[j] = i;
    worst = scores[k - 1] as number;
  }
  return { ids, scores };
}

/** Share of the exact top-k found by the approximate result (|approx ∩ exact| / |exact|). */
export function recallAt(approx: readonly number[], exact: ArrayLike<number>): number {
  const want = new Set<number>();
  for (let i = 0; i < exact.length; i++) if ((exact[i] as number) >= 0) want.add(exact[i] as number);
  if (want.size === 0) return 1;
  let hit = 0;
  for (const id of approx) if (want.has(id)) hit++;
  return hit / want.size;
}
