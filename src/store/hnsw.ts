/**
 * Dense vector index: hnswlib-node `HierarchicalNSW('cosine', dim)` keyed by chunk id.
 *
 * Removal marks points deleted (slots are reused by later additions: `allowReplaceDeleted`);
 * when more than 25% of the slots are deleted the graph is rebuilt from the stored live points.
 * Capacity grows by 1.5× as needed. Scores are cosine similarities (`1 - distance`).
 */
import hnswlib from 'hnswlib-node';
import type { DenseHit } from './types.js';

const { HierarchicalNSW } = hnswlib;
type Native = InstanceType<typeof HierarchicalNSW>;

export interface HnswParams {
  /** Graph degree (HNSW_M). */
  M: number;
  /** Build-time beam width (HNSW_EF_CONSTRUCTION). */
  efConstruction: number;
  /** Query-time beam width (HNSW_EF). */
  ef: number;
}

/** Deleted share of slots above which {@link VectorIndex.maybeRebuild} rebuilds the graph. */
export const REBUILD_DELETED_RATIO = 0.25;
const MIN_CAPACITY = 64;
const SEED = 100;

/**
 * @example
 * const vi = VectorIndex.create(384, { M: 16, efConstruction: 200, ef: 64 });
 * vi.add(chunk.id, vector);
 * vi.search(queryVector, 10); // → [{ chunkId, cosine }]
 */
export class VectorIndex {
  private constructor(
    private native: Native,
    readonly dim: number,
    private currentParams: HnswParams,
    private readonly live: Set<number>,
  ) {}

  /** Parameters the graph was built with (and the query-time ef). */
  get params(): HnswParams {
    return this.currentParams;
  }

  static create(dim: number, params: HnswParams, capacity = MIN_CAPACITY): VectorIndex {
    return new VectorIndex(fresh(dim, params, capacity), dim, params, new Set());
  }

  /**
   * Reads a file written by {@link write}. `liveIds` are the chunk ids that should be in it
   * (from the chunk table); the file's deleted markers come back with it.
   */
  static read(file: string, dim: number, params: HnswParams, liveIds: Iterable<number>): VectorIndex {
    const native = new HierarchicalNSW('cosine', dim);
    native.readIndexSync(file, true);
    native.setEf(params.ef);
    const live = new Set(liveIds);
    const stored = new Set(native.getIdsList());
    for (const id of live) {
      if (!stored.has(id)) throw new Error(`vector for chunk ${id} is missing from ${file}`);
    }
    return new VectorIndex(native, dim, params, live);
  }

  /** Live (searchable) points. */
  get size(): number {
    return this.live.size;
  }

  /** Slots held by deleted points, not yet reused. */
  get deleted(): number {
    return this.native.getCurrentCount() - this.live.size;
  }

  get capacity(): number {
    return this.native.getMaxElements();
  }

  has(id: number): boolean {
    return this.live.has(id);
  }

  /**
   * Adds (or updates) the vector of chunk `id`, reusing a deleted slot when there is one.
   * Ids must not be reused after {@link remove} (hnswlib keeps the deleted label); chunk ids never are.
   */
  add(id: number, vector: Float32Array | number[]): void {
    if (vector.length !== this.dim) throw new Error(`vector has ${vector.length} dimensions, index has ${this.dim}`);
    const point = Array.from(vector);
    if (this.live.has(id)) {
      this.native.addPoint(point, id, false); // in-place update
      return;
    }
    if (this.deleted === 0 && this.native.getCurrentCount() >= this.capacity) {
      this.native.resizeIndex(Math.max(MIN_CAPACITY, Math.ceil(this.capacity * 1.5)));
    }
    this.native.addPoint(point, id, this.deleted > 0);
    this.live.add(id);
  }

  /** Marks chunk `id` deleted (no-op when absent). */
  remove(id: number): void {
    if (!this.live.delete(id)) return;
    this.native.markDelete(id);
  }

  /** The stored (L2-normalized) vector of chunk `id`. */
  vector(id: number): Float32Array {
    return Float32Array.from(this.native.getPoint(id));
  }

  /** Nearest `k` chunks by cosine similarity, best first. */
  search(vector: Float32Array | number[], k: number): DenseHit[] {
    const n = Math.min(k, this.live.size);
    if (n <= 0) return [];
    const { neighbors, distances } = this.native.searchKnn(Array.from(vector), n);
    return neighbors.map((chunkId, i) => ({ chunkId, cosine: 1 - (distances[i] ?? 1) }));
  }

  /** Rebuilds the graph from the live points when deleted slots exceed 25% (or when `force`). Returns whether it did. */
  maybeRebuild(force = false, params: HnswParams = this.params): boolean {
    const slots = this.native.getCurrentCount();
    if (!force && (slots === 0 || this.deleted / slots <= REBUILD_DELETED_RATIO)) return false;
    const next = fresh(this.dim, params, Math.max(MIN_CAPACITY, Math.ceil(this.live.size * 1.25)));
    for (const id of [...this.live].sort((a, b) => a - b)) next.addPoint(this.native.getPoint(id), id);
    this.native = next;
    this.currentParams = params;
    return true;
  }

  /** Writes the index to `file` (synchronously; the caller fsyncs). */
  write(file: string): void {
    this.native.writeIndexSync(file);
  }
}

function fresh(dim: number, params: HnswParams, capacity: number): Native {
  const native = new HierarchicalNSW('cosine', dim);
  native.initIndex({
    maxElements: Math.max(MIN_CAPACITY, capacity),
    m: params.M,
    efConstruction: params.efConstruction,
    randomSeed: SEED,
    allowReplaceDeleted: true,
  });
  native.setEf(params.ef);
  return native;
}
