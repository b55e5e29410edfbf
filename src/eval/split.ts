import { createHash } from 'node:crypto';
import { mulberry32 } from '../random.js';

export { mulberry32 };

/** Deterministic shuffles and splits, so every eval and training run sees the same partition. */

/** Fisher–Yates with a seeded PRNG; returns a new array. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const rand = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** sha256 of seed and group key → [0, 1): a stable, order-free, well-spread assignment of groups to splits. */
export function groupFraction(key: string, seed: number): number {
  return createHash('sha256').update(`${seed}:${key}`).digest().readUInt32BE(0) / 4294967296;
}
