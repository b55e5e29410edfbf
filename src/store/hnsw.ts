/**
 * Dense vector index: hnswlib-node `HierarchicalNSW('cosine', dim)` keyed by chunk id.
 *
 * Removal marks points deleted (slots are reused by later additions: `allowReplaceDeleted`);
 * when more than 25% of the slots are deleted the graph is rebuilt from the stored live points.
 * Capacity grows by 1.5× as needed. Scores are cosine similarities (`1 - distance`).
 *
 * Edits cost what they change: a save may keep the previous generation's graph file as it is (hard
 * link) and list the chunks added since as *extra* vectors (stored with the passage vectors, see
 * sentences.ts), which a search compares exactly beside the graph's approximate search; chunks
 * removed since are marked deleted in memory when the file is read. A writer opened with
 * {@link VectorIndex.forUpdate} reads the graph only when a save folds the extras into it (more than
 * {@link FOLD_EXTRA_RATIO} of the points, or 1,000) or rebuilds it.
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

/** Graph size up to which HNSW_EF is used as configured (where its default was tuned: recall@10 0.968 at 100k on the bot's own graph). */
export const EF_TUNED_POINTS = 100_000;

/**
 * The query-time ef the bot uses on a graph of `points`: HNSW_EF up to {@link EF_TUNED_POINTS}, then
 * HNSW_EF × (1 + 2·log10(points / 100k)) — tripled at 1M. At a fixed ef the recall falls as the graph
 * grows, and an archive grows without anyone re-tuning it: the bench's 1M graph (M 16,
 * efConstruction 100) gives recall@10 0.861 at ef 128, 0.943 at 256, 0.969 at 384 (p95 7.3 ms), 0.984
 * at 512; 100k gives 0.963 at 128.
 */
export function efForSize(ef: number, points: number): number {
  return points <= EF_TUNED_POINTS ? ef : Math.round(ef * (1 + 2 * Math.log10(points / EF_TUNED_POINTS)));
}

/** Deleted share of slots above which {@link VectorIndex.maybeRebuild} rebuilds the graph. */
export const REBUILD_DELETED_RATIO = 0.25;
const MIN_CAPACITY = 64;
/** Extra (not yet in the graph) share of live points above which a save folds them into the graph. */
export const FOLD_EXTRA_RATIO = 0.02;
const FOLD_EXTRA_MIN = 1000;
const SEED = 100;

/**
 * @example
 * const vi = VectorIndex.create(384, { M: 16, efConstruction: 200, ef: 64 });
 * vi.add(chunk.id, vector);
 * vi.search(queryVector, 10); // → [{ chunkId, cosine }]
 */
export class VectorIndex {
  /** Vectors of live chunks that are not in the graph (normalized), by chunk id. */
  private readonly extra = new Map<number, Float32Array>();
  /** Lazy writer: the graph file not read yet, and its slot count. */
  private pending: { file: string; points: number } | null = null;
  /** The graph file the graph in memory (or pending) came from; null once it was changed. */
  private graphFile: string | null = null;

  private constructor(
    private native: Native | null,
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
  static read(file: string, dim: number, params: HnswParams, liveIds: Iterable<number>, extra: ReadonlyMap<number, Float32Array> = new Map()): VectorIndex {
    const native = new HierarchicalNSW('cosine', dim);
    native.readIndexSync(file, true);
    native.setEf(params.ef);
    const live = new Set(liveIds);
    const stored = new Set(native.getIdsList());
    for (const id of live) {
      if (!stored.has(id) && !extra.has(id)) throw new Error(`vector for chunk ${id} is missing from ${file}`);
    }
    // Chunks removed since the file was written (a later save kept the file): deleted here, in memory.
    for (const id of stored) {
      if (live.has(id) && !extra.has(id)) continue;
      try {
        native.markDelete(id);
      } catch {
        // already deleted in the file
      }
    }
    const vi = new VectorIndex(native, dim, params, live);
    for (const [id, v] of extra) if (live.has(id)) vi.extra.set(id, normalized(v));
    vi.graphFile = file;
    return vi;
  }

  /**
   * A writer's index over the graph in `file` (not read yet; `points` slots) plus `extra` vectors:
   * adding and removing chunks never reads the graph (see the module comment).
   */
  static forUpdate(file: string, points: number, dim: number, params: HnswParams, liveIds: Iterable<number>, extra: ReadonlyMap<number, Float32Array>): VectorIndex {
    const vi = new VectorIndex(null, dim, params, new Set(liveIds));
    for (const [id, v] of extra) if (vi.live.has(id)) vi.extra.set(id, normalized(v));
    vi.pending = { file, points };
    vi.graphFile = file;
    return vi;
  }

  /** After a save wrote (or linked) the graph as `file`. */
  committed(file: string): void {
    this.graphFile = file;
    if (this.pending) this.pending.file = file;
  }

  /** Chunk ids whose vectors are not in the graph (a save lists them in the manifest). */
  get extraIds(): number[] {
    return [...this.extra.keys()];
  }

  /** Slots of the graph (live, deleted and reused). */
  get points(): number {
    return this.pending ? this.pending.points : (this.native as Native).getCurrentCount();
  }

  /**
   * The graph file a save can hard-link instead of writing the graph: the graph is that file's, few
   * extras, few deletions. Null when the save must write it.
   */
  linkableFile(): string | null {
    if (!this.graphFile) return null;
    if (this.extra.size > Math.max(FOLD_EXTRA_MIN, FOLD_EXTRA_RATIO * this.live.size)) return null;
    return this.needsRebuild() ? null : this.graphFile;
  }

  private graph(): Native {
    if (this.pending) {
      const { file } = this.pending;
      this.pending = null;
      const native = new HierarchicalNSW('cosine', this.dim);
      native.readIndexSync(file, true);
      native.setEf(this.currentParams.ef);
      for (const id of native.getIdsList()) {
        if (this.live.has(id) && !this.extra.has(id)) continue;
        try {
          native.markDelete(id);
        } catch {
          // already deleted in the file
        }
      }
      this.native = native;
    }
    return this.native as Native;
  }

  /** Puts the extra vectors into the graph. */
  private fold(): void {
    if (this.extra.size === 0) return;
    const native = this.graph();
    for (const [id, v] of this.extra) {
      this.extra.delete(id);
      this.live.delete(id);
      this.insert(native, id, v);
    }
    this.graphFile = null;
  }

  private insert(native: Native, id: number, vector: Float32Array | number[]): void {
    const deleted = native.getCurrentCount() - (this.live.size - this.extra.size);
    if (deleted === 0 && native.getCurrentCount() >= native.getMaxElements()) {
      native.resizeIndex(Math.max(MIN_CAPACITY, Math.ceil(native.getMaxElements() * 1.5)));
    }
    native.addPoint(Array.from(vector), id, deleted > 0);
    this.live.add(id);
  }

  private needsRebuild(): boolean {
    const slots = this.points;
    const deleted = slots - (this.live.size - this.extra.size);
    return slots > 0 && deleted / slots > REBUILD_DELETED_RATIO;
  }

  /** Live (searchable) points. */
  get size(): number {
    return this.live.size;
  }

  /** Slots held by deleted points, not yet reused. */
  get deleted(): number {
    return this.points - (this.live.size - this.extra.size);
  }

  get capacity(): number {
    return this.graph().getMaxElements();
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
    if (this.pending || this.extra.has(id)) {
      // A lazy writer keeps additions beside the graph (see the module comment).
      this.extra.set(id, normalized(vector));
      this.live.add(id);
      return;
    }
    const native = this.graph();
    if (this.live.has(id)) {
      native.addPoint(Array.from(vector), id, false); // in-place update
      this.graphFile = null;
      return;
    }
    this.insert(native, id, vector);
    this.graphFile = null;
  }

  /** Marks chunk `id` deleted (no-op when absent). */
  remove(id: number): void {
    if (!this.live.delete(id)) return;
    if (this.extra.delete(id)) return;
    // Deleted in the file's graph: marked now if it is in memory, else when it is read.
    if (this.native && !this.pending) this.native.markDelete(id);
  }

  /** The stored (L2-normalized) vector of chunk `id`. */
  vector(id: number): Float32Array {
    const v = this.extra.get(id);
    if (v) return Float32Array.from(v);
    return Float32Array.from(this.graph().getPoint(id));
  }

  /** Nearest `k` chunks by cosine similarity, best first: the graph's, and the extras compared exactly. */
  search(vector: Float32Array | number[], k: number): DenseHit[] {
    const inGraph = this.live.size - this.extra.size;
    const out: DenseHit[] = [];
    const n = Math.min(k, inGraph);
    if (n > 0) {
      const { neighbors, distances } = this.graph().searchKnn(Array.from(vector), n);
      neighbors.forEach((chunkId, i) => out.push({ chunkId, cosine: 1 - (distances[i] ?? 1) }));
    }
    if (this.extra.size === 0 || k <= 0) return out;
    const q = normalized(vector);
    for (const [chunkId, v] of this.extra) {
      let dot = 0;
      for (let i = 0; i < this.dim; i++) dot += (q[i] as number) * (v[i] as number);
      out.push({ chunkId, cosine: dot });
    }
    return out.sort((a, b) => b.cosine - a.cosine || a.chunkId - b.chunkId).slice(0, k);
  }

  /** Rebuilds the graph from the live points when deleted slots exceed 25% (or when `force`). Returns whether it did. */
  maybeRebuild(force = false, params: HnswParams = this.params): boolean {
    if (!force && !this.needsRebuild()) return false;
    this.fold();
    const native = this.graph();
    const next = fresh(this.dim, params, Math.max(MIN_CAPACITY, Math.ceil(this.live.size * 1.25)));
    for (const id of [...this.live].sort((a, b) => a - b)) next.addPoint(native.getPoint(id), id);
    this.native = next;
    this.currentParams = params;
    this.graphFile = null;
    return true;
  }

  /** Writes the graph, extras folded in, to `file` (synchronously; the caller fsyncs). */
  write(file: string): void {
    this.fold();
    this.graph().writeIndexSync(file);
  }
}

function normalized(v: Float32Array | number[]): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += (v[i] as number) * (v[i] as number);
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  return Float32Array.from(v, (x) => x * s);
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
