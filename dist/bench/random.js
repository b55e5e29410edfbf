/**
 * Deterministic randomness for the benchmark: the same seed always builds the same corpus,
 * questions and vectors, so two runs (or two machines) measure the same work.
 */
/** A seeded PRNG (mulberry32) with the few draws the bench needs. */
export class Rng {
    state;
    spare = null;
    constructor(seed) {
        this.state = seed >>> 0 || 0x9e3779b9;
    }
    /** Uniform in [0, 1). */
    next() {
        let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    /** Integer in [lo, hi] (inclusive). */
    int(lo, hi) {
        return lo + Math.floor(this.next() * (hi - lo + 1));
    }
    /** One element of a non-empty array. */
    pick(items) {
        if (items.length === 0)
            throw new RangeError('pick from an empty array');
        return items[Math.floor(this.next() * items.length)];
    }
    chance(p) {
        return this.next() < p;
    }
    /** Standard normal (Box–Muller, the second value kept for the next call). */
    gauss() {
        if (this.spare !== null) {
            const s = this.spare;
            this.spare = null;
            return s;
        }
        let u = 0;
        while (u === 0)
            u = this.next();
        const v = this.next();
        const r = Math.sqrt(-2 * Math.log(u));
        this.spare = r * Math.sin(2 * Math.PI * v);
        return r * Math.cos(2 * Math.PI * v);
    }
    /** A derived generator (independent stream for a sub-task). */
    fork(salt) {
        return new Rng(Math.imul(this.int(0, 0x7fffffff) ^ salt, 0x01000193));
    }
}
export { fnv1a } from '../text/hash.js';
//# sourceMappingURL=random.js.map