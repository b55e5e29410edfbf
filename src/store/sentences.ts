/**
 * Sentence vectors, computed at index time so that answering embeds nothing but the question.
 *
 * Every article's sentence spans (see {@link articleSentenceSpans}) get one L2-normalized vector each,
 * embedded exactly as the answer path used to embed candidate sentences while the user waited
 * (`embedPassages` on the verbatim sentence text). Vectors live on disk in immutable segment files
 * of raw little-endian float32 rows (`sentvec-<n>.f32`); a generation's table (`sentences.ndjson`)
 * says, per article, which segment and first row hold its sentences, and the spans in order.
 *
 * Incremental like the rest of the index: an unchanged article keeps its rows; a save hard-links
 * the previous generation's segments into the new one (no copy) and writes one new segment for the
 * rows added since. Rows of removed articles are garbage; when garbage exceeds half of all rows the
 * live rows are compacted into one new segment. Readers keep each segment open and read the few rows
 * a question needs with positioned reads, so the vectors cost page cache, not process memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { splitSentences } from '../text/sentences.js';
import type { Article, Chunk, SentenceSpan } from '../types.js';
import { closeWhenCollected, isErrno, linkOrCopy, readLines, writeLinesSynced, type GenerationFile } from './disk.js';

export const SENTENCE_TABLE = 'sentences.ndjson';
const SEGMENT_RE = /^(?:sentvec|passvec)-(\d{6})\.f32$/u;

/** A store's file names: its table, and the prefix of its segment files. */
export interface StoreNames {
  table: string;
  segment: string;
}
/** Sentence vectors (what the answer path reads). */
export const SENTENCE_NAMES: StoreNames = { table: SENTENCE_TABLE, segment: 'sentvec' };
/**
 * Chunk passage vectors, keyed by the chunk's span of its article: what an edited article's unchanged
 * chunks take their vectors from, and where chunks not yet in the HNSW graph are read (see hnsw.ts).
 */
export const PASSAGE_NAMES: StoreNames = { table: 'passages.ndjson', segment: 'passvec' };
/** Garbage share of rows above which a save compacts the live rows into one segment. */
export const COMPACT_GARBAGE_RATIO = 0.5;
/** Segments a generation may have (one is added per save) before a save compacts them into one. */
export const MAX_SEGMENTS = 16;

export function segmentName(id: number, names: StoreNames = SENTENCE_NAMES): string {
  return `${names.segment}-${String(id).padStart(6, '0')}.f32`;
}

/**
 * The sentence spans the answer path scores: `splitSentences(article.text)`, plus — where the chunker
 * cut a sentence too long for the model — the pieces `splitSentences(chunk.text)` yields for those
 * chunks (the answer path splits chunk by chunk). In order of start, no duplicates.
 */
export function articleSentenceSpans(article: Pick<Article, 'text'>, chunks: readonly Pick<Chunk, 'start' | 'text'>[]): SentenceSpan[] {
  const spans = splitSentences(article.text);
  const seen = new Set(spans.map((s) => s.start * 0x100000 + s.end));
  let extra = false;
  for (const c of chunks) {
    for (const s of splitSentences(c.text)) {
      const start = c.start + s.start;
      const end = c.start + s.end;
      const key = start * 0x100000 + end;
      if (seen.has(key)) continue;
      seen.add(key);
      spans.push({ start, end });
      extra = true;
    }
  }
  if (extra) spans.sort((a, b) => a.start - b.start || a.end - b.end);
  return spans;
}

interface ArticleRows {
  /** Flattened [start, end] pairs, in span order. */
  spans: Int32Array;
  segment: number;
  /** First row in the segment; the article's rows are consecutive. */
  row: number;
}

interface Segment {
  id: number;
  rows: number;
  /** Where the segment's file is now (a previous generation), or null while only in memory. */
  file: string | null;
  /** Rows not yet in a generation (the open segment of this run). */
  pending: RowBuffer | null;
}

/**
 * The rows of the open segment: in memory, or — when the store has a spill folder — appended to a
 * file there as they come (a first build of a large archive has gigabytes of them), which a save then
 * hard-links into the generation.
 */
class RowBuffer {
  private mem: Float32Array[] = [];
  private fd: number | null = null;
  private buf: Float32Array;
  private inBuf = 0;
  private flushed = 0;

  constructor(
    private readonly dim: number,
    readonly spillFile: string | null,
  ) {
    this.buf = new Float32Array(spillFile ? dim * Math.max(1, Math.floor((1 << 20) / (dim * 4))) : 0);
    if (spillFile) {
      fs.mkdirSync(path.dirname(spillFile), { recursive: true });
      this.fd = fs.openSync(spillFile, 'w+');
    }
  }

  push(v: Float32Array): void {
    if (this.fd === null) {
      this.mem.push(v);
      return;
    }
    this.buf.set(v, this.inBuf * this.dim);
    if (++this.inBuf * this.dim === this.buf.length) this.flush();
  }

  get(row: number): Float32Array {
    if (this.fd === null) return this.mem[row] as Float32Array;
    if (row >= this.flushed) return this.buf.slice((row - this.flushed) * this.dim, (row - this.flushed + 1) * this.dim);
    const out = new Float32Array(this.dim);
    fs.readSync(this.fd, new Uint8Array(out.buffer), 0, this.dim * 4, row * this.dim * 4);
    return out;
  }

  /** Puts the rows at `file` (a new generation's segment). */
  writeTo(file: string): void {
    if (this.fd === null) {
      writeRows(file, this.mem, this.dim);
      return;
    }
    this.flush();
    fs.fsyncSync(this.fd);
    linkOrCopy(this.spillFile as string, file);
  }

  private flush(): void {
    if (this.fd === null || this.inBuf === 0) return;
    fs.writeSync(this.fd, new Uint8Array(this.buf.buffer, 0, this.inBuf * this.dim * 4), 0, this.inBuf * this.dim * 4, this.flushed * this.dim * 4);
    this.flushed += this.inBuf;
    this.inBuf = 0;
  }

  /** Closes and deletes the spill file (its rows live on in a generation, or are abandoned). */
  discard(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
    fs.rmSync(this.spillFile as string, { force: true });
  }
}

/** One line of sentences.ndjson after the header: [articleId, segment, row, [start, end, ...]]. */
type TableLine = [string, number, number, number[]];

interface TableHeader {
  format: number;
  dim: number;
  segments: { id: number; rows: number }[];
}

export const SENTENCE_FORMAT = 1;

/**
 * @example
 * const store = SentenceStore.create(384);
 * store.add(article.id, spans, vectors);
 * store.vector(article.id, span.start, span.end); // → Float32Array(384) | null
 */
export class SentenceStore {
  private readonly byArticle = new Map<string, ArticleRows>();
  /** A reader's descriptors, one per segment (see {@link read}); null for a writer's store. */
  private readerFds: Map<number, number> | null = null;
  private readonly segments = new Map<number, Segment>();
  private open: Segment | null = null;
  private liveRows = 0;

  private constructor(
    readonly dim: number,
    /** Where the open segment's rows are spilled (see {@link RowBuffer}); null: kept in memory. */
    private readonly spillDir: string | null = null,
    readonly names: StoreNames = SENTENCE_NAMES,
  ) {}

  static create(dim: number, spillDir: string | null = null, names: StoreNames = SENTENCE_NAMES): SentenceStore {
    return new SentenceStore(dim, spillDir, names);
  }

  /** A store over `genDir` whose later additions spill into `spillDir` (the indexer's copy). */
  static readForUpdate(genDir: string, dim: number, spillDir: string | null, names: StoreNames = SENTENCE_NAMES): SentenceStore {
    const read = SentenceStore.read(genDir, dim, names);
    const store = new SentenceStore(dim, spillDir, names);
    for (const [k, v] of read.segments) store.segments.set(k, v);
    for (const [k, v] of read.byArticle) store.byArticle.set(k, v);
    store.liveRows = read.liveRows;
    return store;
  }

  private newSegment(): Segment {
    const id = Math.max(0, ...this.segments.keys()) + 1;
    const spill = this.spillDir ? path.join(this.spillDir, `${segmentName(id, this.names)}.${process.pid}-${Date.now().toString(36)}`) : null;
    return { id, rows: 0, file: null, pending: new RowBuffer(this.dim, spill) };
  }

  /** Reads the table of generation folder `genDir`; segment files are opened, not read. */
  static read(genDir: string, dim: number, names: StoreNames = SENTENCE_NAMES): SentenceStore {
    const store = new SentenceStore(dim, null, names);
    store.readerFds = new Map();
    const table = names.table;
    const it = readLines(path.join(genDir, table))[Symbol.iterator]();
    const first = it.next();
    if (first.done) throw new Error(`${table} is empty`);
    const h = JSON.parse(first.value) as TableHeader;
    if (h.format !== SENTENCE_FORMAT) throw new Error(`${table} format ${String(h.format)}, expected ${SENTENCE_FORMAT}`);
    if (h.dim !== dim) throw new Error(`${table} has ${h.dim}-d vectors, the index ${dim}-d`);
    for (const s of h.segments) {
      const file = path.join(genDir, segmentName(s.id, names));
      const bytes = fs.statSync(file).size;
      if (bytes !== s.rows * dim * 4) throw new Error(`${segmentName(s.id, names)} has ${bytes} bytes, expected ${s.rows * dim * 4}`);
      store.segments.set(s.id, { id: s.id, rows: s.rows, file, pending: null });
      // Opened now and held: a writer may delete this generation (two saves later) while a reader
      // still answers from it; open descriptors keep the files readable (POSIX).
      store.readerFds.set(s.id, fs.openSync(file, 'r'));
    }
    closeWhenCollected.register(store, [...store.readerFds.values()]);
    for (let r = it.next(); !r.done; r = it.next()) {
      const [id, segment, row, spans] = JSON.parse(r.value) as TableLine;
      const seg = store.segments.get(segment);
      if (!seg || row + spans.length / 2 > seg.rows) throw new Error(`${table}: rows of ${id} are outside segment ${segment}`);
      store.byArticle.set(id, { spans: Int32Array.from(spans), segment, row });
      store.liveRows += spans.length / 2;
    }
    return store;
  }

  /** Articles with sentence vectors. */
  get articles(): number {
    return this.byArticle.size;
  }

  /** Sentence vectors in live use. */
  get size(): number {
    return this.liveRows;
  }

  /** Rows on disk or pending, live or not. */
  get totalRows(): number {
    let n = 0;
    for (const s of this.segments.values()) n += s.rows;
    return n;
  }

  has(articleId: string): boolean {
    return this.byArticle.has(articleId);
  }

  /** Spans of an article's stored sentences (empty when it has none). */
  spansOf(articleId: string): SentenceSpan[] {
    const e = this.byArticle.get(articleId);
    if (!e) return [];
    const out: SentenceSpan[] = [];
    for (let i = 0; i < e.spans.length; i += 2) out.push({ start: e.spans[i] as number, end: e.spans[i + 1] as number });
    return out;
  }

  /** Adds an article's sentences (one vector per span, in span order); replaces what it had. */
  add(articleId: string, spans: readonly SentenceSpan[], vectors: readonly Float32Array[]): void {
    if (spans.length !== vectors.length) throw new Error(`${spans.length} sentence spans but ${vectors.length} vectors for ${articleId}`);
    this.remove(articleId);
    if (!this.open) {
      this.open = this.newSegment();
      this.segments.set(this.open.id, this.open);
    }
    const flat = new Int32Array(spans.length * 2);
    spans.forEach((s, i) => {
      flat[2 * i] = s.start;
      flat[2 * i + 1] = s.end;
    });
    for (const v of vectors) {
      if (v.length !== this.dim) throw new Error(`sentence vector has ${v.length} dimensions, the store ${this.dim}`);
      this.open.pending?.push(v);
    }
    this.byArticle.set(articleId, { spans: flat, segment: this.open.id, row: this.open.rows });
    this.open.rows += vectors.length;
    this.liveRows += vectors.length;
  }

  remove(articleId: string): void {
    const e = this.byArticle.get(articleId);
    if (!e) return;
    this.byArticle.delete(articleId);
    this.liveRows -= e.spans.length / 2;
  }

  /** The vector of the sentence [start, end) of `articleId`, or null when it is not stored. */
  vector(articleId: string, start: number, end: number): Float32Array | null {
    const e = this.byArticle.get(articleId);
    if (!e) return null;
    for (let i = 0; i < e.spans.length; i += 2) {
      if (e.spans[i] !== start || e.spans[i + 1] !== end) continue;
      try {
        return this.row(e.segment, e.row + i / 2);
      } catch {
        return null; // unreadable: the answer path embeds the sentence itself
      }
    }
    return null;
  }

  /** Every live vector of one article, in span order (for statistics). */
  vectorsOf(articleId: string): Float32Array[] {
    const e = this.byArticle.get(articleId);
    if (!e) return [];
    return Array.from({ length: e.spans.length / 2 }, (_, i) => this.row(e.segment, e.row + i));
  }

  private row(segment: number, row: number): Float32Array {
    const seg = this.segments.get(segment);
    if (!seg) throw new Error(`sentence segment ${segment} is missing`);
    if (seg.pending) return seg.pending.get(row);
    const fd = this.readerFds?.get(segment) ?? openSegment(seg.file as string);
    const out = new Float32Array(this.dim);
    const bytes = this.dim * 4;
    const n = fs.readSync(fd, new Uint8Array(out.buffer), 0, bytes, row * bytes);
    if (n !== bytes) throw new Error(`short read in ${segmentName(segment, this.names)} at row ${row}`);
    return out;
  }

  /** Closes this store's open segment files (they are reopened on demand). */
  close(): void {
    for (const seg of this.segments.values()) if (seg.file) closeSegment(seg.file);
  }

  /**
   * The files of a new generation: segments still referenced (hard-linked from where they are, copied
   * when linking fails), the new segment, the table. Compacts first when garbage exceeds half the rows.
   * After the save the store's files point into `genDir` (call {@link committed}).
   */
  generationFiles(): GenerationFile[] {
    const garbage = this.totalRows > 0 && this.liveRows < (1 - COMPACT_GARBAGE_RATIO) * this.totalRows;
    if (garbage || this.segments.size > MAX_SEGMENTS) this.compact();
    const used = new Set<number>();
    for (const e of this.byArticle.values()) used.add(e.segment);
    const files: GenerationFile[] = [];
    const kept: { id: number; rows: number }[] = [];
    for (const seg of [...this.segments.values()].sort((a, b) => a.id - b.id)) {
      if (!used.has(seg.id)) continue;
      kept.push({ id: seg.id, rows: seg.rows });
      if (seg.pending) {
        const rows = seg.pending;
        files.push({ name: segmentName(seg.id, this.names), write: (f) => rows.writeTo(f) });
      } else {
        const from = seg.file as string;
        files.push({ name: segmentName(seg.id, this.names), write: (f) => linkOrCopy(from, f) });
      }
    }
    const header: TableHeader = { format: SENTENCE_FORMAT, dim: this.dim, segments: kept };
    const entries = [...this.byArticle.entries()];
    files.push({
      name: this.names.table,
      write: (f) =>
        writeLinesSynced(
          f,
          (function* () {
            yield `${JSON.stringify(header)}\n`;
            for (const [id, e] of entries) yield `${JSON.stringify([id, e.segment, e.row, Array.from(e.spans)] satisfies TableLine)}\n`;
          })(),
        ),
    });
    return files;
  }

  /** After a successful save into `genDir`: segments now live there; the next add opens a new segment. */
  committed(genDir: string): void {
    this.close();
    const used = new Set<number>();
    for (const e of this.byArticle.values()) used.add(e.segment);
    for (const [id, seg] of this.segments) {
      seg.pending?.discard();
      if (!used.has(id)) {
        this.segments.delete(id);
        continue;
      }
      seg.file = path.join(genDir, segmentName(id, this.names));
      seg.pending = null;
    }
    this.open = null;
  }

  /** Moves every live row into one new in-memory segment (dropping garbage). */
  private compact(): void {
    const seg = this.newSegment();
    const id = seg.id;
    const moved = new Map<string, ArticleRows>();
    for (const [articleId, e] of this.byArticle) {
      const n = e.spans.length / 2;
      for (let i = 0; i < n; i++) seg.pending?.push(this.row(e.segment, e.row + i));
      moved.set(articleId, { spans: e.spans, segment: id, row: seg.rows });
      seg.rows += n;
    }
    this.close();
    for (const old of this.segments.values()) old.pending?.discard();
    this.segments.clear();
    this.segments.set(id, seg);
    for (const [k, v] of moved) this.byArticle.set(k, v);
    this.open = seg;
  }
}

/**
 * Open segment files, least recently used first. Bounded, so the generations a long-running bot
 * replaced do not keep descriptors (and deleted files' disk space) forever.
 */
const openFiles = new Map<string, number>();
const MAX_OPEN = 32;

function openSegment(file: string): number {
  let fd = openFiles.get(file);
  if (fd !== undefined) {
    openFiles.delete(file);
    openFiles.set(file, fd);
    return fd;
  }
  fd = fs.openSync(file, 'r');
  openFiles.set(file, fd);
  if (openFiles.size > MAX_OPEN) closeSegment(openFiles.keys().next().value as string);
  return fd;
}

function closeSegment(file: string): void {
  const fd = openFiles.get(file);
  if (fd === undefined) return;
  openFiles.delete(file);
  fs.closeSync(fd);
}

/** Segment file names in a generation folder (for tests and tools). */
export function segmentFiles(genDir: string): string[] {
  try {
    return fs.readdirSync(genDir).filter((f) => SEGMENT_RE.test(f)).sort();
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return [];
    throw e;
  }
}

function writeRows(file: string, rows: readonly Float32Array[], dim: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    const per = Math.max(1, Math.floor((1 << 20) / (dim * 4)));
    for (let i = 0; i < rows.length; i += per) {
      const part = rows.slice(i, i + per);
      const buf = new Float32Array(part.length * dim);
      part.forEach((r, k) => buf.set(r, k * dim));
      fs.writeSync(fd, new Uint8Array(buf.buffer));
    }
  } finally {
    fs.closeSync(fd);
  }
}
