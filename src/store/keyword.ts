/**
 * BM25+ keyword index over chunks, with the Chinese-aware tokenizer: the project's own inverted index.
 *
 * Each chunk is one document with two fields: its text, and its article's headline (kicker + title,
 * boosted so headline words help every chunk of the article). Scores are those MiniSearch 7.2 gave
 * this project before (BM25+ per field with k 1.2, b 0.7, d 0.5; a field's length is its number of
 * distinct terms; the average field length kept as MiniSearch's running mean; the sum over query terms
 * multiplied by the number of query terms matched), so results did not change when it was replaced;
 * keyword.test.ts checks that against MiniSearch itself.
 *
 * Layout: a frozen *base* (typed arrays: per field, each term's postings as short document ids and
 * term frequencies, terms sorted, as read from `keyword.bin`) plus a *delta* of documents added since
 * (a Map of plain arrays). Removing marks the short id dead. Saving merges both into a new base with
 * dead postings dropped and short ids renumbered in order (so ties still go to the earlier-added
 * chunk). Readers load the file as a base and never build a Map of terms: lookups binary-search the
 * sorted term table, and a query reads the postings where they lie, scoring only the documents that
 * can still make the top k (MaxScore, keyword-query.ts; the same results as scoring every posting).
 *
 * File format (`keyword.bin`, little-endian): `BWKW`, u32 version, u32 header length, header JSON,
 * then 8-aligned sections named in the header (see {@link KEYWORD_FORMAT}).
 */
import fs from 'node:fs';
import { queryTerms, tokenize } from '../text/tokenize.js';
import { headlineOf, type Article, type Chunk } from '../types.js';
import { BM25, bm25Weight, exhaustiveTopDocs, topDocs, weighField, type PostingRun, type TermPostings } from './keyword-query.js';
import type { KeywordHit } from './types.js';

/** Weight of a headline match relative to a body match. */
export const HEADLINE_BOOST = 1.5;

/** The headline as indexed: `kicker title` (see types.ts). */
export { headlineOf };

/** Version of the keyword.bin layout (checked on load). */
export const KEYWORD_FORMAT = 2;
const MAGIC = 'BWKW';

/** Field 0: chunk text; field 1: headline. */
const FIELDS = ['text', 'headline'] as const;
const BOOST = [1, HEADLINE_BOOST] as const;
const FIELD_IDS = [0, 1] as const;

/** BM25+ parameters and the one posting's weight (the query's own, keyword-query.ts). */
export { BM25, bm25Weight };

/** BM25's IDF, always positive: ln(1 + (N − df + 0.5) / (df + 0.5)); the one formula (search/stats.ts re-exports it). */
export function idfOf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}


/** The frozen part: sorted terms and, per field, each term's postings as typed arrays. */
interface Base {
  /** Sorted terms (JS string order), UTF-8, concatenated; term i is bytes [termStarts[i], termStarts[i+1]). */
  termBlob: Buffer;
  termStarts: Int32Array;
  /** Per field: postings of term i are [postStart[i], postStart[i+1]) of ids / tfs. */
  postStart: [Int32Array, Int32Array];
  ids: [Int32Array, Int32Array];
  tfs: [Uint16Array, Uint16Array];
}

/** Delta postings of one term in one field: [shortId, tf, shortId, tf, ...], ids ascending. */
type DeltaPostings = number[];

/**
 * What adding documents keeps per term, so a token costs one Map lookup: the term's delta postings
 * per field (the very arrays the delta maps hold) and the document whose text is being counted.
 */
interface TermSlot {
  term: string;
  lists: [DeltaPostings | undefined, DeltaPostings | undefined];
  /** Short id of the document whose text field last counted this term, and its count there. */
  doc: number;
  tf: number;
}

const EMPTY_BASE: Base = {
  termBlob: Buffer.alloc(0),
  termStarts: new Int32Array(1),
  postStart: [new Int32Array(1), new Int32Array(1)],
  ids: [new Int32Array(0), new Int32Array(0)],
  tfs: [new Uint16Array(0), new Uint16Array(0)],
};

/** Terms whose postings a query keeps ready (see {@link KeywordIndex.postingsOf}), and delta postings copied for them. */
const TERM_CACHE_ENTRIES = 100_000;
const TERM_CACHE_DELTA_POSTINGS = 4_000_000;

/**
 * @example
 * const kw = KeywordIndex.create();
 * kw.add(chunk, article);
 * kw.search('通州区去年新发展了多少工会会员', 5); // → [{ chunkId, bm25 }, ...]
 * kw.write('keyword.bin'); KeywordIndex.read('keyword.bin').search(...) // same results
 */
export class KeywordIndex {
  private base: Base = EMPTY_BASE;
  private baseTerms = 0;
  private delta: [Map<string, DeltaPostings>, Map<string, DeltaPostings>] = [new Map(), new Map()];
  /** short id → chunk id (−1: removed). */
  private docIds: Int32Array = new Int32Array(64).fill(-1);
  private lens: [Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64)] as [Int32Array, Int32Array];
  private nextId = 0;
  private documentCount = 0;
  private avg: [number, number] = [0, 0];
  /** Removed short ids not yet dropped from the postings (cleared by a merge). */
  private dead = 0;
  private byChunk: ChunkIds | null = new ChunkIds();
  private version = 0;
  private terms = new Map<string, TermPostings & { df: number }>();
  private termsVersion = -1;
  private termsDeltaPostings = 0;
  /** Valid while the delta maps are (see {@link resetDelta}). */
  private slots = new Map<string, TermSlot>();
  /** The last headline added (consecutive chunks share their article's): its terms' slots and counts. */
  private lastHeadline: { text: string; slots: TermSlot[]; tfs: number[] } | null = null;
  /** The file the base postings are (or, not loaded yet, will be read) from; null once a merge changed them. */
  private baseFile: string | null = null;
  private baseLoaded = true;
  /** Documents in the base (short ids below this); later ones are in the delta. */
  private baseNextId = 0;

  private constructor() {}

  static create(): KeywordIndex {
    return new KeywordIndex();
  }

  /** Documents (chunks) in the index. */
  get size(): number {
    return this.documentCount;
  }

  has(chunkId: number): boolean {
    return this.chunkMap().has(chunkId);
  }

  add(chunk: Chunk | Pick<Chunk, 'id' | 'text'>, article: Pick<Article, 'kicker' | 'title'>): void {
    const map = this.chunkMap();
    if (map.has(chunk.id)) throw new Error(`keyword index: chunk ${chunk.id} is already in the index`);
    const id = this.nextId++;
    this.grow(this.nextId);
    this.docIds[id] = chunk.id;
    map.set(chunk.id, id);
    const headline = headlineOf(article);
    if (this.lastHeadline?.text !== headline) {
      const terms = countTerms(tokenize(headline));
      this.lastHeadline = { text: headline, slots: terms.map(([t]) => this.slotOf(t)), tfs: terms.map(([, tf]) => tf) };
    }
    // The text's distinct terms with their counts, in first-occurrence order.
    const text: TermSlot[] = [];
    for (const t of tokenize(chunk.text)) {
      const slot = this.slotOf(t);
      if (slot.doc === id) slot.tf++;
      else {
        slot.doc = id;
        slot.tf = 1;
        text.push(slot);
      }
    }
    const h = this.lastHeadline;
    for (const f of FIELD_IDS) {
      const slots = f === 0 ? text : h.slots;
      // MiniSearch's running mean of field lengths (distinct terms), kept for identical scores.
      this.lens[f][id] = slots.length;
      this.avg[f] = (this.avg[f] * this.documentCount + slots.length) / (this.documentCount + 1);
      slots.forEach((slot, i) => {
        const tf = f === 0 ? slot.tf : (h.tfs[i] as number);
        const list = slot.lists[f];
        if (list) list.push(id, tf);
        else this.delta[f].set(slot.term, (slot.lists[f] = [id, tf]));
      });
    }
    this.documentCount++;
    this.version++;
  }

  /** The term's slot (made on first use, with the delta postings it already has). */
  private slotOf(term: string): TermSlot {
    let slot = this.slots.get(term);
    if (!slot) {
      slot = { term, lists: [this.delta[0].get(term), this.delta[1].get(term)], doc: -1, tf: 0 };
      this.slots.set(term, slot);
    }
    return slot;
  }

  /** Empty delta maps (after they were folded into the base); the slots pointing into the old ones go with them. */
  private resetDelta(): void {
    this.delta = [new Map(), new Map()];
    this.slots = new Map();
    this.lastHeadline = null;
  }

  addAll(items: Iterable<{ chunk: Pick<Chunk, 'id' | 'text'>; article: Pick<Article, 'kicker' | 'title'> }>): void {
    for (const { chunk, article } of items) this.add(chunk, article);
  }

  /** Removes a chunk by id (no-op when absent). */
  remove(chunkId: number): void {
    const map = this.chunkMap();
    const id = map.get(chunkId);
    if (id === undefined) return;
    map.delete(chunkId);
    this.docIds[id] = -1;
    for (const f of FIELD_IDS) {
      const len = this.lens[f][id] as number;
      this.avg[f] = this.documentCount === 1 ? 0 : (this.avg[f] * this.documentCount - len) / (this.documentCount - 1);
      this.lens[f][id] = 0;
    }
    this.documentCount--;
    this.dead++;
    this.version++;
  }

  /** Chunks whose text contains `term` (an exact token from `tokenize`). */
  df(term: string): number {
    this.loadBase();
    if (this.dead > 0) return this.postingsOf(term).df;
    const bi = this.baseIndex(term);
    const base = bi >= 0 ? (this.base.postStart[0][bi + 1] as number) - (this.base.postStart[0][bi] as number) : 0;
    return base + (this.delta[0].get(term)?.length ?? 0) / 2;
  }

  /** Best `k` chunks for `query`, best first (MaxScore: the same as scoring every posting; keyword-query.ts). */
  search(query: string, k: number): KeywordHit[] {
    return this.hits(topDocs(this.queryPostings(query), k, this.dead > 0 ? this.docIds : null));
  }

  /** {@link search} scoring every posting of every query term: what the pruned search is checked against (tests, bench). */
  searchExhaustive(query: string, k: number): KeywordHit[] {
    return this.hits(exhaustiveTopDocs(this.queryPostings(query), k, this.dead > 0 ? this.docIds : null));
  }

  private queryPostings(query: string): TermPostings[] {
    return queryTerms(query)
      .map((t) => this.postingsOf(t))
      .filter((t) => t.fields.length > 0);
  }

  private hits(top: [number, number][]): KeywordHit[] {
    return top.map(([id, bm25]) => ({ chunkId: this.docIds[id] as number, bm25 }));
  }

  /** Distinct terms (after a merge: exact; before: base terms plus delta terms, an upper bound). */
  get termCount(): number {
    this.loadBase();
    return this.baseTerms + this.delta[0].size + this.delta[1].size;
  }

  /** Writes the index to `file` (merging first; the caller fsyncs). */
  write(file: string): void {
    const { pre, sections } = this.encode();
    const fd = fs.openSync(file, 'w');
    try {
      fs.writeSync(fd, pre);
      let written = 0;
      for (const v of sections) {
        fs.writeSync(fd, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
        written += v.byteLength;
        const pad = align8(written) - written;
        if (pad) fs.writeSync(fd, Buffer.alloc(pad));
        written += pad;
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The file's bytes in one ArrayBuffer (merging first): what a build worker hands back (transferable). */
  toArrayBuffer(): ArrayBuffer {
    const { pre, sections } = this.encode();
    const size = pre.length + sections.reduce((n, v) => n + align8(v.byteLength), 0);
    const out = new Uint8Array(size);
    out.set(pre, 0);
    let pos = pre.length;
    for (const v of sections) {
      out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), pos);
      pos += align8(v.byteLength);
    }
    return out.buffer;
  }

  /** Reads what {@link write} wrote. */
  static read(file: string): KeywordIndex {
    // Read straight into one ArrayBuffer: the typed-array views below need 8-byte alignment, and a
    // second copy of a file this size would double the bot's peak memory while loading.
    const size = fs.statSync(file).size;
    const all = new ArrayBuffer(size);
    const fd = fs.openSync(file, 'r');
    try {
      for (let off = 0; off < size; ) {
        const n = fs.readSync(fd, new Uint8Array(all, off, Math.min(1 << 26, size - off)), 0, Math.min(1 << 26, size - off), off);
        if (n <= 0) throw new Error(`${file}: short read`);
        off += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    const kw = KeywordIndex.fromArrayBuffer(all, file);
    kw.baseFile = file;
    return kw;
  }

  /**
   * A reader's index: the base file and, when there is one, the delta file a later save wrote beside
   * it (documents added since, removals, statistics: see {@link writeDelta}).
   */
  static readWithDelta(baseFile: string, deltaFile: string | null): KeywordIndex {
    const kw = KeywordIndex.read(baseFile);
    if (deltaFile) kw.applyDelta(KeywordIndex.read(deltaFile));
    return kw;
  }

  /**
   * A writer's index: like {@link readWithDelta}, but the base postings are read only if needed (a
   * search, or a save that merges); adding and removing chunks never needs them.
   */
  static readForUpdate(baseFile: string, deltaFile: string | null): KeywordIndex {
    const kw = deltaFile ? KeywordIndex.read(deltaFile) : KeywordIndex.readSections(baseFile, ['docIds', 'lenText', 'lenHeadline']);
    const out = new KeywordIndex();
    out.baseLoaded = false;
    out.baseFile = baseFile;
    if (deltaFile) out.applyDelta(kw);
    else {
      out.docIds = kw.docIds;
      out.lens = kw.lens;
      out.nextId = kw.nextId;
      out.baseNextId = kw.nextId;
      out.documentCount = kw.documentCount;
      out.avg = kw.avg;
    }
    out.byChunk = null;
    return out;
  }

  /**
   * Whether the next save can write a delta beside the base file instead of a merged index: the base
   * is still that file's, and the delta is small (at most a tenth of the documents, or 1,000).
   */
  get canWriteDelta(): boolean {
    if (this.baseFile === null) return false;
    const changed = this.nextId - this.baseNextId + this.deadInBase();
    return changed <= Math.max(1000, 0.1 * this.baseNextId);
  }

  /** After a save wrote (or linked) this index's base as `file`: later deltas are against it. */
  committed(file: string): void {
    this.baseFile = file;
  }

  /** The base file (see {@link canWriteDelta}). */
  get baseFilePath(): string | null {
    return this.baseFile;
  }

  /**
   * Writes what changed since the base file: every document's id and field lengths, the statistics,
   * and the postings of documents added since, in the keyword.bin layout (the caller fsyncs).
   */
  writeDelta(file: string): void {
    if (this.baseFile === null) throw new Error('keyword index: no base file to write a delta against');
    const delta = new KeywordIndex();
    delta.docIds = this.docIds.subarray(0, this.nextId);
    delta.lens = [this.lens[0].subarray(0, this.nextId), this.lens[1].subarray(0, this.nextId)];
    delta.nextId = this.nextId;
    delta.documentCount = this.documentCount;
    delta.avg = this.avg;
    delta.delta = this.delta;
    delta.deltaHeader = { baseNextId: this.baseNextId };
    // The delta's own "merge" sorts its terms into the base layout; ids stay as they are (no renumbering).
    delta.freezeDeltaOnly();
    delta.write(file);
  }

  /** Reads the bytes {@link write} writes (or {@link toArrayBuffer} returns); `name` is for error messages. */
  static fromArrayBuffer(all: ArrayBuffer, name = 'keyword index'): KeywordIndex {
    const size = all.byteLength;
    const buf = Buffer.from(all);
    if (buf.length < 12 || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${name} is not a keyword index`);
    const version = buf.readUInt32LE(4);
    if (version !== KEYWORD_FORMAT) throw new Error(`keyword index format ${version}, expected ${KEYWORD_FORMAT}`);
    const hlen = buf.readUInt32LE(8);
    const h = JSON.parse(buf.toString('utf8', 12, 12 + hlen)) as {
      documentCount: number;
      nextId: number;
      avg: [number, number];
      terms: number;
      sections: Record<string, [number, number]>;
      delta?: { baseNextId: number };
    };
    const start = align8(12 + hlen);
    const sec = (name: string): [number, number] => {
      const s = h.sections[name];
      if (!s || start + s[0] + s[1] > size) throw new Error(`keyword index: section ${name} is missing or truncated`);
      return [start + s[0], s[1]];
    };
    const i32 = (name: string): Int32Array => {
      const [o, n] = sec(name);
      return new Int32Array(all, o, n / 4);
    };
    const u16 = (name: string): Uint16Array => {
      const [o, n] = sec(name);
      return new Uint16Array(all, o, n / 2);
    };
    const kw = new KeywordIndex();
    const [bo, bn] = sec('termBlob');
    kw.base = {
      termBlob: Buffer.from(all, bo, bn),
      termStarts: i32('termStarts'),
      postStart: [i32('postStart0'), i32('postStart1')],
      ids: [i32('ids0'), i32('ids1')],
      tfs: [u16('tfs0'), u16('tfs1')],
    };
    kw.baseTerms = h.terms;
    kw.docIds = i32('docIds');
    kw.lens = [i32('lenText'), i32('lenHeadline')];
    kw.nextId = h.nextId;
    kw.documentCount = h.documentCount;
    kw.avg = h.avg;
    kw.byChunk = null; // built on first has/add/remove (readers never need it)
    kw.baseNextId = h.nextId;
    kw.deltaHeader = h.delta ?? null;
    if (kw.docIds.length !== kw.nextId || kw.base.termStarts.length !== kw.baseTerms + 1) throw new Error('keyword index: section sizes disagree with the header');
    return kw;
  }

  /**
   * One index holding `parts`' documents in order (part 0's first), as if they had been added to one
   * index one by one: the same short ids, postings, field lengths and running-mean averages, so the
   * same scores. What a build split over worker threads (see keyword-build.ts) joins with.
   */
  static concat(parts: readonly KeywordIndex[]): KeywordIndex {
    const out = new KeywordIndex();
    for (const p of parts) p.merge();
    const terms = mergeTermTables(parts.map((p) => p.base));
    const offsets: number[] = [];
    let total = 0;
    for (const p of parts) {
      offsets.push(total);
      total += p.nextId;
    }
    const fields = FIELD_IDS.map((f) => {
      const cap = parts.reduce((n, p) => n + p.base.ids[f].length, 0);
      const ids = new Int32Array(cap);
      const tfs = new Uint16Array(cap);
      const postStart = new Int32Array(terms.count + 1);
      let pos = 0;
      for (let t = 0; t < terms.count; t++) {
        for (const [k, p] of parts.entries()) {
          const bi = terms.from[k]?.[t] as number;
          if (bi < 0) continue;
          const b = p.base;
          const off = offsets[k] as number;
          for (let i = b.postStart[f][bi] as number, to = b.postStart[f][bi + 1] as number; i < to; i++) {
            ids[pos] = (b.ids[f][i] as number) + off;
            tfs[pos++] = b.tfs[f][i] as number;
          }
        }
        postStart[t + 1] = pos;
      }
      return { ids, tfs, postStart };
    });
    out.base = {
      termBlob: terms.blob,
      termStarts: terms.starts,
      postStart: [fields[0]!.postStart, fields[1]!.postStart],
      ids: [fields[0]!.ids, fields[1]!.ids],
      tfs: [fields[0]!.tfs, fields[1]!.tfs],
    };
    out.baseTerms = terms.count;
    out.docIds = new Int32Array(total);
    out.lens = [new Int32Array(total), new Int32Array(total)];
    for (const [k, p] of parts.entries()) {
      out.docIds.set(p.docIds.subarray(0, p.nextId), offsets[k]);
      for (const f of FIELD_IDS) out.lens[f].set(p.lens[f].subarray(0, p.nextId), offsets[k]);
    }
    out.nextId = total;
    out.documentCount = total;
    // The running mean, replayed in document order: bit for bit what adding one by one computes.
    for (const f of FIELD_IDS) {
      let avg = 0;
      for (let i = 0; i < total; i++) avg = (avg * i + (out.lens[f][i] as number)) / (i + 1);
      out.avg[f] = avg;
    }
    out.byChunk = null;
    return out;
  }

  /** Set on an index that is a delta file's content (see {@link writeDelta}). */
  private deltaHeader: { baseNextId: number } | null = null;

  /** Turns this index's delta maps into its base, ids unchanged (a delta file's postings). */
  private freezeDeltaOnly(): void {
    const terms = [...new Set([...this.delta[0].keys(), ...this.delta[1].keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const bytes = terms.map((t) => Buffer.from(t, 'utf8'));
    const termStarts = new Int32Array(terms.length + 1);
    bytes.forEach((b, i) => {
      termStarts[i + 1] = (termStarts[i] as number) + b.length;
    });
    const fields = FIELD_IDS.map((f) => {
      const postStart = new Int32Array(terms.length + 1);
      let n = 0;
      for (const d of this.delta[f].values()) n += d.length / 2;
      const ids = new Int32Array(n);
      const tfs = new Uint16Array(n);
      let p = 0;
      terms.forEach((t, i) => {
        const d = this.delta[f].get(t) ?? [];
        for (let k = 0; k < d.length; k += 2) {
          ids[p] = d[k] as number;
          tfs[p++] = d[k + 1] as number;
        }
        postStart[i + 1] = p;
      });
      return { postStart, ids, tfs };
    });
    this.base = {
      termBlob: Buffer.concat(bytes),
      termStarts,
      postStart: [fields[0]!.postStart, fields[1]!.postStart],
      ids: [fields[0]!.ids, fields[1]!.ids],
      tfs: [fields[0]!.tfs, fields[1]!.tfs],
    };
    this.baseTerms = terms.length;
    this.resetDelta();
    this.baseFile = null;
  }

  /** Takes a delta file's content (read as an index) onto this base. */
  private applyDelta(d: KeywordIndex): void {
    if (!d.deltaHeader) throw new Error('keyword index: the delta file is not a delta');
    this.docIds = d.docIds;
    this.lens = d.lens;
    this.nextId = d.nextId;
    this.baseNextId = d.deltaHeader.baseNextId;
    this.documentCount = d.documentCount;
    this.avg = d.avg;
    this.resetDelta();
    for (const f of FIELD_IDS) {
      for (let t = 0; t < d.baseTerms; t++) {
        const list: number[] = [];
        for (let k = d.base.postStart[f][t] as number, to = d.base.postStart[f][t + 1] as number; k < to; k++) list.push(d.base.ids[f][k] as number, d.base.tfs[f][k] as number);
        if (list.length) this.delta[f].set(d.termAt(t), list);
      }
    }
    let dead = 0;
    for (let i = 0; i < this.nextId; i++) if ((this.docIds[i] as number) < 0) dead++;
    this.dead = dead;
    this.byChunk = null;
    this.version++;
  }

  /** Removed documents among the base's (what a delta file carries as −1 ids). */
  private deadInBase(): number {
    let dead = 0;
    for (let i = 0; i < this.baseNextId; i++) if ((this.docIds[i] as number) < 0) dead++;
    return dead;
  }

  /** Reads the base postings of a writer's index (see {@link readForUpdate}) on first need. */
  private loadBase(): void {
    if (this.baseLoaded) return;
    this.baseLoaded = true;
    const full = KeywordIndex.read(this.baseFile as string);
    if (full.nextId !== this.baseNextId) throw new Error(`keyword index: ${this.baseFile} holds ${full.nextId} documents, the delta expects ${this.baseNextId}`);
    this.base = full.base;
    this.baseTerms = full.baseTerms;
    this.version++;
  }

  /** Only the header and the named sections of a keyword file (positioned reads), as an index without postings. */
  private static readSections(file: string, names: string[]): KeywordIndex {
    const fd = fs.openSync(file, 'r');
    try {
      const pre = Buffer.alloc(12);
      fs.readSync(fd, pre, 0, 12, 0);
      if (pre.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${file} is not a keyword index`);
      if (pre.readUInt32LE(4) !== KEYWORD_FORMAT) throw new Error(`keyword index format ${pre.readUInt32LE(4)}, expected ${KEYWORD_FORMAT}`);
      const hlen = pre.readUInt32LE(8);
      const hb = Buffer.alloc(hlen);
      fs.readSync(fd, hb, 0, hlen, 12);
      const h = JSON.parse(hb.toString('utf8')) as { documentCount: number; nextId: number; avg: [number, number]; sections: Record<string, [number, number]> };
      const start = align8(12 + hlen);
      const section = (name: string): Int32Array => {
        const [o, n] = h.sections[name] ?? [0, -1];
        if (n < 0) throw new Error(`keyword index: section ${name} is missing`);
        const out = new Int32Array(n / 4);
        if (fs.readSync(fd, new Uint8Array(out.buffer), 0, n, start + o) !== n) throw new Error(`keyword index: section ${name} is truncated`);
        return out;
      };
      const kw = new KeywordIndex();
      const [docIds, lenText, lenHeadline] = names.map(section) as [Int32Array, Int32Array, Int32Array];
      kw.docIds = docIds;
      kw.lens = [lenText, lenHeadline];
      kw.nextId = h.nextId;
      kw.documentCount = h.documentCount;
      kw.avg = h.avg;
      return kw;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The file header and sections (after merging the delta in). */
  private encode(): { pre: Buffer; sections: ArrayBufferView[] } {
    if (!this.deltaHeader) this.merge();
    const b = this.base;
    const sections: [string, ArrayBufferView][] = [
      ['docIds', this.docIds.subarray(0, this.nextId)],
      ['lenText', this.lens[0].subarray(0, this.nextId)],
      ['lenHeadline', this.lens[1].subarray(0, this.nextId)],
      ['termStarts', b.termStarts],
      ['termBlob', b.termBlob],
      ['postStart0', b.postStart[0]],
      ['ids0', b.ids[0]],
      ['tfs0', b.tfs[0]],
      ['postStart1', b.postStart[1]],
      ['ids1', b.ids[1]],
      ['tfs1', b.tfs[1]],
    ];
    const offsets: Record<string, [number, number]> = {};
    let pos = 0;
    for (const [name, v] of sections) {
      offsets[name] = [pos, v.byteLength];
      pos = align8(pos + v.byteLength);
    }
    const header = Buffer.from(
      JSON.stringify({
        documentCount: this.documentCount,
        nextId: this.nextId,
        avg: this.avg,
        terms: this.baseTerms,
        fields: FIELDS,
        sections: offsets,
        ...(this.deltaHeader ? { delta: this.deltaHeader } : {}),
      }),
      'utf8',
    );
    const pre = Buffer.alloc(align8(12 + header.length));
    pre.write(MAGIC, 0, 'latin1');
    pre.writeUInt32LE(KEYWORD_FORMAT, 4);
    pre.writeUInt32LE(header.length, 8);
    header.copy(pre, 12);
    return { pre, sections: sections.map(([, v]) => v) };
  }

  // -------------------------------------------------------------------------------------------

  private chunkMap(): ChunkIds {
    if (!this.byChunk) {
      this.byChunk = new ChunkIds();
      for (let i = 0; i < this.nextId; i++) {
        const c = this.docIds[i] as number;
        if (c >= 0) this.byChunk.set(c, i);
      }
    }
    return this.byChunk;
  }

  private grow(n: number): void {
    if (n <= this.docIds.length) return;
    const cap = Math.max(n, Math.ceil(this.docIds.length * 1.5));
    const ids = new Int32Array(cap).fill(-1);
    ids.set(this.docIds.subarray(0, this.nextId - 1));
    this.docIds = ids;
    this.lens = this.lens.map((l) => {
      const out = new Int32Array(cap);
      out.set(l.subarray(0, Math.min(l.length, cap)));
      return out;
    }) as [Int32Array, Int32Array];
  }

  private termAt(i: number): string {
    return this.base.termBlob.toString('utf8', this.base.termStarts[i], this.base.termStarts[i + 1]);
  }

  /** Index of `term` in the base's sorted term table, or −1. */
  private baseIndex(term: string): number {
    const { index, found } = this.lowerBound(term);
    return found ? index : -1;
  }

  /**
   * A term's postings per field, as the query reads them: the base file's (a view, not a copy) and the
   * delta's, with the field's IDF over live documents and an upper bound on its weights. Kept until
   * the index changes: the same words (`工会`, `职工`) come back in almost every question, and their
   * bounds take one pass over their postings.
   */
  private postingsOf(term: string): TermPostings & { df: number } {
    this.loadBase();
    if (this.termsVersion !== this.version || this.terms.size >= TERM_CACHE_ENTRIES || this.termsDeltaPostings > TERM_CACHE_DELTA_POSTINGS) {
      this.terms.clear();
      this.termsDeltaPostings = 0;
      this.termsVersion = this.version;
    }
    const hit = this.terms.get(term);
    if (hit) return hit;
    const bi = this.baseIndex(term);
    const out: TermPostings & { df: number } = { fields: [], df: 0 };
    for (const f of FIELD_IDS) {
      const runs: PostingRun[] = [];
      if (bi >= 0) {
        const from = this.base.postStart[f][bi] as number;
        const to = this.base.postStart[f][bi + 1] as number;
        if (to > from) runs.push({ ids: this.base.ids[f].subarray(from, to), tfs: this.base.tfs[f].subarray(from, to) });
      }
      const d = this.delta[f].get(term);
      if (d && d.length > 0) {
        const n = d.length / 2;
        const run = { ids: new Int32Array(n), tfs: new Uint16Array(n) };
        for (let i = 0; i < n; i++) {
          run.ids[i] = d[2 * i] as number;
          run.tfs[i] = d[2 * i + 1] as number;
        }
        runs.push(run);
        this.termsDeltaPostings += n;
      }
      const live = this.liveCount(runs);
      if (f === 0) out.df = live;
      if (live === 0) continue;
      out.fields.push(weighField(runs, { lens: this.lens[f], avgLen: this.avg[f] || 1, idf: idfOf(this.documentCount, live), boost: BOOST[f] }));
    }
    this.terms.set(term, out);
    return out;
  }

  /** Live documents among a field's posting runs. */
  private liveCount(runs: readonly PostingRun[]): number {
    let n = 0;
    for (const r of runs) n += r.ids.length;
    if (this.dead === 0 || n === 0) return n;
    let live = 0;
    for (const r of runs) for (let i = 0; i < r.ids.length; i++) if ((this.docIds[r.ids[i] as number] as number) >= 0) live++;
    return live;
  }

  /**
   * Folds the delta into a new base: terms merged in sorted order, dead postings dropped, short ids
   * renumbered in order (ties keep going to the earlier-added chunk).
   */
  private merge(): void {
    this.loadBase();
    if (this.delta[0].size === 0 && this.delta[1].size === 0 && this.dead === 0 && this.docIds.length === this.nextId) return;
    const { remap, live } = this.liveRemap();
    const { deltaTerms, deltaBytes, at } = this.sortedDeltaTerms();
    const b = this.base;
    const { termStarts, blob, postStart, ids, tfs } = this.mergedArrays(deltaTerms.length, deltaBytes.reduce((n, x) => n + x.length, 0));
    const pos = [0, 0];
    let terms = 0;
    let blobPos = 0;
    /** Appends one term: its base postings (index `bi`, or −1) and its delta postings; dropped when none is live. */
    const emit = (bi: number, term: string | null, bytes: Buffer | null): void => {
      const before0 = pos[0] as number;
      const before1 = pos[1] as number;
      for (const f of FIELD_IDS) {
        const oi = ids[f];
        const ot = tfs[f];
        let p = pos[f] as number;
        if (bi >= 0) {
          const bIds = b.ids[f];
          const bTfs = b.tfs[f];
          for (let k = b.postStart[f][bi] as number, to = b.postStart[f][bi + 1] as number; k < to; k++) {
            const id = remap[bIds[k] as number] as number;
            if (id < 0) continue;
            oi[p] = id;
            ot[p++] = bTfs[k] as number;
          }
        }
        const d = term === null ? undefined : this.delta[f].get(term);
        if (d) {
          for (let k = 0; k < d.length; k += 2) {
            const id = remap[d[k] as number] as number;
            if (id < 0) continue;
            oi[p] = id;
            ot[p++] = d[k + 1] as number;
          }
        }
        pos[f] = p;
      }
      if (pos[0] === before0 && pos[1] === before1) return;
      if (bytes) {
        bytes.copy(blob, blobPos);
        blobPos += bytes.length;
      } else {
        b.termBlob.copy(blob, blobPos, b.termStarts[bi] as number, b.termStarts[bi + 1] as number);
        blobPos += (b.termStarts[bi + 1] as number) - (b.termStarts[bi] as number);
      }
      terms++;
      termStarts[terms] = blobPos;
      postStart[0][terms] = pos[0] as number;
      postStart[1][terms] = pos[1] as number;
    };
    let bi = 0;
    for (let j = 0; j < deltaTerms.length; j++) {
      const { index, found } = at[j] as { index: number; found: boolean };
      for (; bi < index; bi++) emit(bi, null, null);
      if (found) {
        emit(bi, deltaTerms[j] as string, null);
        bi++;
      } else emit(-1, deltaTerms[j] as string, deltaBytes[j] as Buffer);
    }
    for (; bi < this.baseTerms; bi++) emit(bi, null, null);
    this.base = {
      termBlob: Buffer.from(blob.subarray(0, blobPos)),
      termStarts: termStarts.slice(0, terms + 1),
      postStart: [postStart[0].slice(0, terms + 1), postStart[1].slice(0, terms + 1)],
      ids: [ids[0].slice(0, pos[0]), ids[1].slice(0, pos[1])],
      tfs: [tfs[0].slice(0, pos[0]), tfs[1].slice(0, pos[1])],
    };
    this.baseTerms = terms;
    this.resetDelta();
    this.renumber(remap, live);
    this.baseNextId = live;
    this.baseFile = null;
    this.dead = 0;
    this.byChunk = null;
    this.version++;
  }

  /** The delta's terms sorted, their UTF-8 bytes, and where each goes among the base terms (its own index, or the insertion point). */
  private sortedDeltaTerms(): { deltaTerms: string[]; deltaBytes: Buffer[]; at: { index: number; found: boolean }[] } {
    const deltaTerms = [...new Set([...this.delta[0].keys(), ...this.delta[1].keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { deltaTerms, deltaBytes: deltaTerms.map((t) => Buffer.from(t, 'utf8')), at: deltaTerms.map((t) => this.lowerBound(t)) };
  }

  /** Room for a merge's output: every base and delta term and posting (dead ones are dropped, so at most). */
  private mergedArrays(deltaTerms: number, deltaBlob: number): Base & { blob: Buffer } {
    const maxTerms = this.baseTerms + deltaTerms;
    const cap = FIELD_IDS.map((f) => {
      let n = this.base.ids[f].length;
      for (const d of this.delta[f].values()) n += d.length / 2;
      return n;
    }) as [number, number];
    return {
      termStarts: new Int32Array(maxTerms + 1),
      termBlob: Buffer.alloc(0),
      blob: Buffer.alloc(this.base.termBlob.length + deltaBlob),
      postStart: [new Int32Array(maxTerms + 1), new Int32Array(maxTerms + 1)],
      ids: [new Int32Array(cap[0]), new Int32Array(cap[1])],
      tfs: [new Uint16Array(cap[0]), new Uint16Array(cap[1])],
    };
  }

  /** Renumbering: live short ids in order → 0..n-1 (−1 for removed ones). */
  private liveRemap(): { remap: Int32Array; live: number } {
    const remap = new Int32Array(this.nextId).fill(-1);
    let live = 0;
    for (let i = 0; i < this.nextId; i++) if ((this.docIds[i] as number) >= 0) remap[i] = live++;
    return { remap, live };
  }

  /** Document ids and field lengths moved to their new short ids (`remap[old]`, −1: dropped). */
  private renumber(remap: Int32Array, live: number): void {
    const docIds = new Int32Array(live);
    const lens: [Int32Array, Int32Array] = [new Int32Array(live), new Int32Array(live)];
    for (let s = 0; s < this.nextId; s++) {
      const t = remap[s] as number;
      if (t < 0) continue;
      docIds[t] = this.docIds[s] as number;
      lens[0][t] = this.lens[0][s] as number;
      lens[1][t] = this.lens[1][s] as number;
    }
    this.docIds = docIds;
    this.lens = lens;
    this.nextId = live;
  }

  /** The first base term ≥ `term`, and whether it is `term`. */
  private lowerBound(term: string): { index: number; found: boolean } {
    let lo = 0;
    let hi = this.baseTerms;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.termAt(mid) < term) lo = mid + 1;
      else hi = mid;
    }
    return { index: lo, found: lo < this.baseTerms && this.termAt(lo) === term };
  }
}

/**
 * The sorted union of several bases' term tables: the union's blob and starts, and per base, for each
 * union term, that base's own term index (−1 when it lacks the term).
 */
function mergeTermTables(bases: readonly Base[]): { count: number; blob: Buffer; starts: Int32Array; from: Int32Array[] } {
  const lists = bases.map((b) => {
    const n = b.termStarts.length - 1;
    const out: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = b.termBlob.toString('utf8', b.termStarts[i], b.termStarts[i + 1]);
    return out;
  });
  const union: number[][] = []; // per union term: [base k, index i] of its first holder
  const from = bases.map(() => [] as number[]);
  const cursor = bases.map(() => 0);
  for (;;) {
    let min: string | null = null;
    for (const [k, list] of lists.entries()) {
      const t = list[cursor[k] as number];
      if (t !== undefined && (min === null || t < min)) min = t;
    }
    if (min === null) break;
    let first: number[] | null = null;
    for (const [k, list] of lists.entries()) {
      const i = cursor[k] as number;
      if (list[i] === min) {
        from[k]!.push(i);
        first ??= [k, i];
        cursor[k] = i + 1;
      } else from[k]!.push(-1);
    }
    union.push(first as number[]);
  }
  const starts = new Int32Array(union.length + 1);
  let size = 0;
  for (const [t, [k, i]] of union.entries()) {
    const b = bases[k as number] as Base;
    size += (b.termStarts[(i as number) + 1] as number) - (b.termStarts[i as number] as number);
    starts[t + 1] = size;
  }
  const blob = Buffer.alloc(size);
  for (const [t, [k, i]] of union.entries()) {
    const b = bases[k as number] as Base;
    b.termBlob.copy(blob, starts[t] as number, b.termStarts[i as number] as number, b.termStarts[(i as number) + 1] as number);
  }
  return { count: union.length, blob, starts, from: from.map((f) => Int32Array.from(f)) };
}

/**
 * Chunk id → short id, for the writer (has/add/remove). Chunk ids are small dense integers (the
 * manifest's counter), so a typed array indexed by chunk id, not a Map: building it for 100k
 * documents is a fill, not 100k hash inserts.
 */
class ChunkIds {
  /** short id + 1 per chunk id; 0: absent. */
  private slots = new Int32Array(64);

  has(chunkId: number): boolean {
    return chunkId >= 0 && chunkId < this.slots.length && this.slots[chunkId] !== 0;
  }

  get(chunkId: number): number | undefined {
    const v = chunkId >= 0 && chunkId < this.slots.length ? (this.slots[chunkId] as number) : 0;
    return v === 0 ? undefined : v - 1;
  }

  set(chunkId: number, shortId: number): void {
    if (!Number.isInteger(chunkId) || chunkId < 0) throw new Error(`keyword index: chunk id ${chunkId} is not a non-negative integer`);
    if (chunkId >= this.slots.length) {
      const grown = new Int32Array(Math.max(chunkId + 1, this.slots.length * 2));
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots[chunkId] = shortId + 1;
  }

  delete(chunkId: number): void {
    if (this.has(chunkId)) this.slots[chunkId] = 0;
  }
}

/** Distinct terms of a token list with their counts, in first-occurrence order. */
function countTerms(tokens: string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return [...m];
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
