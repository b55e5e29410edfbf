/**
 * Test doubles for digest code: an in-memory Engine whose topic matching is a substring test, and
 * an API recorder with scripted failures. Used by unit tests and the crash fixture; not by the app.
 */
import { GrammyError } from 'grammy';
export function fakeArticle(id, title, text = `${title}。这是正文第一句。`, file = `${id}.txt`) {
    return {
        id,
        file,
        position: 0,
        kicker: null,
        title,
        byline: '记者 测试',
        reporters: ['测试'],
        correspondents: [],
        photographers: [],
        kind: 'report',
        paragraphs: [text],
        text,
        hash: id,
    };
}
/** An Engine over a mutable article list; `matchTopic` = every article whose title or text contains the topic. */
export class FakeEngine {
    articles = new Map();
    listeners = new Set();
    matchCalls = [];
    constructor(articles = []) {
        for (const a of articles)
            this.articles.set(a.id, a);
    }
    index() {
        return { articles: this.articles };
    }
    async matchTopic(topic) {
        this.matchCalls.push(topic);
        return [...this.articles.values()]
            .filter((a) => a.title.includes(topic) || a.text.includes(topic))
            .map((a, i) => ({ article: a, score: 1 / (i + 1), keySentence: a.text.split('。')[0] + '。' }));
    }
    onIndexChange(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    /** Adds articles and fires onIndexChange, as a new index generation would. */
    add(...articles) {
        for (const a of articles)
            this.articles.set(a.id, a);
        for (const l of this.listeners)
            l(this.index());
    }
    asEngine() {
        return this;
    }
}
/** A Telegram error as grammY throws it. */
export function telegramError(code, description, retryAfter) {
    return new GrammyError(`Call to 'sendMessage' failed! (${code}: ${description})`, { ok: false, error_code: code, description, ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}) }, 'sendMessage', {});
}
/** Records sends; `failNext(chatId, error)` scripts failures per chat (consumed in order). */
export class FakeApi {
    sent = [];
    attempts = 0;
    nextId = 1;
    script = new Map();
    failNext(chatId, ...errors) {
        this.script.set(chatId, [...(this.script.get(chatId) ?? []), ...errors]);
        return this;
    }
    async sendMessage(chatId, text) {
        this.attempts++;
        const queue = this.script.get(chatId);
        const err = queue?.shift();
        if (err) {
            if (typeof err === 'function')
                err(chatId);
            throw err;
        }
        const messageId = this.nextId++;
        this.sent.push({ chatId, text, messageId });
        return { message_id: messageId };
    }
}
//# sourceMappingURL=fakes.js.map