/**
 * A reader's articles and chunks (the bot's), read from the docs segments (see docs.ts) when asked
 * for: one positioned read and one `JSON.parse` per article, by the manifest's pointer. The most
 * recently used articles stay parsed ({@link DOC_CACHE_ARTICLES}); for the rest only the pointers (in
 * the manifest) and a chunk → article table (4 bytes per chunk) are held. Holding every article and
 * chunk as objects cost the bot ≈ 1.5–2 GB at 1M chunks; the page cache holds the segments instead.
 *
 * The maps keep the order a full read had: articles by (file, position on the page), chunks by id.
 * Segment files are opened at load and held, so a writer may delete this generation (two saves later)
 * while the reader still answers from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Article, Chunk } from '../types.js';
import { closeWhenCollected } from './disk.js';
import { docSegmentName, withText, type DocLine } from './docs.js';
import { IndexCorruptError } from './errors.js';
import type { ArticleHead, IndexManifest } from './types.js';

/**
 * Articles kept parsed (least recently used dropped first). A question touches ≈ 16 (the bench's 300
 * questions at 100k: 4,760 distinct), so this holds the last ≈ 500 questions' articles; at 1M-chunk
 * article sizes ≈ 15 kB each with their sentence views, ≈ 120 MB when full.
 */
export const DOC_CACHE_ARTICLES = 8192;

interface Parsed {
  article: Article;
  chunks: Chunk[];
}

/** A read-only `Map` whose entries come from `get` (for the index's `articles` and `chunks`). */
class LazyMap<K, V> implements Map<K, V> {
  constructor(
    private readonly count: () => number,
    private readonly keyList: () => Iterable<K>,
    private readonly lookup: (key: K) => V | undefined,
    /** Every value in key order, for iteration (may avoid the cache). */
    private readonly all: () => Iterable<[K, V]>,
  ) {}

  get size(): number {
    return this.count();
  }
  get(key: K): V | undefined {
    return this.lookup(key);
  }
  has(key: K): boolean {
    return this.lookup(key) !== undefined;
  }
  *keys(): MapIterator<K> {
    yield* this.keyList();
  }
  *values(): MapIterator<V> {
    for (const [, v] of this.all()) yield v;
  }
  *entries(): MapIterator<[K, V]> {
    yield* this.all();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
  forEach(fn: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.all()) fn.call(thisArg, v, k, this);
  }
  get [Symbol.toStringTag](): string {
    return 'Map';
  }
  set(_key: K, _value: V): this {
    throw new Error('a loaded index is read-only');
  }
  delete(_key: K): boolean {
    throw new Error('a loaded index is read-only');
  }
  clear(): void {
    throw new Error('a loaded index is read-only');
  }
}

/** The reader's `articles`: also lists every article's head without reading the bodies ({@link DocReader.heads}). */
export class ArticleMap extends LazyMap<string, Article> {
  constructor(
    reader: { count: () => number; ids: () => Iterable<string>; get: (id: string) => Article | undefined; all: () => Iterable<[string, Article]> },
    readonly heads: () => Iterable<ArticleHead>,
  ) {
    super(reader.count, reader.ids, reader.get, reader.all);
  }
}

/** Bytes of a line read for its head; the head ends where `"paragraphs"` starts. */
const HEAD_BYTES = 2048;
const HEAD_END = Buffer.from(',"paragraphs":');

export class DocReader {
  /** Article ids in (file, position) order. */
  private readonly ids: string[];
  /** Chunk id → index into {@link ids}, or −1. */
  private readonly owner: Int32Array;
  private readonly chunkCount: number;
  private readonly fds = new Map<number, number>();
  private readonly cache = new Map<string, Parsed>();
  readonly articles: ArticleMap;
  readonly chunks: Map<number, Chunk>;

  /**
   * Opens the segments of generation `genDir` and checks every pointer lies inside its segment;
   * reads no line. `dir`: the index folder (for error messages).
   */
  constructor(
    private readonly dir: string,
    private readonly genDir: string,
    private readonly manifest: IndexManifest,
    private readonly capacity = DOC_CACHE_ARTICLES,
  ) {
    const sizes = new Map<number, number>();
    try {
      for (const seg of manifest.docs?.segments ?? []) {
        const fd = fs.openSync(path.join(genDir, docSegmentName(seg.id)), 'r');
        this.fds.set(seg.id, fd);
        sizes.set(seg.id, fs.fstatSync(fd).size);
      }
    } catch (e) {
      this.close();
      throw e;
    }
    closeWhenCollected.register(this, [...this.fds.values()]);
    this.ids = articleOrder(manifest);
    let maxChunk = -1;
    for (const id of this.ids) {
      const e = manifest.articles[id]!;
      const size = e.at ? sizes.get(e.at[0]) : undefined;
      if (!e.at || size === undefined) throw new Error(`article ${id} is not in the docs segments`);
      if (e.at[1] + e.at[2] > size) throw new Error(`${docSegmentName(e.at[0])} is truncated`);
      for (const c of e.chunkIds) if (c > maxChunk) maxChunk = c;
    }
    this.owner = new Int32Array(maxChunk + 1).fill(-1);
    let n = 0;
    this.ids.forEach((id, i) => {
      for (const c of manifest.articles[id]!.chunkIds) {
        this.owner[c] = i;
        n++;
      }
    });
    this.chunkCount = n;
    this.articles = new ArticleMap(
      { count: () => this.ids.length, ids: () => this.ids, get: (id) => this.parsed(id)?.article, all: () => this.allArticles() },
      () => this.heads(),
    );
    this.chunks = new LazyMap(
      () => this.chunkCount,
      () => this.chunkIds(),
      (id) => this.chunk(id),
      () => this.allChunks(),
    );
  }

  private chunk(id: number): Chunk | undefined {
    const i = Number.isInteger(id) && id >= 0 && id < this.owner.length ? (this.owner[id] as number) : -1;
    if (i < 0) return undefined;
    const p = this.parsed(this.ids[i] as string);
    return p?.chunks.find((c) => c.id === id);
  }

  /** An article with its chunks: from the cache, else read and cached. */
  private parsed(id: string): Parsed | undefined {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const p = this.read(id);
    if (!p) return undefined;
    this.cache.set(id, p);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return p;
  }

  private read(id: string): Parsed | undefined {
    const at = this.manifest.articles[id]?.at;
    if (!at) return undefined;
    const [seg, offset, length] = at;
    let line: DocLine;
    try {
      const fd = this.fds.get(seg);
      if (fd === undefined) throw new Error(`${docSegmentName(seg)} is not in the manifest's segments`);
      const buf = Buffer.allocUnsafe(length);
      if (fs.readSync(fd, buf, 0, length, offset) !== length) throw new Error(`${docSegmentName(seg)}: short read at ${offset}`);
      line = JSON.parse(buf.toString('utf8')) as DocLine;
      if (line[0]?.id !== id) throw new Error(`${docSegmentName(seg)} at ${offset} is not article ${id}`);
    } catch (e) {
      throw new IndexCorruptError(e instanceof Error ? e.message : String(e), this.dir, { cause: e });
    }
    return { article: line[0], chunks: withText(line[0], line[1]) };
  }

  /** Every article in order; those not cached are parsed without entering the cache. */
  private *allArticles(): Generator<[string, Article]> {
    for (const id of this.ids) {
      const p = this.cache.get(id) ?? this.read(id);
      if (p) yield [id, p.article];
    }
  }

  /**
   * Every article's head (headline, kind, byline, place on the page: what comes before the body in its
   * line), in order, reading only the start of each line: a listing of all articles without parsing
   * their text (at 1M chunks, ≈ 0.8 GB of lines).
   */
  *heads(): Generator<ArticleHead> {
    const buf = Buffer.allocUnsafe(HEAD_BYTES);
    for (const id of this.ids) {
      const cached = this.cache.get(id);
      if (cached) {
        yield headOf(cached.article);
        continue;
      }
      const [seg, offset, length] = this.manifest.articles[id]!.at!;
      const n = Math.min(length, HEAD_BYTES);
      const fd = this.fds.get(seg);
      const end = fd !== undefined && fs.readSync(fd, buf, 0, n, offset) === n ? buf.subarray(0, n).indexOf(HEAD_END) : -1;
      // `[{…head…,"paragraphs":` → the head object; a line laid out otherwise is parsed whole.
      const head = end > 1 ? (JSON.parse(`${buf.toString('utf8', 1, end)}}`) as ArticleHead) : this.read(id)?.article;
      if (head?.id !== id) throw new IndexCorruptError(`the docs line of article ${id} is not its own`, this.dir);
      yield headOf(head);
    }
  }

  private *chunkIds(): Generator<number> {
    for (let c = 0; c < this.owner.length; c++) if ((this.owner[c] as number) >= 0) yield c;
  }

  private *allChunks(): Generator<[number, Chunk]> {
    let last: Parsed | undefined;
    let lastOwner = -1;
    for (const c of this.chunkIds()) {
      const i = this.owner[c] as number;
      if (i !== lastOwner) {
        const id = this.ids[i] as string;
        last = this.cache.get(id) ?? this.read(id);
        lastOwner = i;
      }
      const chunk = last?.chunks.find((x) => x.id === c);
      if (chunk) yield [c, chunk];
    }
  }

  /** Closes the segment files (later reads fail); the bot leaves this to garbage collection. */
  close(): void {
    for (const fd of this.fds.values()) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    }
    this.fds.clear();
  }
}

/**
 * Article ids in (file, position) order without reading a line: files by name, each file's articles
 * in page order as the manifest lists them; any article no file lists (not written by this code) after,
 * by file.
 */
export function articleOrder(manifest: IndexManifest): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const file of Object.keys(manifest.files).sort()) {
    for (const id of manifest.files[file]?.articleIds ?? []) {
      if (seen.has(id) || manifest.articles[id]?.file !== file) continue;
      seen.add(id);
      out.push(id);
    }
  }
  if (seen.size < Object.keys(manifest.articles).length) {
    const rest = Object.keys(manifest.articles).filter((id) => !seen.has(id));
    rest.sort((a, b) => {
      const fa = manifest.articles[a]!.file;
      const fb = manifest.articles[b]!.file;
      return fa === fb ? 0 : fa < fb ? -1 : 1;
    });
    out.push(...rest);
  }
  return out;
}

/** The head fields of an article (or of a parsed head), nothing else. */
function headOf(a: ArticleHead): ArticleHead {
  const { id, file, position, kicker, title, byline, reporters, correspondents, photographers, kind } = a;
  return { id, file, position, kicker, title, byline, reporters, correspondents, photographers, kind };
}
