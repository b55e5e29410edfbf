import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { efForSize, VectorIndex, type HnswParams } from './hnsw.js';

const params: HnswParams = { M: 16, efConstruction: 200, ef: 64 };
const tmpDirs: string[] = [];
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Deterministic pseudo-random unit vectors. */
function vectors(n: number, dim: number, seed = 1): Float32Array[] {
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  };
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: dim }, rnd);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

describe('VectorIndex', () => {
  it('finds each point itself with similarity ≈ 1', () => {
    const vs = vectors(200, 32);
    const vi = VectorIndex.create(32, params);
    vs.forEach((v, i) => vi.add(i * 3, v));
    for (let i = 0; i < vs.length; i += 17) {
      const [top] = vi.search(vs[i]!, 1);
      expect(top!.chunkId).toBe(i * 3);
      expect(top!.cosine).toBeCloseTo(1, 5);
    }
  });

  it('scores are cosine similarities (unnormalized input too), best first', () => {
    const vi = VectorIndex.create(2, params);
    vi.add(1, [1, 0]);
    vi.add(2, [3, 3]);
    vi.add(3, [0, -2]);
    const hits = vi.search([2, 0], 3);
    expect(hits.map((h) => h.chunkId)).toEqual([1, 2, 3]);
    expect(hits[0]!.cosine).toBeCloseTo(1, 6);
    expect(hits[1]!.cosine).toBeCloseTo(Math.SQRT1_2, 6);
    expect(hits[2]!.cosine).toBeCloseTo(0, 6);
    expect(() => vi.add(4, [1, 2, 3])).toThrow(/dimensions/);
  });

  it('deleted points are never returned; k is clamped to the live count', () => {
    const vs = vectors(50, 16);
    const vi = VectorIndex.create(16, params);
    vs.forEach((v, i) => vi.add(i, v));
    vi.remove(7);
    vi.remove(7); // twice: no-op
    expect(vi.size).toBe(49);
    expect(vi.deleted).toBe(1);
    expect(vi.search(vs[7]!, 49).map((h) => h.chunkId)).not.toContain(7);
    expect(vi.search(vs[0]!, 1000)).toHaveLength(49);
    expect(VectorIndex.create(16, params).search(vs[0]!, 5)).toEqual([]);
  });

  it('reuses deleted slots, grows its capacity as needed', () => {
    const vs = vectors(300, 8);
    const vi = VectorIndex.create(8, params);
    expect(vi.capacity).toBe(64);
    vs.forEach((v, i) => vi.add(i, v));
    expect(vi.capacity).toBeGreaterThanOrEqual(300);
    const cap = vi.capacity;
    for (let i = 0; i < 10; i++) vi.remove(i);
    for (let i = 0; i < 10; i++) vi.add(1000 + i, vs[i]!);
    expect(vi.deleted).toBe(0);
    expect(vi.capacity).toBe(cap);
    expect(vi.search(vs[3]!, 1)[0]!.chunkId).toBe(1003);
  });

  it('rebuilds from its live points once more than 25% are deleted', () => {
    const vs = vectors(100, 16);
    const vi = VectorIndex.create(16, params);
    vs.forEach((v, i) => vi.add(i, v));
    for (let i = 0; i < 25; i++) vi.remove(i);
    expect(vi.maybeRebuild()).toBe(false); // exactly 25%: not yet
    vi.remove(25);
    expect(vi.maybeRebuild()).toBe(true);
    expect(vi.deleted).toBe(0);
    expect(vi.size).toBe(74);
    for (let i = 26; i < 100; i += 9) expect(vi.search(vs[i]!, 1)[0]!.chunkId).toBe(i);
    expect(vi.search(vs[3]!, 74).map((h) => h.chunkId)).not.toContain(3);
  });

  it('round-trips through a file, deleted markers included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hnsw-'));
    tmpDirs.push(dir);
    const vs = vectors(120, 24);
    const vi = VectorIndex.create(24, params);
    vs.forEach((v, i) => vi.add(i + 10, v));
    vi.remove(15);
    const file = path.join(dir, 'vectors.hnsw');
    vi.write(file);
    const live = [...Array(120).keys()].map((i) => i + 10).filter((id) => id !== 15);
    const back = VectorIndex.read(file, 24, params, live);
    expect(back.size).toBe(119);
    expect(back.deleted).toBe(1);
    for (const q of [vs[0]!, vs[5]!, vs[77]!]) expect(back.search(q, 5)).toEqual(vi.search(q, 5));
    expect(back.search(vs[5]!, 119).map((h) => h.chunkId)).not.toContain(15);
    expect(Array.from(back.vector(20))).toEqual(Array.from(vi.vector(20)));
    // A chunk the table expects but the file lacks is an error, not a silent miss.
    expect(() => VectorIndex.read(file, 24, params, [...live, 5000])).toThrow(/chunk 5000/);
  });

  it('a graph file kept as it is, with extra vectors beside it and deletions in memory, searches them all', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-hnsw-'));
    tmpDirs.push(dir);
    const vs = vectors(300, 16, 7);
    const vi = VectorIndex.create(16, params);
    vs.slice(0, 250).forEach((v, i) => vi.add(i, v));
    const file = path.join(dir, 'vectors.hnsw');
    vi.write(file);
    // A writer: removes 10, adds 50, never reads the graph; the file stays linkable.
    const live = [...Array.from({ length: 240 }, (_, i) => i + 10), ...Array.from({ length: 50 }, (_, i) => 250 + i)];
    const extra = new Map(vs.slice(250).map((v, i) => [250 + i, v] as [number, Float32Array]));
    const upd = VectorIndex.forUpdate(file, vi.points, 16, params, Array.from({ length: 250 }, (_, i) => i), new Map());
    for (let i = 0; i < 10; i++) upd.remove(i);
    for (const [id, v] of extra) upd.add(id, v);
    expect(upd.linkableFile()).toBe(file);
    expect(upd.extraIds.sort((a, b) => a - b)).toEqual([...extra.keys()]);
    // A reader of that state finds extras exactly and never a removed chunk.
    const reader = VectorIndex.read(file, 16, params, live, extra);
    for (const id of [0, 5, 9]) expect(reader.search(vs[id]!, 5).map((h) => h.chunkId)).not.toContain(id);
    for (const id of [250, 277, 299]) {
      const [top] = reader.search(vs[id]!, 3);
      expect(top!.chunkId).toBe(id);
      expect(top!.cosine).toBeCloseTo(1, 5);
    }
    expect(reader.search(vs[100]!, 1)[0]!.chunkId).toBe(100);
    // Writing folds the extras into the graph.
    upd.write(path.join(dir, 'folded.hnsw'));
    const folded = VectorIndex.read(path.join(dir, 'folded.hnsw'), 16, params, live);
    expect(folded.extraIds).toEqual([]);
    expect(folded.search(vs[277]!, 1)[0]!.chunkId).toBe(277);
    expect(folded.size).toBe(290);
  });
});

describe('efForSize', () => {
  it('keeps HNSW_EF up to 100k points and widens the beam for larger archives (3× at 1M)', () => {
    expect(efForSize(128, 120)).toBe(128);
    expect(efForSize(128, 100_000)).toBe(128);
    expect(efForSize(64, 100_000)).toBe(64);
    expect(efForSize(128, 400_000)).toBe(282);
    expect(efForSize(128, 1_000_000)).toBe(384);
    expect(efForSize(128, 10_000_000)).toBe(640);
  });
});
