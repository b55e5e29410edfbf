/**
 * The embedding journal: every vector the model computes during a run is appended here (keyed by a
 * hash of the exact text embedded) until the run's generation is saved. A run that is interrupted —
 * killed, out of power, a failing page write — leaves the journal behind, and the next run takes its
 * vectors instead of asking the model again: a first build of a large archive continues where it
 * stopped instead of starting over.
 *
 * `<INDEX_DIR>/.journal/<model hash>.f32`: records of [8-byte text hash][dim × float32]; a partial
 * record at the end (the process died mid-write) is ignored. One journal per model and dimension, so
 * vectors of another model are never reused. Deleted once a generation is saved.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const JOURNAL_DIR = '.journal';

function textKey(text: string): bigint {
  return createHash('sha256').update(text).digest().readBigUInt64LE(0);
}

export class EmbedJournal {
  private readonly offsets = new Map<bigint, number>();
  private fd: number;
  private size: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly record: number;

  private constructor(
    readonly file: string,
    readonly dim: number,
  ) {
    this.record = 8 + dim * 4;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a+');
    const bytes = fs.fstatSync(this.fd).size;
    this.size = bytes - (bytes % this.record);
    if (this.size !== bytes) fs.ftruncateSync(this.fd, this.size); // drop a torn last record
    const buf = Buffer.alloc(8);
    for (let off = 0; off < this.size; off += this.record) {
      fs.readSync(this.fd, buf, 0, 8, off);
      this.offsets.set(buf.readBigUInt64LE(0), off + 8);
    }
  }

  /** The journal of `modelId`/`dim` under `indexDir` (created empty when there is none). */
  static open(indexDir: string, modelId: string, dim: number): EmbedJournal {
    const name = createHash('sha256').update(`${modelId}\n${dim}`).digest('hex').slice(0, 16);
    return new EmbedJournal(path.join(indexDir, JOURNAL_DIR, `${name}.f32`), dim);
  }

  /** Vectors the journal holds (from interrupted runs, and this one). */
  get count(): number {
    return this.offsets.size;
  }

  /** The journaled vector of exactly this text, or undefined. */
  get(text: string): Float32Array | undefined {
    const off = this.offsets.get(textKey(text));
    if (off === undefined) return undefined;
    if (off >= this.size) this.flush();
    const out = new Float32Array(this.dim);
    fs.readSync(this.fd, new Uint8Array(out.buffer), 0, this.dim * 4, off);
    return out;
  }

  /** Records freshly embedded vectors (buffered; made durable by {@link flush}, at least every 4 MiB). */
  append(texts: readonly string[], vectors: readonly Float32Array[]): void {
    texts.forEach((t, i) => {
      const v = vectors[i] as Float32Array;
      const rec = Buffer.alloc(this.record);
      rec.writeBigUInt64LE(textKey(t), 0);
      Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(rec, 8);
      this.offsets.set(rec.readBigUInt64LE(0), this.size + this.pendingBytes + 8);
      this.pending.push(rec);
      this.pendingBytes += rec.length;
    });
    if (this.pendingBytes >= 4 << 20) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    fs.writeSync(this.fd, Buffer.concat(this.pending, this.pendingBytes), 0, this.pendingBytes, this.size);
    fs.fsyncSync(this.fd);
    this.size += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Flushes and closes (an interrupted run leaves the file for the next one). */
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  /** Closes and deletes the journal (its vectors are in a saved generation now). */
  remove(): void {
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
  }
}
