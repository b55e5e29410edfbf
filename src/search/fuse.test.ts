import { describe, expect, it } from 'vitest';
import { fuseRrf } from './fuse.js';

describe('fuseRrf', () => {
  it('ranks a chunk found by both lists above chunks found by one', () => {
    const keyword = { items: [{ chunkId: 1, raw: 9 }, { chunkId: 2, raw: 5 }] };
    const dense = { items: [{ chunkId: 3, raw: 0.9 }, { chunkId: 2, raw: 0.8 }] };
    const fused = fuseRrf([keyword, dense]);
    expect(fused[0]?.chunkId).toBe(2);
    expect(fused.map((f) => f.chunkId).sort()).toEqual([1, 2, 3]);
  });

  it('uses ranks, not raw scores, so a BM25 score of 40 does not swamp a cosine of 0.9', () => {
    const fused = fuseRrf([{ items: [{ chunkId: 1, raw: 40 }] }, { items: [{ chunkId: 2, raw: 0.9 }] }]);
    expect(fused[0]?.fusedScore).toBeCloseTo(fused[1]?.fusedScore ?? 0);
  });

  it('keeps each list’s raw score and rank for inspection', () => {
    const fused = fuseRrf([{ items: [{ chunkId: 7, raw: 3 }] }, { items: [] }]);
    expect(fused[0]).toMatchObject({ chunkId: 7, ranks: [1, undefined], raw: [3, undefined] });
  });

  it('respects list weights', () => {
    const fused = fuseRrf([{ items: [{ chunkId: 1, raw: 1 }], weight: 1 }, { items: [{ chunkId: 2, raw: 1 }], weight: 2 }]);
    expect(fused[0]?.chunkId).toBe(2);
  });
});
