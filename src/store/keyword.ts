/**
 * BM25 keyword index over chunks (MiniSearch, BM25+), with the Chinese-aware tokenizer.
 *
 * Each chunk is one document with two fields: its text, and its article's headline
 * (kicker + title, boosted so headline words help every chunk of the article). Nothing is
 * stored in the index besides postings: chunk text and articles live in the index's own files.
 * Removal uses MiniSearch's `discard` (needs only the id); removed postings are dropped on save.
 *
 * Persisted as NDJSON (`keyword.ndjson`, see {@link KeywordIndex.toLines}): a header line, then one
 * line per term, so a large index never has to fit in one JavaScript string. Searching and
 * persistence read MiniSearch's internal maps directly (version pinned at 7.2.0; the tests compare
 * against MiniSearch's own search), because its generic paths are 10–50× slower at 100k chunks.
 */
import MiniSearch, { type Options } from 'minisearch';
import { queryTerms, tokenize } from '../text/tokenize.js';
import { headlineOf, type Article, type Chunk } from '../types.js';
import type { ScoredChunk } from './types.js';

/** Weight of a headline match relative to a body match. */
export const HEADLINE_BOOST = 1.5;

interface KeywordDoc {
  id: number;
  text: string;
  headline: string;
}

const identity = (term: string): string => term;

const OPTIONS: Options<KeywordDoc> = {
  fields: ['text', 'headline'],
  storeFields: [],
  tokenize: (text) => tokenize(text),
  processTerm: identity,
  autoVacuum: false,
  searchOptions: {
    tokenize: (text) => queryTerms(text),
    processTerm: identity,
    boost: { headline: HEADLINE_BOOST },
    prefix: false,
    fuzzy: false,
    combineWith: 'OR',
  },
};

/** The headline as indexed: `kicker title` (see types.ts). */
export { headlineOf };

/**
 * @example
 * const kw = KeywordIndex.create();
 * kw.add(chunk, article);
 * kw.search('通州区去年新发展了多少工会会员', 5); // → [{ chunkId, score }, ...]
 */
export class KeywordIndex {
  /** Bumped on every add/remove (invalidates {@link fieldLengths}). */
  private version = 0;
  private lengthCache: { version: number; lengths: Float64Array[] } | null = null;
  private searchBuffers: SearchBuffers | null = null;
  private compiledTerms = new Map<string, CompiledPosting[]>();
  private compiledVersion = -1;
  private compiledEntries = 0;

  private constructor(private ms: MiniSearch<KeywordDoc>) {}

  static create(): KeywordIndex {
    return new KeywordIndex(new MiniSearch<KeywordDoc>(OPTIONS));
  }

  /** Parses what {@link toLines} wrote (lines in order). */
  static fromLines(lines: Iterable<string>): KeywordIndex {
    const it = lines[Symbol.iterator]();
    const first = it.next();
    if (first.done) throw new Error('keyword index file is empty');
    const h = JSON.parse(first.value) as KeywordHeader;
    if (h.format !== KEYWORD_FORMAT) throw new Error(`keyword index format ${String(h.format)}, expected ${KEYWORD_FORMAT}`);
    const ms = new MiniSearch<KeywordDoc>(OPTIONS);
    const m = ms as unknown as MiniSearchInternals & {
      _idToShortId: Map<unknown, number>;
      _index: { set(term: string, data: Map<number, Map<number, number>>): void };
    };
    m._documentCount = h.documentCount;
    m._nextId = h.nextId;
    m._fieldIds = h.fieldIds;
    m._avgFieldLength = h.averageFieldLength;
    m._dirtCount = 0;
    const nFields = Object.keys(h.fieldIds).length;
    for (let i = 0, j = 0; i < h.ids.length; i += 2) {
      const shortId = h.ids[i] as number;
      const id = h.ids[i + 1] as number;
      m._documentIds.set(shortId, id);
      m._idToShortId.set(id, shortId);
      m._fieldLength.set(shortId, h.lengths.slice(j, j + nFields));
      j += nFields;
    }
    for (let r = it.next(); !r.done; r = it.next()) {
      const [term, ...fields] = JSON.parse(r.value) as KeywordTermLine;
      const data = new Map<number, Map<number, number>>();
      for (const [fieldId, deltas, tfs] of fields) {
        const postings = new Map<number, number>();
        let id = 0;
        for (let i = 0; i < deltas.length; i++) {
          id += deltas[i] as number;
          postings.set(id, tfs[i] as number);
        }
        data.set(fieldId, postings);
      }
      m._index.set(term, data);
    }
    return new KeywordIndex(ms);
  }

  get size(): number {
    return this.ms.documentCount;
  }

  has(chunkId: number): boolean {
    return this.ms.has(chunkId);
  }

  add(chunk: Chunk, article: Pick<Article, 'kicker' | 'title'>): void {
    this.ms.add({ id: chunk.id, text: chunk.text, headline: headlineOf(article) });
    this.version++;
  }

  addAll(items: Iterable<{ chunk: Chunk; article: Pick<Article, 'kicker' | 'title'> }>): void {
    for (const { chunk, article } of items) this.add(chunk, article);
  }

  /** Removes a chunk by id (no-op when absent). */
  remove(chunkId: number): void {
    if (!this.ms.has(chunkId)) return;
    this.ms.discard(chunkId);
    this.version++;
  }

  /**
   * Chunks whose text contains `term` (an exact token from `tokenize`), discarded chunks excluded.
   * Reads MiniSearch's posting map (pinned 7.2.0; covered by keyword.test.ts).
   */
  df(term: string): number {
    const ms = this.internals();
    const textField = ms._fieldIds.text;
    const postings = textField === undefined ? undefined : ms._index.get(term)?.get(textField);
    if (!postings) return 0;
    if (ms._dirtCount === 0) return postings.size;
    let n = 0;
    for (const shortId of postings.keys()) if (ms._documentIds.has(shortId)) n++;
    return n;
  }

  /**
   * Best `k` chunks for `query`, best first. Scores are exactly MiniSearch's (BM25+ per field,
   * headline boosted, times the number of query terms matched), but computed over its posting
   * lists into typed arrays with a top-k heap: MiniSearch's own `search` builds an object per
   * matching document and sorts them all, ~1 s per question at 100k chunks where `工会` is in nearly
   * every chunk; this takes a few milliseconds.
   */
  search(query: string, k: number): ScoredChunk[] {
    if (k <= 0) return [];
    const ms = this.internals();
    const top = scorePostings(
      queryTerms(query).map((term) => this.compiled(term)),
      this.buffers(ms._nextId),
      k,
    );
    return top.map(([id, score]) => ({ chunkId: ms._documentIds.get(id) as number, score }));
  }

  /** Per-document accumulators, reused across queries (sized to MiniSearch's short ids). */
  private buffers(size: number): SearchBuffers {
    if (!this.searchBuffers || this.searchBuffers.scores.length < size) this.searchBuffers = searchBuffers(size);
    return this.searchBuffers;
  }

  /**
   * A term's postings as typed arrays with their BM25+ contribution precomputed (per field, headline
   * boosted). Built on first use and kept until the index changes: the same words (`工会`, `职工`)
   * come back in almost every question, and walking a Map of 90k postings costs far more than a
   * Float64Array of them.
   */
  private compiled(term: string): CompiledPosting[] {
    if (this.compiledVersion !== this.version) {
      this.compiledTerms.clear();
      this.compiledEntries = 0;
      this.compiledVersion = this.version;
    }
    const hit = this.compiledTerms.get(term);
    if (hit) return hit;
    const ms = this.internals();
    const data = ms._index.get(term);
    const out: CompiledPosting[] = [];
    if (data) {
      const clean = ms._dirtCount === 0;
      const lengths = this.fieldLengths();
      for (const [fieldId, boost] of [
        [ms._fieldIds.text, 1],
        [ms._fieldIds.headline, HEADLINE_BOOST],
      ] as [number | undefined, number][]) {
        if (fieldId === undefined) continue;
        const postings = data.get(fieldId);
        if (!postings) continue;
        const live = clean ? [...postings] : [...postings].filter(([id]) => ms._documentIds.has(id));
        if (live.length === 0) continue;
        const idf = Math.log(1 + (ms._documentCount - live.length + 0.5) / (live.length + 0.5));
        const avg = ms._avgFieldLength[fieldId] ?? 1;
        const fieldLength = lengths[fieldId] as Float64Array;
        const ids = new Int32Array(live.length);
        const weights = new Float64Array(live.length);
        live.forEach(([id, tf], i) => {
          const len = fieldLength[id] as number;
          ids[i] = id;
          weights[i] = bm25Weight(tf, len, avg, idf, boost);
        });
        out.push({ ids, weights });
        this.compiledEntries += live.length;
      }
    }
    // Bound the cache (~12 bytes a posting): past 16M postings start over.
    if (this.compiledEntries > 16_000_000) {
      this.compiledTerms.clear();
      this.compiledEntries = 0;
    }
    this.compiledTerms.set(term, out);
    return out;
  }

  /** MiniSearch's own search (slow on large indexes); kept to check {@link search} against. */
  searchReference(query: string, k: number): ScoredChunk[] {
    return this.ms
      .search(query)
      .slice(0, Math.max(0, k))
      .map((r) => ({ chunkId: r.id as number, score: r.score }));
  }

  /** The parts of MiniSearch 7.2.0 (pinned) that {@link search} and {@link df} read. */
  private internals(): MiniSearchInternals {
    return this.ms as unknown as MiniSearchInternals;
  }

  /** Field lengths by short id, one typed array per field; rebuilt after the index changed. */
  private fieldLengths(): Float64Array[] {
    if (this.lengthCache && this.lengthCache.version === this.version) return this.lengthCache.lengths;
    const m = this.internals();
    const nFields = Object.keys(m._fieldIds).length;
    const lengths = Array.from({ length: nFields }, () => new Float64Array(m._nextId));
    for (const [shortId, len] of m._fieldLength) {
      for (let f = 0; f < nFields; f++) (lengths[f] as Float64Array)[shortId] = len[f] ?? 0;
    }
    this.lengthCache = { version: this.version, lengths };
    return lengths;
  }

  /**
   * Serialized form: a JSON header line (documents and field lengths), then one JSON line per term:
   * `[term, [fieldId, [shortId deltas], [term frequencies]], ...]`. Removed chunks are left out, so the
   * written index is as clean as a vacuumed one. Compact and quick to parse, unlike MiniSearch's
   * toJSON (an object keyed by document id per posting list).
   */
  *toLines(): Generator<string> {
    const m = this.internals();
    const ids: number[] = [];
    const lengths: number[] = [];
    const nFields = Object.keys(m._fieldIds).length;
    for (const [shortId, id] of m._documentIds) {
      ids.push(shortId, id as number);
      const len = m._fieldLength.get(shortId) ?? [];
      for (let f = 0; f < nFields; f++) lengths.push(len[f] ?? 0);
    }
    const header: KeywordHeader = {
      format: KEYWORD_FORMAT,
      documentCount: m._documentCount,
      nextId: m._nextId,
      fieldIds: m._fieldIds as Record<string, number>,
      averageFieldLength: m._avgFieldLength,
      ids,
      lengths,
    };
    yield `${JSON.stringify(header)}\n`;
    const clean = m._dirtCount === 0;
    for (const [term, data] of m._index as unknown as Iterable<[string, Map<number, Map<number, number>>]>) {
      const line: KeywordTermLine = [term];
      for (const [fieldId, postings] of data) {
        const live = clean ? [...postings.keys()] : [...postings.keys()].filter((id) => m._documentIds.has(id));
        if (live.length === 0) continue;
        live.sort((a, b) => a - b);
        const deltas = live.map((id, i) => id - (i > 0 ? (live[i - 1] as number) : 0));
        line.push([fieldId, deltas, live.map((id) => postings.get(id) as number)]);
      }
      if (line.length > 1) yield `${JSON.stringify(line)}\n`;
    }
  }
}

/** Per-document accumulators for one query at a time, indexed by MiniSearch short id. */
export interface SearchBuffers {
  scores: Float64Array;
  matched: Uint16Array;
  lastTerm: Uint16Array;
}

export function searchBuffers(size: number): SearchBuffers {
  return { scores: new Float64Array(size), matched: new Uint16Array(size), lastTerm: new Uint16Array(size) };
}

/**
 * Sums the query terms' precomputed postings per document, multiplies by the number of terms
 * matched (MiniSearch's OR scoring), keeps the best `k` and leaves the buffers zeroed again.
 * Returns [short id, score] pairs, best first.
 */
export function scorePostings(perTerm: readonly (readonly CompiledPosting[])[], buf: SearchBuffers, k: number): [number, number][] {
  const { scores, matched, lastTerm } = buf;
  const touched: number[] = [];
  perTerm.forEach((postings, t) => {
    for (const { ids, weights } of postings) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        scores[id] = (scores[id] as number) + (weights[i] as number);
        if (lastTerm[id] !== t + 1) {
          if (lastTerm[id] === 0) touched.push(id);
          lastTerm[id] = t + 1;
          matched[id] = (matched[id] as number) + 1;
        }
      }
    }
  });
  const top = topK(touched, (id) => (scores[id] as number) * (matched[id] as number), k);
  for (const id of touched) {
    scores[id] = 0;
    matched[id] = 0;
    lastTerm[id] = 0;
  }
  return top;
}

export interface CompiledPosting {
  /** MiniSearch short ids. */
  ids: Int32Array;
  /** BM25+ contribution of the term in this field for each id, boost included. */
  weights: Float64Array;
}

/** Version of the keyword.ndjson layout (checked on load). */
export const KEYWORD_FORMAT = 1;

export interface KeywordHeader {
  format: number;
  documentCount: number;
  nextId: number;
  fieldIds: Record<string, number>;
  averageFieldLength: number[];
  /** Flattened pairs: shortId, chunk id. */
  ids: number[];
  /** Flattened per document (same order as ids): one length per field. */
  lengths: number[];
}

export type KeywordTermLine = [string, ...[number, number[], number[]][]];

/** MiniSearch's BM25+ parameters (its defaults, which we use). */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;

/** One posting's BM25+ contribution (MiniSearch's formula): term frequency `tf` in a field of length `len`. */
export function bm25Weight(tf: number, len: number, avgLen: number, idf: number, boost: number): number {
  const { k, b, d } = BM25;
  return boost * idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * len) / avgLen)));
}

interface MiniSearchInternals {
  _index: { get(term: string): Map<number, Map<number, number>> | undefined };
  _fieldIds: Record<string, number | undefined>;
  _documentIds: Map<number, unknown>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _dirtCount: number;
  _nextId: number;
}

/** The `k` items with the highest score, best first (ties: lower item first), via a size-k min-heap. */
export function topK(items: readonly number[], score: (item: number) => number, k: number): [number, number][] {
  const heap: [number, number][] = [];
  // "a below b" in the min-heap: lower score, or equal score and later item.
  const below = (a: [number, number], b: [number, number]): boolean => a[1] < b[1] || (a[1] === b[1] && a[0] > b[0]);
  const swap = (i: number, j: number): void => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  for (const item of items) {
    const entry: [number, number] = [item, score(item)];
    if (heap.length < k) {
      heap.push(entry);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!below(heap[i]!, heap[p]!)) break;
        swap(i, p);
        i = p;
      }
    } else if (below(heap[0]!, entry)) {
      heap[0] = entry;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && below(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && below(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap.sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0));
}
