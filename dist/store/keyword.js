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
import MiniSearch, {} from 'minisearch';
import { queryTerms, tokenize } from '../text/tokenize.js';
import { headlineOf } from '../types.js';
/** Weight of a headline match relative to a body match. */
export const HEADLINE_BOOST = 1.5;
const identity = (term) => term;
const OPTIONS = {
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
    ms;
    /** Bumped on every add/remove (invalidates {@link fieldLengths}). */
    version = 0;
    lengthCache = null;
    searchBuffers = null;
    compiledTerms = new Map();
    compiledVersion = -1;
    compiledEntries = 0;
    constructor(ms) {
        this.ms = ms;
    }
    static create() {
        return new KeywordIndex(new MiniSearch(OPTIONS));
    }
    /** Parses what {@link toLines} wrote (lines in order). */
    static fromLines(lines) {
        const it = lines[Symbol.iterator]();
        const first = it.next();
        if (first.done)
            throw new Error('keyword index file is empty');
        const h = JSON.parse(first.value);
        if (h.format !== KEYWORD_FORMAT)
            throw new Error(`keyword index format ${String(h.format)}, expected ${KEYWORD_FORMAT}`);
        const ms = new MiniSearch(OPTIONS);
        const m = ms;
        m._documentCount = h.documentCount;
        m._nextId = h.nextId;
        m._fieldIds = h.fieldIds;
        m._avgFieldLength = h.averageFieldLength;
        m._dirtCount = 0;
        const nFields = Object.keys(h.fieldIds).length;
        for (let i = 0, j = 0; i < h.ids.length; i += 2) {
            const shortId = h.ids[i];
            const id = h.ids[i + 1];
            m._documentIds.set(shortId, id);
            m._idToShortId.set(id, shortId);
            m._fieldLength.set(shortId, h.lengths.slice(j, j + nFields));
            j += nFields;
        }
        for (let r = it.next(); !r.done; r = it.next()) {
            const [term, ...fields] = JSON.parse(r.value);
            const data = new Map();
            for (const [fieldId, deltas, tfs] of fields) {
                const postings = new Map();
                let id = 0;
                for (let i = 0; i < deltas.length; i++) {
                    id += deltas[i];
                    postings.set(id, tfs[i]);
                }
                data.set(fieldId, postings);
            }
            m._index.set(term, data);
        }
        return new KeywordIndex(ms);
    }
    get size() {
        return this.ms.documentCount;
    }
    has(chunkId) {
        return this.ms.has(chunkId);
    }
    add(chunk, article) {
        this.ms.add({ id: chunk.id, text: chunk.text, headline: headlineOf(article) });
        this.version++;
    }
    addAll(items) {
        for (const { chunk, article } of items)
            this.add(chunk, article);
    }
    /** Removes a chunk by id (no-op when absent). */
    remove(chunkId) {
        if (!this.ms.has(chunkId))
            return;
        this.ms.discard(chunkId);
        this.version++;
    }
    /**
     * Chunks whose text contains `term` (an exact token from `tokenize`), discarded chunks excluded.
     * Reads MiniSearch's posting map (pinned 7.2.0; covered by keyword.test.ts).
     */
    df(term) {
        const ms = this.internals();
        const textField = ms._fieldIds.text;
        const postings = textField === undefined ? undefined : ms._index.get(term)?.get(textField);
        if (!postings)
            return 0;
        if (ms._dirtCount === 0)
            return postings.size;
        let n = 0;
        for (const shortId of postings.keys())
            if (ms._documentIds.has(shortId))
                n++;
        return n;
    }
    /**
     * Best `k` chunks for `query`, best first. Scores are exactly MiniSearch's (BM25+ per field,
     * headline boosted, times the number of query terms matched), but computed over its posting
     * lists into typed arrays with a top-k heap: MiniSearch's own `search` builds an object per
     * matching document and sorts them all, ~1 s per question at 100k chunks where `工会` is in nearly
     * every chunk; this takes a few milliseconds.
     */
    search(query, k) {
        if (k <= 0)
            return [];
        const ms = this.internals();
        const top = scorePostings(queryTerms(query).map((term) => this.compiled(term)), this.buffers(ms._nextId), k);
        return top.map(([id, score]) => ({ chunkId: ms._documentIds.get(id), score }));
    }
    /** Per-document accumulators, reused across queries (sized to MiniSearch's short ids). */
    buffers(size) {
        if (!this.searchBuffers || this.searchBuffers.scores.length < size)
            this.searchBuffers = searchBuffers(size);
        return this.searchBuffers;
    }
    /**
     * A term's postings as typed arrays with their BM25+ contribution precomputed (per field, headline
     * boosted). Built on first use and kept until the index changes: the same words (`工会`, `职工`)
     * come back in almost every question, and walking a Map of 90k postings costs far more than a
     * Float64Array of them.
     */
    compiled(term) {
        if (this.compiledVersion !== this.version) {
            this.compiledTerms.clear();
            this.compiledEntries = 0;
            this.compiledVersion = this.version;
        }
        const hit = this.compiledTerms.get(term);
        if (hit)
            return hit;
        const ms = this.internals();
        const data = ms._index.get(term);
        const out = [];
        if (data) {
            const clean = ms._dirtCount === 0;
            const lengths = this.fieldLengths();
            for (const [fieldId, boost] of [
                [ms._fieldIds.text, 1],
                [ms._fieldIds.headline, HEADLINE_BOOST],
            ]) {
                if (fieldId === undefined)
                    continue;
                const postings = data.get(fieldId);
                if (!postings)
                    continue;
                const live = clean ? [...postings] : [...postings].filter(([id]) => ms._documentIds.has(id));
                if (live.length === 0)
                    continue;
                const idf = Math.log(1 + (ms._documentCount - live.length + 0.5) / (live.length + 0.5));
                const avg = ms._avgFieldLength[fieldId] ?? 1;
                const fieldLength = lengths[fieldId];
                const ids = new Int32Array(live.length);
                const weights = new Float64Array(live.length);
                live.forEach(([id, tf], i) => {
                    const len = fieldLength[id];
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
    searchReference(query, k) {
        return this.ms
            .search(query)
            .slice(0, Math.max(0, k))
            .map((r) => ({ chunkId: r.id, score: r.score }));
    }
    /** The parts of MiniSearch 7.2.0 (pinned) that {@link search} and {@link df} read. */
    internals() {
        return this.ms;
    }
    /** Field lengths by short id, one typed array per field; rebuilt after the index changed. */
    fieldLengths() {
        if (this.lengthCache && this.lengthCache.version === this.version)
            return this.lengthCache.lengths;
        const m = this.internals();
        const nFields = Object.keys(m._fieldIds).length;
        const lengths = Array.from({ length: nFields }, () => new Float64Array(m._nextId));
        for (const [shortId, len] of m._fieldLength) {
            for (let f = 0; f < nFields; f++)
                lengths[f][shortId] = len[f] ?? 0;
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
    *toLines() {
        const m = this.internals();
        const ids = [];
        const lengths = [];
        const nFields = Object.keys(m._fieldIds).length;
        for (const [shortId, id] of m._documentIds) {
            ids.push(shortId, id);
            const len = m._fieldLength.get(shortId) ?? [];
            for (let f = 0; f < nFields; f++)
                lengths.push(len[f] ?? 0);
        }
        const header = {
            format: KEYWORD_FORMAT,
            documentCount: m._documentCount,
            nextId: m._nextId,
            fieldIds: m._fieldIds,
            averageFieldLength: m._avgFieldLength,
            ids,
            lengths,
        };
        yield `${JSON.stringify(header)}\n`;
        const clean = m._dirtCount === 0;
        for (const [term, data] of m._index) {
            const line = [term];
            for (const [fieldId, postings] of data) {
                const live = clean ? [...postings.keys()] : [...postings.keys()].filter((id) => m._documentIds.has(id));
                if (live.length === 0)
                    continue;
                live.sort((a, b) => a - b);
                const deltas = live.map((id, i) => id - (i > 0 ? live[i - 1] : 0));
                line.push([fieldId, deltas, live.map((id) => postings.get(id))]);
            }
            if (line.length > 1)
                yield `${JSON.stringify(line)}\n`;
        }
    }
}
export function searchBuffers(size) {
    return { scores: new Float64Array(size), matched: new Uint16Array(size), lastTerm: new Uint16Array(size) };
}
/**
 * Sums the query terms' precomputed postings per document, multiplies by the number of terms
 * matched (MiniSearch's OR scoring), keeps the best `k` and leaves the buffers zeroed again.
 * Returns [short id, score] pairs, best first.
 */
export function scorePostings(perTerm, buf, k) {
    const { scores, matched, lastTerm } = buf;
    const touched = [];
    perTerm.forEach((postings, t) => {
        for (const { ids, weights } of postings) {
            for (let i = 0; i < ids.length; i++) {
                const id = ids[i];
                scores[id] = scores[id] + weights[i];
                if (lastTerm[id] !== t + 1) {
                    if (lastTerm[id] === 0)
                        touched.push(id);
                    lastTerm[id] = t + 1;
                    matched[id] = matched[id] + 1;
                }
            }
        }
    });
    const top = topK(touched, (id) => scores[id] * matched[id], k);
    for (const id of touched) {
        scores[id] = 0;
        matched[id] = 0;
        lastTerm[id] = 0;
    }
    return top;
}
/** Version of the keyword.ndjson layout (checked on load). */
export const KEYWORD_FORMAT = 1;
/** MiniSearch's BM25+ parameters (its defaults, which we use). */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** One posting's BM25+ contribution (MiniSearch's formula): term frequency `tf` in a field of length `len`. */
export function bm25Weight(tf, len, avgLen, idf, boost) {
    const { k, b, d } = BM25;
    return boost * idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * len) / avgLen)));
}
/** The `k` items with the highest score, best first (ties: lower item first), via a size-k min-heap. */
export function topK(items, score, k) {
    const heap = [];
    // "a below b" in the min-heap: lower score, or equal score and later item.
    const below = (a, b) => a[1] < b[1] || (a[1] === b[1] && a[0] > b[0]);
    const swap = (i, j) => {
        const t = heap[i];
        heap[i] = heap[j];
        heap[j] = t;
    };
    for (const item of items) {
        const entry = [item, score(item)];
        if (heap.length < k) {
            heap.push(entry);
            for (let i = heap.length - 1; i > 0;) {
                const p = (i - 1) >> 1;
                if (!below(heap[i], heap[p]))
                    break;
                swap(i, p);
                i = p;
            }
        }
        else if (below(heap[0], entry)) {
            heap[0] = entry;
            for (let i = 0;;) {
                const l = 2 * i + 1;
                const r = l + 1;
                let m = i;
                if (l < heap.length && below(heap[l], heap[m]))
                    m = l;
                if (r < heap.length && below(heap[r], heap[m]))
                    m = r;
                if (m === i)
                    break;
                swap(i, m);
                i = m;
            }
        }
    }
    return heap.sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0));
}
//# sourceMappingURL=keyword.js.map