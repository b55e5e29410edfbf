/**
 * Recent answers by a short random key, so 👍/👎 (and 原文 buttons whose article id is too long for
 * callback data) can find their answer. In memory, bounded, least-recently-used out first:
 * after a restart old buttons get a polite "too old" instead.
 */
import { randomBytes } from 'node:crypto';
import type { Answer, Citation, Quote, SearchMode } from '../types.js';

export interface CachedAnswer {
  question: string;
  quotes: Quote[];
  citations: Citation[];
  /** Users who already voted on this answer. */
  voters: Set<number>;
  mode?: SearchMode;
  /** Further quotes for "更多" and how many of them were sent already. */
  more?: Answer['more'];
  moreShown?: number;
  /** Who asked (in groups only they get more). */
  askerId?: number;
  /** The answer a 更多 page continues (the question log records votes under it). */
  logKey?: string;
}

export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();

  constructor(private readonly max = 2000) {}

  /** Stores an answer and returns its key (8 url-safe characters). */
  put(a: Omit<CachedAnswer, 'voters'>): string {
    let key: string;
    do key = randomBytes(6).toString('base64url');
    while (this.entries.has(key));
    this.entries.set(key, { ...a, voters: new Set() });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return key;
  }

  get(key: string): CachedAnswer | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
}

/** Cited article ids in citation order. */
export function citedArticleIds(a: Pick<CachedAnswer, 'citations' | 'quotes'>): string[] {
  const cited = new Set(a.quotes.map((q) => q.source));
  return a.citations.filter((c) => cited.has(c.n)).map((c) => c.articleId);
}
