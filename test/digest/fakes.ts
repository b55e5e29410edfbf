/**
 * Test doubles for digest code: an in-memory Engine whose topic matching is a substring test, and
 * an API recorder with scripted failures. Used by unit tests and the crash fixture; not by the app.
 */
import { GrammyError } from 'grammy';
import type { Engine, TopicMatch } from '../../src/engine.js';
import type { SearchIndex } from '../../src/store/types.js';
import type { Article } from '../../src/types.js';
import type { DigestApi } from '../../src/digest/deliver.js';

export function fakeArticle(id: string, title: string, text = `${title}。这是正文第一句。`, file = `${id}.txt`): Article {
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
export class FakeEngine implements Pick<Engine, 'index' | 'matchTopic' | 'onIndexChange'> {
  readonly articles = new Map<string, Article>();
  private listeners = new Set<(index: SearchIndex) => void>();
  matchCalls: string[] = [];

  constructor(articles: Article[] = []) {
    for (const a of articles) this.articles.set(a.id, a);
  }

  index(): SearchIndex {
    return { articles: this.articles } as unknown as SearchIndex;
  }

  async matchTopic(topic: string): Promise<TopicMatch[]> {
    this.matchCalls.push(topic);
    return [...this.articles.values()]
      .filter((a) => a.title.includes(topic) || a.text.includes(topic))
      .map((a, i) => ({ article: a, probability: 1 / (i + 1), keySentence: a.text.split('。')[0]! + '。' }));
  }

  onIndexChange(listener: (index: SearchIndex) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds articles and fires onIndexChange, as a new index generation would. */
  add(...articles: Article[]): void {
    for (const a of articles) this.articles.set(a.id, a);
    for (const l of this.listeners) l(this.index());
  }

  asEngine(): Engine {
    return this as unknown as Engine;
  }
}

export interface SentMessage {
  chatId: number;
  text: string;
  messageId: number;
}

/** A Telegram error as grammY throws it. */
export function telegramError(code: number, description: string, retryAfter?: number): GrammyError {
  return new GrammyError(
    `Call to 'sendMessage' failed! (${code}: ${description})`,
    { ok: false, error_code: code, description, ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}) },
    'sendMessage',
    {},
  );
}

/** Records sends; `failNext(chatId, error)` scripts failures per chat (consumed in order). */
export class FakeApi implements DigestApi {
  readonly sent: SentMessage[] = [];
  attempts = 0;
  private nextId = 1;
  private script = new Map<number, (Error | ((chatId: number) => never))[]>();

  failNext(chatId: number, ...errors: Error[]): this {
    this.script.set(chatId, [...(this.script.get(chatId) ?? []), ...errors]);
    return this;
  }

  async sendMessage(chatId: number, text: string): Promise<{ message_id: number }> {
    this.attempts++;
    const queue = this.script.get(chatId);
    const err = queue?.shift();
    if (err) {
      if (typeof err === 'function') err(chatId);
      throw err;
    }
    const messageId = this.nextId++;
    this.sent.push({ chatId, text, messageId });
    return { message_id: messageId };
  }
}
