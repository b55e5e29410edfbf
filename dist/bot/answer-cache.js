/**
 * Recent answers by a short random key, so 👍/👎, 原文 (whose article id is too long for callback
 * data) and 更多 buttons can find their answer; and each person's last answer per chat, for
 * follow-ups ("还有吗？"). Kept in the state store (tables `answers`, `answer_votes`,
 * `recent_answers`; answers pruned after a week), so a button press or a follow-up reaches its
 * answer whichever instance sent it and whichever receives it, and survives restarts.
 */
import { randomBytes } from 'node:crypto';
export class AnswerCache {
    state;
    constructor(state) {
        this.state = state;
    }
    /** Stores an answer and returns its key (8 url-safe characters, 48 random bits). */
    async put(a) {
        const key = randomBytes(6).toString('base64url');
        await this.state.putAnswer(key, a);
        return key;
    }
    get(key) {
        return this.state.getAnswer(key);
    }
    /** Replaces what is stored under `key` (e.g. how many 更多 quotes were shown). */
    update(key, a) {
        return this.state.updateAnswer(key, a);
    }
    /** True for this user's first vote on this answer (on any instance). */
    vote(key, userId) {
        return this.state.addAnswerVote(key, userId);
    }
}
/** The last answer each person got in each chat (for follow-ups), in the state store. */
export class RecentAnswers {
    state;
    constructor(state) {
        this.state = state;
    }
    set(chatId, userId, key, now = Date.now()) {
        return this.state.setRecentAnswer(chatId, userId, key, now);
    }
    /** The answer key when the person's last answer here is at most `windowMs` old. */
    get(chatId, userId, windowMs, now = Date.now()) {
        return this.state.recentAnswer(chatId, userId, now - windowMs);
    }
}
/** Cited article ids in citation order. */
export function citedArticleIds(a) {
    const cited = new Set(a.quotes.map((q) => q.source));
    return a.citations.filter((c) => cited.has(c.n)).map((c) => c.articleId);
}
//# sourceMappingURL=answer-cache.js.map