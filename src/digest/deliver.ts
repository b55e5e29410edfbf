/**
 * One delivery round: find what is new for each subscriber, record the intent, send one digest per
 * chat, record the outcome. The same code serves the scheduler, index changes, `/digest` and the CLI.
 *
 * ## Exactly once per (subscription, article)
 * The `deliveries` table is the ledger, UNIQUE(subscription_id, article_id):
 * 1. **Plan** — in one transaction, new matches are inserted as `pending` with this round's run id
 *    (an existing row of any status means "already handled": never planned again), and this round's
 *    users' leftover `pending` rows (a crashed round never attempted them) and retryable `failed`
 *    rows are adopted.
 * 2. **Per message** — its rows go `pending → sending` (committed) → HTTP `sendMessage` →
 *    `sent` + message_id (committed). Telegram's definite answers move them to `failed` (retried
 *    by later rounds, up to 5 failures), to `blocked` (403: user inactive, never retried), or, for a
 *    429, back to `pending` while waiting `retry_after`.
 * 3. **Recovery** — a round first takes the cross-process `delivery` lease; rows another (dead)
 *    round left in `sending` become `unknown` and are **not** resent.
 *
 * The one ambiguous window is between Telegram accepting `sendMessage` and the `sent` commit
 * (a crash there). We resolve it at-most-once: the user may miss that one message, never gets it
 * twice. A network error (`HttpError`) is treated as "not sent" and retried — the request may
 * rarely have reached Telegram, which is the same window seen from the other side.
 */
import crypto from 'node:crypto';
import { GrammyError } from 'grammy';
import type { Engine, TopicMatch } from '../engine.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Lang } from '../types.js';
import type { NewDelivery, PlannedDelivery, State, UserRecord } from '../state/index.js';
import { composeDigest, type ComposedMessage } from './format.js';
import { digestTranslator, type DigestTranslator } from './i18n.js';
import { toPayload } from './match.js';
import { realClock, sharedBucket, type Clock, type TokenBucket } from './pace.js';

/** The part of grammY's `Api` a round needs (so tests pass a recorder; `bot.api` fits). */
export interface DigestApi {
  sendMessage(
    chatId: number,
    text: string,
    other?: { parse_mode?: 'HTML'; link_preview_options?: { is_disabled?: boolean } },
  ): Promise<{ message_id: number }>;
}

export type DigestReason = 'schedule' | 'index-change' | 'command' | 'cli' | 'resume';

export interface DeliveryRoundOptions {
  engine: Pick<Engine, 'matchTopic' | 'index'>;
  state: State;
  api: DigestApi;
  log: Logger;
  config: Pick<Config, 'BROADCAST_PER_SECOND' | 'DEFAULT_LANG'>;
  /** Only these users (default: every active subscriber). Inactive users are always skipped. */
  userIds?: readonly number[];
  reason: DigestReason;
  /** Defaults: the process-wide bucket for BROADCAST_PER_SECOND, the real clock, locales/*\/digest.ftl. */
  bucket?: TokenBucket;
  clock?: Clock;
  translate?: DigestTranslator;
  /** How long to wait for another process's round to finish (default 60 s). */
  leaseWaitMs?: number;
  /** 429 retries per message before it counts as failed (default 5). */
  max429Retries?: number;
}

export interface DeliveryReport {
  runId: string;
  reason: DigestReason;
  /** One entry per chat that got its digest. */
  sent: { chatId: number; userId: number; articles: string[]; messages: number }[];
  /** Subscribers considered with nothing new. */
  skipped: number;
  failed: { chatId: number; userId: number; articles: string[]; error: string; blocked: boolean }[];
  /** Rows a crashed round left mid-send, now `unknown` (not resent). */
  interrupted: number;
  /** True when another process held the delivery lease for longer than `leaseWaitMs`: nothing was done. */
  busy: boolean;
}

const LEASE = 'delivery';
const LEASE_TTL_MS = 60_000;

/** Rounds of one State run one after another in this process. */
const queues = new WeakMap<State, Promise<unknown>>();

/** Runs one delivery round (serialized with other rounds on the same State). */
export function runDeliveryRound(opts: DeliveryRoundOptions): Promise<DeliveryReport> {
  const prev = queues.get(opts.state) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(() => roundLocked(opts));
  queues.set(opts.state, next.catch(() => undefined));
  return next;
}

/** The effective language of a user's digest. */
export function userLang(u: UserRecord & { languageCode?: string | null }, fallback: Lang): Lang {
  if (u.lang) return u.lang;
  const code = u.languageCode?.toLowerCase() ?? '';
  if (code.startsWith('zh')) return 'zh';
  if (code.startsWith('en')) return 'en';
  return fallback;
}

async function roundLocked(opts: DeliveryRoundOptions): Promise<DeliveryReport> {
  const { state, log, reason } = opts;
  const clock = opts.clock ?? realClock;
  const runId = `${new Date(clock.now()).toISOString().replace(/[-:.]/gu, '')}-${crypto.randomBytes(3).toString('hex')}`;
  const report: DeliveryReport = { runId, reason, sent: [], skipped: 0, failed: [], interrupted: 0, busy: false };

  const deadline = clock.now() + (opts.leaseWaitMs ?? 60_000);
  while (!state.acquireLease(LEASE, runId, LEASE_TTL_MS, { now: clock.now() })) {
    if (clock.now() >= deadline) {
      log.warn({ runId, reason }, 'digest: another delivery round holds the lease; giving up');
      return { ...report, busy: true };
    }
    await clock.sleep(250);
  }
  const renew = (ttl = LEASE_TTL_MS): void => void state.acquireLease(LEASE, runId, ttl, { now: clock.now() });

  try {
    state.startRun(runId, reason);
    report.interrupted = state.resolveInterrupted(runId);
    if (report.interrupted) {
      log.warn({ runId, rows: report.interrupted }, 'digest: rows of a crashed round were mid-send; marked unknown, not resent');
    }

    const users = state.subscribers(opts.userIds);
    const fresh = await findFresh(opts, users);
    const planned = state.planDeliveries(
      runId,
      users.map((u) => u.id),
      fresh,
    );

    const byChat = new Map<number, PlannedDelivery[]>();
    for (const p of planned) byChat.set(p.chatId, [...(byChat.get(p.chatId) ?? []), p]);
    const chattingUsers = new Set(planned.map((p) => p.userId));
    report.skipped = users.filter((u) => !chattingUsers.has(u.id)).length;

    const translate = opts.translate ?? digestTranslator();
    const bucket = opts.bucket ?? sharedBucket(opts.config.BROADCAST_PER_SECOND);
    const userById = new Map(users.map((u) => [u.id, u]));
    const blockedUsers = new Set<number>();

    for (const [chatId, rows] of byChat) {
      const userId = rows[0]!.userId;
      if (blockedUsers.has(userId)) {
        state.markBlocked(
          rows.map((r) => r.id),
          'user blocked the bot',
        );
        continue;
      }
      const user = userById.get(userId);
      const lang = user ? userLang(user, opts.config.DEFAULT_LANG) : opts.config.DEFAULT_LANG;
      const messages = composeDigest((k, v) => translate(lang, k, v), rows);
      const sentArticles: string[] = [];
      let messagesSent = 0;
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i]!;
        const outcome = await sendOne(opts, clock, bucket, renew, chatId, m);
        if (outcome.ok) {
          messagesSent++;
          sentArticles.push(...m.articleIds);
          continue;
        }
        if (outcome.blocked) {
          // 403: this message and the rest of this chat's digest are never retried.
          const rest = messages.slice(i).flatMap((x) => x.deliveryIds);
          state.markBlocked(rest, outcome.error);
          state.setActive(userId, false);
          blockedUsers.add(userId);
          report.failed.push({
            chatId,
            userId,
            articles: messages.slice(i).flatMap((x) => x.articleIds),
            error: outcome.error,
            blocked: true,
          });
          log.info({ runId, chatId, userId }, 'digest: user blocked the bot; marked inactive');
          break;
        }
        report.failed.push({ chatId, userId, articles: m.articleIds, error: outcome.error, blocked: false });
        log.warn({ runId, chatId, error: outcome.error }, 'digest: message failed; will retry next round');
      }
      if (messagesSent) report.sent.push({ chatId, userId, articles: sentArticles, messages: messagesSent });
    }
    state.finishRun(runId, {
      sent: report.sent.length,
      articles: report.sent.reduce((n, s) => n + s.articles.length, 0),
      skipped: report.skipped,
      failed: report.failed.length,
      interrupted: report.interrupted,
    });
    log.info(
      { runId, reason, chats: report.sent.length, failed: report.failed.length, skipped: report.skipped },
      'digest: round finished',
    );
    return report;
  } finally {
    state.releaseLease(LEASE, runId);
  }
}

/** New matches per subscription of these users: first indexed after the subscription, no ledger row yet. */
async function findFresh(opts: DeliveryRoundOptions, users: readonly UserRecord[]): Promise<NewDelivery[]> {
  const { engine, state, log } = opts;
  try {
    state.recordArticles(engine.index().articles.keys());
  } catch (e) {
    log.warn({ err: e }, 'digest: no index loaded');
  }
  const byTopic = new Map<string, Promise<TopicMatch[]>>();
  const fresh: NewDelivery[] = [];
  for (const u of users) {
    for (const sub of state.listSubscriptions({ userId: u.id })) {
      let p = byTopic.get(sub.topicNorm);
      if (!p) {
        p = engine.matchTopic(sub.topic).catch((e: unknown) => {
          log.error({ err: e, topic: sub.topic }, 'digest: matchTopic failed; topic skipped this round');
          return [];
        });
        byTopic.set(sub.topicNorm, p);
      }
      const matches = await p;
      if (!matches.length) continue;
      // Matches from an index generation newer than the one recorded above are new by definition.
      state.recordArticles(matches.map((m) => m.article.id));
      const seqs = state.articleSeqs(matches.map((m) => m.article.id));
      const ledger = state.ledgerArticleIds(sub.id);
      for (const m of matches) {
        const seq = seqs.get(m.article.id) ?? 0;
        if (seq > sub.sinceSeq && !ledger.has(m.article.id)) {
          fresh.push({ subscriptionId: sub.id, articleId: m.article.id, payload: toPayload(m) });
        }
      }
    }
  }
  return fresh;
}

type SendOutcome = { ok: true; messageId: number } | { ok: false; blocked: boolean; error: string };

/** Sends one composed message with the ledger transitions around it; honours 429 retry_after. */
async function sendOne(
  opts: DeliveryRoundOptions,
  clock: Clock,
  bucket: TokenBucket,
  renew: (ttl?: number) => void,
  chatId: number,
  m: ComposedMessage,
): Promise<SendOutcome> {
  const { state, api, log } = opts;
  const max429 = opts.max429Retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    await bucket.take();
    renew();
    state.markSending(m.deliveryIds);
    let messageId: number;
    try {
      const res = await api.sendMessage(chatId, m.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      messageId = res.message_id;
    } catch (e) {
      const c = classify(e);
      if (c.kind === 'retry' && attempt < max429) {
        state.markPending(m.deliveryIds); // Telegram refused it: not ambiguous while we wait
        log.warn({ chatId, retryAfter: c.seconds }, 'digest: 429 from Telegram; waiting retry_after');
        renew(c.seconds * 1000 + LEASE_TTL_MS);
        await clock.sleep(c.seconds * 1000);
        continue;
      }
      if (c.kind === 'blocked') return { ok: false, blocked: true, error: c.error };
      state.markFailed(m.deliveryIds, c.error);
      return { ok: false, blocked: false, error: c.error };
    }
    // ← the only ambiguous window: sent by Telegram, not yet recorded.
    state.markSent(m.deliveryIds, messageId);
    return { ok: true, messageId };
  }
}

type Classified = { kind: 'retry'; seconds: number; error: string } | { kind: 'blocked' | 'failed'; error: string };

function classify(e: unknown): Classified {
  if (e instanceof GrammyError || (typeof e === 'object' && e !== null && typeof (e as GrammyError).error_code === 'number')) {
    const g = e as GrammyError;
    const error = `${g.error_code}: ${g.description}`;
    if (g.error_code === 429) return { kind: 'retry', seconds: Math.max(1, g.parameters?.retry_after ?? 1), error };
    if (g.error_code === 403) return { kind: 'blocked', error };
    return { kind: 'failed', error };
  }
  return { kind: 'failed', error: e instanceof Error ? e.message : String(e) };
}
