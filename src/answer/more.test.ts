import { describe, expect, it } from 'vitest';
import type { Answer, Citation, Quote } from '../types.js';
import { moreSlice } from './more.js';

const cite = (n: number, articleId: string): Citation => ({ n, articleId, file: `${articleId}.txt`, title: `T${articleId}`, kicker: null, byline: null, kind: 'report', probability: 1 });
const quote = (source: number, articleId: string, start: number): Quote => ({ text: `q${articleId}${start}`, source, articleId, start, end: start + 5 });

describe('moreSlice', () => {
  const more: Answer['more'] = {
    quotes: [quote(1, 'a', 50), quote(2, 'b', 0), quote(1, 'a', 10), quote(3, 'c', 0), quote(2, 'b', 30)],
    citations: [cite(1, 'a'), cite(2, 'b'), cite(3, 'c')],
  };
  const answer = { question: 'q', mode: 'keyword' as const, more };

  it('a page is an answer of its own: citations renumbered from 1, quotes of one source in article order', () => {
    const p1 = moreSlice(answer, 0, 3)!;
    expect(p1.quotes.map((q) => [q.source, q.articleId, q.start])).toEqual([[1, 'a', 10], [1, 'a', 50], [2, 'b', 0]]);
    expect(p1.citations.map((c) => [c.n, c.articleId])).toEqual([[1, 'a'], [2, 'b']]);
    const p2 = moreSlice(answer, 3, 3)!;
    expect(p2.citations.map((c) => [c.n, c.articleId])).toEqual([[1, 'c'], [2, 'b']]);
    expect(p2.quotes.map((q) => q.source)).toEqual([1, 2]);
  });

  it('undefined when nothing is left or there never was more', () => {
    expect(moreSlice(answer, 5, 3)).toBeUndefined();
    expect(moreSlice({ question: 'q', mode: 'keyword' }, 0, 3)).toBeUndefined();
  });
});
