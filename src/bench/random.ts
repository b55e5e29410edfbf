/**
 * Deterministic randomness for the benchmark: the same seed always builds the same corpus,
 * questions and vectors, so two runs (or two machines) measure the same work.
 */

import { mulberry32 } from '../random.js';

/** The project's seeded PRNG (src/random.ts mulberry32) with the few draws the bench needs. */
export class Rng {
  private readonly source: () => number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.source = mulberry32(seed >>> 0 || 0x9e3779b9);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.source();
  }

  /** Integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  gauss(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A derived generator (independent stream for a sub-task). */
  fork(salt: number): Rng {
    return new Rng(Math.imul(this.int(0, 0x7fffffff) ^ salt, 0x01000193));
  }
}

export { fnv1a } from '../text/hash.js';
