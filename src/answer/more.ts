/**
 * "更多 / More": the further quotes an answer keeps for a reader who wants them, taken from the
 * candidates the composer already ranked — no new retrieval, no new scoring.
 *
 * A further quote is a ranked sentence at or above the composer's floor (a share of the best
 * sentence's probability) that repeats nothing: it overlaps no shown quote and no earlier further
 * quote, and its text is not one already chosen (a report printed on two pages). Best first, at
 * most {@link MORE_MAX}; citations numbered from 1 in order of first use.
 *
 * Called at one place in compose.ts; the bot shows them a page at a time ({@link moreSlice}).
 */
import { citationOf, type Answer, type Article, type Citation, type Quote } from '../types.js';
import { normalizeForMatch } from '../text/normalize.js';

/** Further quotes kept per answer: three pages of four. */
export const MORE_MAX = 12;

type Span = { articleId: string; start: number; end: number };

const overlaps = (a: Span, b: Span): boolean => a.articleId === b.articleId && a.start < b.end && b.start < a.end;

/** A ranked sentence as the composer shapes it: its article, the span a reader is shown, its probability. */
export interface MoreCandidate {
  article: Article;
  quote: { start: number; end: number };
  probability: number;
}

export function moreQuotes(
  ranked: readonly MoreCandidate[],
  shown: readonly Quote[],
  opts: {
    /** Minimum probability (see the module comment). */
    floor: number;
    max?: number;
    round?: (x: number) => number;
  },
): NonNullable<Answer['more']> {
  const max = opts.max ?? MORE_MAX;
  const taken: Span[] = shown.map((q) => ({ articleId: q.articleId, start: q.start, end: q.end }));
  const texts = new Set(shown.map((q) => normalizeForMatch(q.text)));
  const quotes: Quote[] = [];
  const citations: Citation[] = [];
  const numberOf = new Map<string, number>();
  for (const s of ranked) {
    if (quotes.length >= max) break;
    if (s.probability < opts.floor) break;
    const span = s.quote;
    if (span.end <= span.start) continue;
    const cand = { articleId: s.article.id, ...span };
    if (taken.some((t) => overlaps(t, cand))) continue;
    const text = s.article.text.slice(span.start, span.end);
    const key = normalizeForMatch(text);
    if (texts.has(key)) continue;
    taken.push(cand);
    texts.add(key);
    let n = numberOf.get(s.article.id);
    if (n === undefined) {
      n = citations.length + 1;
      numberOf.set(s.article.id, n);
      citations.push(citationOf(s.article, n, opts.round ? opts.round(s.probability) : s.probability));
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
export function moreSlice(answer: Pick<Answer, 'question' | 'mode' | 'more'>, offset: number, size: number): Answer | undefined {
  const all = answer.more?.quotes ?? [];
  const page = all.slice(offset, offset + size);
  if (page.length === 0) return undefined;
  const byN = new Map((answer.more?.citations ?? []).map((c) => [c.n, c]));
  const renumber = new Map<number, number>();
  const citations: Citation[] = [];
  const quotes = page.map((q) => {
    let n = renumber.get(q.source);
    if (n === undefined) {
      n = citations.length + 1;
      renumber.set(q.source, n);
      const c = byN.get(q.source);
      if (c) citations.push({ ...c, n });
    }
    return { ...q, source: n };
  });
  quotes.sort((a, b) => a.source - b.source || a.start - b.start);
  return { question: answer.question, answered: true, mode: answer.mode, quotes, citations };
}
