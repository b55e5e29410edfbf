/** Records the state store hands out, shared by both backends. */
import type { Answer, ArticleMeta, Citation, Lang, Quote, SearchMode } from '../types.js';

export interface UserRecord {
  id: number;
  chatId: number;
  lang: Lang | null;
  /** null = the default DIGEST_TIME, 'HH:MM', or 'off'. */
  digestTime: string | null;
  active: boolean;
}

export interface Subscription {
  id: number;
  chatId: number;
  userId: number;
  /** As the user typed it (trimmed). */
  topic: string;
  /** Case/width-folded key that makes duplicates one subscription. */
  topicNorm: string;
  /** Articles first seen with `known_articles.seq > sinceSeq` are new to this subscription. */
  sinceSeq: number;
  createdAt: string;
}

export type AddSubscriptionResult =
  | { status: 'added'; subscription: Subscription }
  | { status: 'exists'; subscription: Subscription }
  | { status: 'limit'; limit: number; count: number };

/**
 * One ledger row's life:
 *   pending  planned, nobody owns it                    -> claimed by any live worker
 *   claimed  a live worker owns it, nothing sent yet    -> its worker died: pending again (no skip)
 *   sending  handed to Telegram, outcome not yet stored -> its worker died: unknown (never resent)
 *   sent     Telegram answered with message_id
 *   unknown  a worker died while sending: treated as delivered (at-most-once)
 *   failed   Telegram refused (not 403) / network error -> retried by later rounds (attempts < 5)
 *   blocked  403: the user blocked the bot; never retried
 */
export type DeliveryStatus = 'pending' | 'claimed' | 'sending' | 'sent' | 'unknown' | 'failed' | 'blocked';

/** What a digest item shows, frozen when the delivery is planned (so a resumed round sends what was planned). */
export interface DeliveryPayload {
  articleId: string;
  file: string;
  kicker: string | null;
  title: string;
  byline: string | null;
  /** Paper, date, page, url (absent for pages without front matter and for rows planned before it existed). */
  meta?: ArticleMeta;
  keySentence: string;
  /** The topic match's probability (see TopicMatch), for ordering within a topic. */
  probability: number;
}

/** A delivery row joined with its subscription, as a round works on it. */
export interface PlannedDelivery {
  id: number;
  subscriptionId: number;
  articleId: string;
  userId: number;
  chatId: number;
  topic: string;
  status: DeliveryStatus;
  attempts: number;
  payload: DeliveryPayload;
}

export interface NewDelivery {
  subscriptionId: number;
  articleId: string;
  payload: DeliveryPayload;
}

export interface StateStats {
  users: number;
  activeUsers: number;
  subscriptions: number;
  deliveries: number;
  feedbackUp: number;
  feedbackDown: number;
}

/** An answer as the 👍/👎 and 原文 buttons need it (kept in the state store, so any instance can serve the button). */
export interface StoredAnswer {
  question: string;
  quotes: Quote[];
  citations: Citation[];
  mode?: SearchMode;
  /** Further quotes for "更多" and how many of them were sent already. */
  more?: Answer['more'];
  moreShown?: number;
  /** Who asked (in groups only they get more). */
  askerId?: number;
  /** The answer a 更多 page continues (the question log records votes under it). */
  logKey?: string;
}

export interface RateDecision {
  allowed: boolean;
  /** True once per window for a limited user: tell them, then stay quiet. */
  notify: boolean;
  /** Seconds until the oldest counted request leaves the window. */
  retryAfter: number;
}

export type Backend = 'sqlite' | 'postgres';
