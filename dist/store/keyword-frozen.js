/**
 * A read-only keyword index for serving (bot, CLIs): the same BM25+ scores as {@link KeywordIndex},
 * built straight from `keyword.ndjson` into typed arrays — each term's postings as chunk short ids and
 * precomputed BM25+ weights — without MiniSearch's nested Maps. At 100k chunks that is ~4× less
 * memory than the Maps and a few milliseconds per question. Writers (the indexer) keep using
 * {@link KeywordIndex}, which can add and remove chunks.
 */
import { queryTerms } from '../text/tokenize.js';
import { bm25Weight, HEADLINE_BOOST, KEYWORD_FORMAT, scorePostings, searchBuffers, } from './keyword.js';
export class FrozenKeywordIndex {
    terms;
    chunkIds;
    size;
    buffers;
    constructor(terms, 
    /** short id → chunk id */
    chunkIds, size) {
        this.terms = terms;
        this.chunkIds = chunkIds;
        this.size = size;
        this.buffers = searchBuffers(chunkIds.length);
    }
    /** Parses what {@link KeywordIndex.toLines} wrote (lines in order). */
    static fromLines(lines) {
        const it = lines[Symbol.iterator]();
        const first = it.next();
        if (first.done)
            throw new Error('keyword index file is empty');
        const h = JSON.parse(first.value);
        if (h.format !== KEYWORD_FORMAT)
            throw new Error(`keyword index format ${String(h.format)}, expected ${KEYWORD_FORMAT}`);
        const nFields = Object.keys(h.fieldIds).length;
        const chunkIds = new Int32Array(h.nextId).fill(-1);
        const lengths = Array.from({ length: nFields }, () => new Float64Array(h.nextId));
        for (let i = 0, j = 0; i < h.ids.length; i += 2, j += nFields) {
            const shortId = h.ids[i];
            chunkIds[shortId] = h.ids[i + 1];
            for (let f = 0; f < nFields; f++)
                lengths[f][shortId] = h.lengths[j + f] ?? 0;
        }
        const textField = h.fieldIds.text;
        const boostOf = (fieldId) => (fieldId === h.fieldIds.headline ? HEADLINE_BOOST : 1);
        const terms = new Map();
        for (let r = it.next(); !r.done; r = it.next()) {
            const [term, ...fields] = JSON.parse(r.value);
            const entry = { df: 0, fields: [] };
            for (const [fieldId, deltas, tfs] of fields) {
                // Saved indexes hold live postings only, so the posting count is the document frequency.
                const n = deltas.length;
                const idf = Math.log(1 + (h.documentCount - n + 0.5) / (n + 0.5));
                const avg = h.averageFieldLength[fieldId] ?? 1;
                const len = lengths[fieldId];
                const boost = boostOf(fieldId);
                const ids = new Int32Array(n);
                const weights = new Float64Array(n);
                let id = 0;
                for (let i = 0; i < n; i++) {
                    id += deltas[i];
                    const tf = tfs[i];
                    ids[i] = id;
                    weights[i] = bm25Weight(tf, len[id], avg, idf, boost);
                }
                entry.fields.push({ ids, weights });
                if (fieldId === textField)
                    entry.df = n;
            }
            terms.set(term, entry);
        }
        return new FrozenKeywordIndex(terms, chunkIds, h.documentCount);
    }
    /** Chunks whose text contains `term` (an exact token from `tokenize`). */
    df(term) {
        return this.terms.get(term)?.df ?? 0;
    }
    /** Best `k` chunks for `query`, best first; the same scores as {@link KeywordIndex.search}. */
    search(query, k) {
        if (k <= 0)
            return [];
        const top = scorePostings(queryTerms(query).map((term) => this.terms.get(term)?.fields ?? []), this.buffers, k);
        return top.map(([id, score]) => ({ chunkId: this.chunkIds[id], score }));
    }
}
//# sourceMappingURL=keyword-frozen.js.map