import { embedderFrom } from '../indexer/testing.js';
import { fnv1a, Rng } from './random.js';
import { LowRankSpace } from './vectors.js';
/**
 * Text → vector: the text's character bigrams are hashed onto `rank` latent factors (texts that
 * share words share factors), mapped through a fixed random basis, plus text-seeded noise, normalized.
 * Low-rank plus noise, like a real sentence embedding; ~40k passages/s.
 */
export function lowRankEmbedder(opts) {
    const rank = opts.rank ?? 32;
    const space = new LowRankSpace({ dim: opts.dim, rank, noise: 0.25 }, new Rng(opts.seed ?? 7));
    const embed = (text) => {
        const z = new Float64Array(rank);
        let count = 0;
        for (let i = 0; i + 1 < text.length; i++) {
            const a = text.charCodeAt(i);
            const b = text.charCodeAt(i + 1);
            if (a <= 0x20 || b <= 0x20)
                continue;
            let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35);
            h ^= h >>> 15;
            const r = (h >>> 1) % rank;
            z[r] = z[r] + (h & 1 ? 1 : -1);
            count++;
        }
        const s = 1 / Math.sqrt(Math.max(1, count));
        for (let r = 0; r < rank; r++)
            z[r] = z[r] * s;
        return space.embed(z, new Rng(fnv1a(text)));
    };
    return embedderFrom(embed, { modelId: opts.modelId ?? `bench/low-rank-${opts.dim}`, dim: opts.dim, maxTokens: opts.maxTokens ?? 512 });
}
/**
 * An Embedder whose `embedQuery` returns a vector computed beforehand (a Map lookup): no model time.
 * Passages (e.g. candidate sentences scored densely while answering) still go to `base`, and are counted.
 */
export function precomputedQueries(base, vectors) {
    return countingEmbedder(base, async (text) => {
        const v = vectors.get(text);
        if (!v)
            throw new Error(`no precomputed vector for question: ${text}`);
        return v;
    });
}
/**
 * Wraps an embedder so the passages it embeds are counted (`passagesEmbedded`, and `embeddedCount`
 * like the fakes'); questions go to `embedQuery` (default: the base's).
 */
export function countingEmbedder(base, embedQuery = (t) => base.embedQuery(t)) {
    const e = {
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
//# sourceMappingURL=embedder.js.map