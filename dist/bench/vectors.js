export class LowRankSpace {
    dim;
    rank;
    noise;
    /** rank × dim, row-major. */
    basis;
    constructor(opts, rng) {
        this.dim = opts.dim;
        this.rank = opts.rank ?? 32;
        this.noise = opts.noise ?? 0.25;
        this.basis = new Float32Array(this.rank * this.dim);
        const s = 1 / Math.sqrt(this.dim);
        for (let i = 0; i < this.basis.length; i++)
            this.basis[i] = rng.gauss() * s;
    }
    /** A fresh latent vector z ~ N(0, I). */
    latent(rng) {
        const z = new Float64Array(this.rank);
        for (let r = 0; r < this.rank; r++)
            z[r] = rng.gauss();
        return z;
    }
    /** Writes normalize(B·z + noise) into `out` (length dim). */
    embed(z, rng, out = new Float32Array(this.dim)) {
        const { dim, rank, basis } = this;
        out.fill(0);
        for (let r = 0; r < rank; r++) {
            const zr = z[r];
            const row = r * dim;
            for (let d = 0; d < dim; d++)
                out[d] = out[d] + zr * basis[row + d];
        }
        // Signal energy ≈ rank (E|B·z|² = rank · dim · 1/dim); the noise gets `noise` of that.
        const sigma = Math.sqrt((this.noise * rank) / dim);
        let norm = 0;
        for (let d = 0; d < dim; d++) {
            const v = out[d] + sigma * rng.gauss();
            out[d] = v;
            norm += v * v;
        }
        const inv = 1 / (Math.sqrt(norm) || 1);
        for (let d = 0; d < dim; d++)
            out[d] = out[d] * inv;
        return out;
    }
}
/** `n` document vectors (flat n × dim) and their latents (flat n × rank), for drawing questions near them. */
export function documentVectors(space, n, rng) {
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
export function queryVectors(space, latents, counts, rng, spread = 0.6) {
    const n = latents.length / space.rank;
    const out = [];
    for (let i = 0; i < counts.near; i++) {
        const doc = rng.int(0, n - 1);
        const z = new Float64Array(space.rank);
        for (let r = 0; r < space.rank; r++)
            z[r] = latents[doc * space.rank + r] + spread * rng.gauss();
        out.push(space.embed(z, rng));
    }
    for (let i = 0; i < counts.random; i++)
        out.push(space.embed(space.latent(rng), rng));
    return out;
}
/**
 * Exact top-k by dot product (= cosine for normalized vectors) over a flat n × dim matrix:
 * one tight Float32Array loop, a k-slot insertion list. The honest baseline for HNSW.
 */
export function bruteForceTopK(data, dim, q, k) {
    const n = data.length / dim;
    const ids = new Int32Array(k).fill(-1);
    const scores = new Float32Array(k).fill(-Infinity);
    let worst = -Infinity;
    for (let i = 0, off = 0; i < n; i++, off += dim) {
        let s = 0;
        let d = 0;
        for (; d + 3 < dim; d += 4) {
            s +=
                data[off + d] * q[d] +
                    data[off + d + 1] * q[d + 1] +
                    data[off + d + 2] * q[d + 2] +
                    data[off + d + 3] * q[d + 3];
        }
        for (; d < dim; d++)
            s += data[off + d] * q[d];
        if (s <= worst)
            continue;
        let j = k - 1;
        while (j > 0 && scores[j - 1] < s) {
            scores[j] = scores[j - 1];
            ids[j] = ids[j - 1];
            j--;
        }
        scores[j] = s;
        ids[j] = i;
        worst = scores[k - 1];
    }
    return { ids, scores };
}
/** Share of the exact top-k found by the approximate result (|approx ∩ exact| / |exact|). */
export function recallAt(approx, exact) {
    const want = new Set();
    for (let i = 0; i < exact.length; i++)
        if (exact[i] >= 0)
            want.add(exact[i]);
    if (want.size === 0)
        return 1;
    let hit = 0;
    for (const id of approx)
        if (want.has(id))
            hit++;
    return hit / want.size;
}
//# sourceMappingURL=vectors.js.map