/**
 * Recent answers by a short random key, so 👍/👎, 原文 (whose article id is too long for callback
 * data) and 更多 buttons can find their answer; and each person's last answer per chat, for
 * follow-ups ("还有吗？"). Kept in the state store (tables `answers`, `answer_votes`,
 * `recent_answers`; answers pruned after a week), so a button press or a follow-up reaches its
 * answer whichever instance sent it and whichever receives it, and survives restarts.
 */
import { randomBytes } from 'node:crypto';
import type { State, StoredAnswer } from '../state/index.js';

export type CachedAnswer = StoredAnswer;

type AnswerStore = Pick<State, 'putAnswer' | 'getAnswer' | 'updateAnswer' | 'addAnswerVote' | 'setRecentAnswer' | 'recentAnswer'>;

export class AnswerCache {
  constructor(private readonly state: AnswerStore) {}

  /** Stores an answer and returns its key (8 url-safe characters, 48 random bits). */
  async put(a: StoredAnswer): Promise<string> {
    const key = randomBytes(6).toString('base64url');
    await this.state.putAnswer(key, a);
    return key;
  }

  get(key: string): Promise<StoredAnswer | undefined> {
    return this.state.getAnswer(key);
  }

  /** Replaces what is stored under `key` (e.g. how many 更多 quotes were shown). */
  update(key: string, a: StoredAnswer): Promise<void> {
    return this.state.updateAnswer(key, a);
  }

  /** True for this user's first vote on this answer (on any instance). */
  vote(key: string, userId: number): Promise<boolean> {
    return this.state.addAnswerVote(key, userId);
  }
}

/** The last answer each person got in each chat (for follow-ups), in the state store. */
export class RecentAnswers {
  constructor(private readonly state: AnswerStore) {}

  set(chatId: number, userId: number, key: string, now = Date.now()): Promise<void> {
    return this.state.setRecentAnswer(chatId, userId, key, now);
  }

  /** The answer key when the person's last answer here is at most `windowMs` old. */
  get(chatId: number, userId: number, windowMs: number, now = Date.now()): Promise<string | undefined> {
    return this.state.recentAnswer(chatId, userId, now - windowMs);
  }
}

/** Cited article ids in citation order. */
export function citedArticleIds(a: Pick<StoredAnswer, 'citations' | 'quotes'>): string[] {
  const cited = new Set(a.quotes.map((q) => q.source));
  return a.citations.filter((c) => cited.has(c.n)).map((c) => c.articleId);
}
