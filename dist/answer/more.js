/**
 * "更多 / More": the further quotes an answer keeps for a reader who wants them, taken from the
 * candidates the composer already ranked — no new retrieval, no new scoring.
 *
 * A further quote is a sentence that would have been good enough to be cited in a "which …" answer
 * (the same floor: at least half the best sentence's score, and the answer threshold unless the best
 * itself is below it), has what the question's type demands, and repeats nothing: it overlaps no
 * shown quote and no earlier further quote, and its text is not one already chosen (a report printed on
 * two pages). Best first, at most {@link MORE_MAX}; citations numbered from 1 in order of first use.
 *
 * Called at one place in compose.ts; the bot shows them a page at a time ({@link moreSlice}).
 */
import { citationOf } from '../types.js';
import { normalizeForMatch } from '../text/normalize.js';
/** Further quotes kept per answer: three pages of four. */
export const MORE_MAX = 12;
const overlaps = (a, b) => a.articleId === b.articleId && a.start < b.end && b.start < a.end;
export function moreQuotes(ranked, shown, opts) {
    const max = opts.max ?? MORE_MAX;
    const taken = shown.map((q) => ({ articleId: q.articleId, start: q.start, end: q.end }));
    const texts = new Set(shown.map((q) => normalizeForMatch(q.text)));
    const quotes = [];
    const citations = [];
    const numberOf = new Map();
    for (const s of ranked) {
        if (quotes.length >= max)
            break;
        if (s.score < opts.floor || !s.typeOk)
            continue;
        const span = opts.trim(s.article.text, s.start, s.end);
        if (span.end <= span.start)
            continue;
        const cand = { articleId: s.article.id, ...span };
        if (taken.some((t) => overlaps(t, cand)))
            continue;
        const text = s.article.text.slice(span.start, span.end);
        const key = normalizeForMatch(text);
        if (texts.has(key))
            continue;
        taken.push(cand);
        texts.add(key);
        let n = numberOf.get(s.article.id);
        if (n === undefined) {
            n = citations.length + 1;
            numberOf.set(s.article.id, n);
            citations.push(citationOf(s.article, n, opts.round ? opts.round(s.score) : s.score));
        }
        quotes.push({ text, source: n, articleId: s.article.id, start: span.start, end: span.end });
    }
    return { quotes, citations };
}
/**
 * Quotes `[offset, offset + size)` of `more` as an answer of their own, its citations renumbered
 * from 1 (the reader sees [1], [2] … on every page) and quotes of one source in article order.
 * undefined when nothing is left.
 */
export function moreSlice(answer, offset, size) {
    const all = answer.more?.quotes ?? [];
    const page = all.slice(offset, offset + size);
    if (page.length === 0)
        return undefined;
    const byN = new Map((answer.more?.citations ?? []).map((c) => [c.n, c]));
    const renumber = new Map();
    const citations = [];
    const quotes = page.map((q) => {
        let n = renumber.get(q.source);
        if (n === undefined) {
            n = citations.length + 1;
            renumber.set(q.source, n);
            const c = byN.get(q.source);
            if (c)
                citations.push({ ...c, n });
        }
        return { ...q, source: n };
    });
    quotes.sort((a, b) => a.source - b.source || a.start - b.start);
    return { question: answer.question, answered: true, mode: answer.mode, quotes, citations };
}
//# sourceMappingURL=more.js.map