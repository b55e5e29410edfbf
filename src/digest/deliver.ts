/**
 * One delivery round: find what is new for each subscriber, record the intent, send one digest per
 * chat, record the outcome. The same code serves the scheduler, index changes, `/digest` and the CLI,
 * on one instance or many sharing one database.
 *
 * ## Exactly once per (subscription, article), across instances
 * The `deliveries` table is the ledger, UNIQUE(subscription_id, article_id):
 * 1. **Plan** — new matches are inserted as `pending` (`ON CONFLICT DO NOTHING`: an existing row of
 *    any status means "already handled", so two instances planning the same round record each
 *    (subscription, article) once); these users' retryable `failed` rows go back to `pending`.
 * 2. **Claim** — a worker (one round of one instance, alive while it renews its lease
 *    `worker:<runId>`) claims whole chats in one transaction: every `pending` row of up to 10 chats
 *    becomes `claimed` by it (PostgreSQL: per-chat advisory lock + `FOR UPDATE SKIP LOCKED`, so two
 *    workers never take the same chat; SQLite: one writer at a time).
 * 3. **Per message** — its rows go `claimed → sending` (committed) → HTTP `sendMessage` → `sent` +
 *    message_id (committed). Telegram's definite answers move them to `failed` (retried by later
 *    rounds, up to 5 failures), to `blocked` (403: user inactive, never retried), or, for a 429,
 *    back to `claimed` while waiting `retry_after`.
 * 4. **Recovery** — any worker, when it starts and when it runs out of work, looks for rows owned by
 *    dead workers (lease expired, or a dead pid on this host): `claimed` → `pending` (sent by
 *    whoever claims next: no skip), `sending` → `unknown` (**not** resent).
 *
 * The one ambiguous window is between Telegram accepting `sendMessage` and the `sent` commit
 * (a crash there). We resolve it at-most-once: the row becomes `unknown`, the user has that message
 * once or (killed before the request arrived) not at all, never twice. A network error (`HttpError`)
 * is treated as "not sent" and retried (by auto-retry on the Api) — the request may rarely have
 * reached Telegram, which is the same window seen from the other side: there, and only there, a
 * message can arrive twice.
 *
 * Pacing: every send takes a token from a bucket kept in the database (`rate_buckets`), so all
 * instances together stay under BROADCAST_PER_SECOND.
 */
import crypto from 'node:crypto';
import { GrammyError } from 'grammy';
import type { Engine, TopicMatch } from '../engine.js';
import { DEFAULTS, type Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Lang } from '../types.js';
import type { NewDelivery, PlannedDelivery, State, Subscription, UserRecord } from '../state/index.js';
import { composeDigest, toPayload, type ComposedMessage } from './format.js';
import { digestTranslator, type DigestTranslator } from './i18n.js';
import { sharedDbBucket, realClock, type Clock, type Bucket } from './pace.js';
import { workerLease } from '../state/index.js';
import * as metrics from '../metrics.js';

/**
 * The part of grammY's `Api` a round needs (so tests pass a recorder; `bot.api` fits). Digests are
 * HTML: the Api sends HTML by default (`bot.api`, or a script's `new Api` with `htmlByDefault()`
 * from src/bot/html-default.ts installed).
 */
export interface DigestApi {
  sendMessage(chatId: number, text: string, other?: { link_preview_options?: { is_disabled?: boolean } }): Promise<{ message_id: number }>;
}

export type DigestReason = 'schedule' | 'index-change' | 'command' | 'cli' | 'resume';

export interface DeliveryRoundOptions {
  engine: Pick<Engine, 'matchTopic' | 'index'>;
  state: State;
  api: DigestApi;
  log: Logger;
  config: Pick<Config, 'BROADCAST_PER_SECOND' | 'DEFAULT_LANG'> & Partial<Pick<Config, 'DIGEST_WORKER_TTL_MS'>>;
  /** Only these users (default: every active subscriber). Inactive users are always skipped. */
  userIds?: readonly number[];
  reason: DigestReason;
  /** Defaults: the database-wide bucket for BROADCAST_PER_SECOND, the real clock, locales/*\/digest.ftl. */
  bucket?: Bucket;
  clock?: Clock;
  translate?: DigestTranslator;
  /** 429 retries per message before it counts as failed (default 5). */
  max429Retries?: number;
  /** false: send what is already planned (resume), do not look for new matches. Default true. */
  plan?: boolean;
  /** Runs right after planning, before sending (the scheduler claims the day / marks the round done). */
  afterPlan?: () => Promise<void>;
  /** Stop claiming more chats once aborted (SIGTERM); the chat being sent is finished. */
  signal?: AbortSignal;
  /** Called after each chat (tests: kill a worker mid-round). */
  onChatDone?: (chatId: number) => void | Promise<void>;
}

export interface DeliveryReport {
  runId: string;
  reason: DigestReason;
  /** One entry per chat that got its digest. */
  sent: { chatId: number; userId: number; articles: string[]; messages: number }[];
  /** Subscribers considered with nothing new. */
  skipped: number;
  failed: { chatId: number; userId: number; articles: string[]; error: string; blocked: boolean }[];
  /** Rows a dead worker left mid-send, now `unknown` (not resent). */
  interrupted: number;
  /** Rows a dead worker had claimed but not sent, given back and sent by whoever claimed them next. */
  requeued: number;
}

/** Chats claimed per transaction. */
const CLAIM_CHATS = 10;

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
  const runId = `${new Date(clock.now()).toISOString().replace(/[-:.]/gu, '')}-${crypto.randomBytes(4).toString('hex')}`;
  const report: DeliveryReport = { runId, reason, sent: [], skipped: 0, failed: [], interrupted: 0, requeued: 0 };
  const lease = workerLease(runId);
  const worker = await startWorker(opts, clock, report, lease);
  try {
    await state.startRun(runId, reason);
    await worker.recover();

    const users = await state.subscribers(opts.userIds);
    const fresh = opts.plan === false ? [] : await findFresh(opts, users);
    // Also puts retryable failures of these users back in line.
    await state.planDeliveries(runId, opts.userIds ? users.map((u) => u.id) : undefined, fresh);
    await opts.afterPlan?.();

    const chattingUsers = await sendClaimed(opts, clock, report, worker, users);
    report.skipped = users.filter((u) => !chattingUsers.has(u.id)).length;
    await state.finishRun(runId, {
      sent: report.sent.length,
      articles: report.sent.reduce((n, s) => n + s.articles.length, 0),
      skipped: report.skipped,
      failed: report.failed.length,
      interrupted: report.interrupted,
      requeued: report.requeued,
    });
    log.info(
      { runId, reason, chats: report.sent.length, failed: report.failed.length, skipped: report.skipped },
      'digest: round finished',
    );
    return report;
  } finally {
    // Claimed but not sent (aborted, or an error): back to the pool right away.
    await state.releaseClaims(runId).catch(() => undefined);
    await state.releaseLease(lease, runId).catch(() => undefined);
  }
}

interface Worker {
  /** Renews this worker's lease when a sixth of its TTL has passed (or now, for `extraMs` more). */
  renew: (extraMs?: number) => Promise<void>;
  /** Takes dead workers' rows back (claimed → pending, sending → unknown); the number requeued. */
  recover: () => Promise<number>;
}

/** Takes this round's worker lease; the round's id is its owner. */
async function startWorker(opts: DeliveryRoundOptions, clock: Clock, report: DeliveryReport, lease: string): Promise<Worker> {
  const { state, log } = opts;
  const { runId } = report;
  const ttl = opts.config.DIGEST_WORKER_TTL_MS ?? DEFAULTS.DIGEST_WORKER_TTL_MS;
  await state.acquireLease(lease, runId, ttl, { now: clock.now() });
  let renewedAt = clock.now();
  return {
    async renew(extraMs = 0) {
      if (!extraMs && clock.now() - renewedAt < ttl / 6) return;
      renewedAt = clock.now();
      await state.acquireLease(lease, runId, ttl + extraMs, { now: clock.now() });
    },
    async recover() {
      const r = await state.recoverAbandoned({ now: clock.now() });
      report.interrupted += r.unknown;
      report.requeued += r.requeued;
      if (r.unknown) log.warn({ runId, rows: r.unknown }, 'digest: rows of a dead worker were mid-send; marked unknown, not resent');
      if (r.requeued) log.info({ runId, rows: r.requeued }, 'digest: rows a dead worker had claimed are pending again');
      return r.requeued;
    },
  };
}

/** Claims chats and sends each its digest until no work is left (or aborted); the users who were sent to. */
async function sendClaimed(opts: DeliveryRoundOptions, clock: Clock, report: DeliveryReport, worker: Worker, users: readonly UserRecord[]): Promise<Set<number>> {
  const { state } = opts;
  const translate = opts.translate ?? digestTranslator();
  const bucket = opts.bucket ?? sharedDbBucket(state, opts.config.BROADCAST_PER_SECOND, clock);
  const send: SendContext = { clock, bucket, renew: worker.renew, report, lang: opts.config.DEFAULT_LANG, translate };
  const userById = new Map(users.map((u) => [u.id, u]));
  const chattingUsers = new Set<number>();
  const claimFilter = opts.userIds ? { userIds: users.map((u) => u.id) } : {};

  for (let idle = 0; idle < 50 && !opts.signal?.aborted; ) {
    const claimed = await state.claimChats(report.runId, { maxChats: CLAIM_CHATS, ...claimFilter });
    if (!claimed.length) {
      idle++;
      // Rows still pending: another worker's claim transaction had their chats locked. Look again.
      if ((await state.countPending(claimFilter.userIds)) > 0) {
        await clock.sleep(50);
        continue;
      }
      // Out of work: give dead workers' claims back to the pool once, then look again.
      if (!(await worker.recover())) break;
      continue;
    }
    idle = 0;
    const byChat = new Map<number, PlannedDelivery[]>();
    for (const p of claimed) byChat.set(p.chatId, [...(byChat.get(p.chatId) ?? []), p]);
    for (const [chatId, rows] of byChat) {
      if (opts.signal?.aborted) break;
      await worker.renew();
      const userId = rows[0]!.userId;
      chattingUsers.add(userId);
      let user = userById.get(userId);
      if (!user) {
        user = (await state.subscribers([userId]))[0];
        if (user) userById.set(userId, user);
      }
      const lang = user ? userLang(user, opts.config.DEFAULT_LANG) : opts.config.DEFAULT_LANG;
      await sendChat(opts, { ...send, lang }, chatId, userId, rows);
      await opts.onChatDone?.(chatId);
    }
  }
  return chattingUsers;
}

interface SendContext {
  clock: Clock;
  bucket: Bucket;
  renew: (extraMs?: number) => Promise<void>;
  report: DeliveryReport;
  lang: Lang;
  translate: DigestTranslator;
}

/** Sends one chat's claimed rows as one digest (split at 4096 characters). */
async function sendChat(opts: DeliveryRoundOptions, c: SendContext, chatId: number, userId: number, rows: PlannedDelivery[]): Promise<void> {
  const { state, log } = opts;
  const messages = composeDigest((k, v) => c.translate(c.lang, k, v), rows);
  const sentArticles: string[] = [];
  let messagesSent = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const outcome = await sendOne(opts, c, chatId, m);
    metrics.digests.inc({ outcome: outcome.ok ? 'sent' : outcome.blocked ? 'blocked' : outcome.lost ? 'lost' : 'failed' });
    if (outcome.ok) {
      messagesSent++;
      sentArticles.push(...m.articleIds);
      continue;
    }
    if (outcome.lost) break;
    if (outcome.blocked) {
      // 403: this message and the rest of this chat's digest are never retried.
      await state.markBlocked(messages.slice(i).flatMap((x) => x.deliveryIds), outcome.error);
      await state.setActive(userId, false);
      c.report.failed.push({ chatId, userId, articles: messages.slice(i).flatMap((x) => x.articleIds), error: outcome.error, blocked: true });
      log.info({ chatId, userId }, 'digest: user blocked the bot; marked inactive');
      break;
    }
    c.report.failed.push({ chatId, userId, articles: m.articleIds, error: outcome.error, blocked: false });
    log.warn({ chatId, error: outcome.error }, 'digest: message failed; will retry next round');
  }
  if (messagesSent) c.report.sent.push({ chatId, userId, articles: sentArticles, messages: messagesSent });
}

/**
 * New matches per subscription of these users: first indexed after the subscription, no ledger row yet.
 *
 * What a subscription delivers: articles matching its topic that were **first indexed after the
 * subscription was made** and that it has not delivered yet. Articles already in the index when the user subscribes are not
 * delivered: the /subscribe reply previews the 3 best of them at once, and a union member who
 * follows "植树" expects the digest to bring *news*, not a dump of the archive (a broad topic can
 * match dozens of old reports). "First indexed" is tracked by the state's `known_articles` sequence
 * (`subscriptions.since_seq`), not by matching at subscription time, so a later change of the
 * engine's threshold never turns an old report into "news". `/digest` on demand is the same round
 * for one user: it sends what is new and not yet received, or says there is nothing new.
 */
async function findFresh(opts: DeliveryRoundOptions, users: readonly UserRecord[]): Promise<NewDelivery[]> {
  const { engine, state, log } = opts;
  try {
    await state.recordArticles(engine.index().articles.keys());
  } catch (e) {
    log.warn({ err: e }, 'digest: no index loaded');
  }
  const subs = await state.subscriptionsOf(users.map((u) => u.id));
  const byTopic = new Map<string, { topic: string; subs: Subscription[] }>();
  for (const sub of subs) {
    const t = byTopic.get(sub.topicNorm);
    if (t) t.subs.push(sub);
    else byTopic.set(sub.topicNorm, { topic: sub.topic, subs: [sub] });
  }
  const matched: { sub: Subscription; matches: TopicMatch[] }[] = [];
  for (const t of byTopic.values()) {
    const matches = await engine.matchTopic(t.topic).catch((e: unknown) => {
      log.error({ err: e, topic: t.topic }, 'digest: matchTopic failed; topic skipped this round');
      return [] as TopicMatch[];
    });
    if (matches.length) for (const sub of t.subs) matched.push({ sub, matches });
  }
  if (!matched.length) return [];
  // Matches from an index generation newer than the one recorded above are new by definition.
  const ids = [...new Set(matched.flatMap((m) => m.matches.map((x) => x.article.id)))];
  await state.recordArticles(ids);
  const seqs = await state.articleSeqs(ids);
  const ledger = await state.ledgerArticleIds(matched.map((m) => m.sub.id));
  const fresh: NewDelivery[] = [];
  for (const { sub, matches } of matched) {
    const have = ledger.get(sub.id);
    for (const m of matches) {
      if ((seqs.get(m.article.id) ?? 0) > sub.sinceSeq && !have?.has(m.article.id)) {
        fresh.push({ subscriptionId: sub.id, articleId: m.article.id, payload: toPayload(m) });
      }
    }
  }
  return fresh;
}

type SendOutcome = { ok: true; messageId: number } | { ok: false; blocked: boolean; lost?: boolean; error: string };

/** Sends one composed message with the ledger transitions around it; honours 429 retry_after. */
async function sendOne(opts: DeliveryRoundOptions, c: SendContext, chatId: number, m: ComposedMessage): Promise<SendOutcome> {
  const { state, api, log } = opts;
  const max429 = opts.max429Retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    await c.bucket.take();
    await c.renew();
    if (!(await state.markSending(m.deliveryIds, c.report.runId))) {
      log.warn({ chatId }, 'digest: lost the claim on this message (stalled past the worker lease); another worker sends it');
      return { ok: false, blocked: false, lost: true, error: 'claim lost' };
    }
    let messageId: number;
    try {
      const res = await api.sendMessage(chatId, m.text, { link_preview_options: { is_disabled: true } });
      messageId = res.message_id;
    } catch (e) {
      const k = classify(e);
      if (k.kind === 'retry' && attempt < max429) {
        await state.markClaimed(m.deliveryIds); // Telegram refused it: not ambiguous while we wait
        log.warn({ chatId, retryAfter: k.seconds }, 'digest: 429 from Telegram; waiting retry_after');
        await c.renew(k.seconds * 1000);
        await c.clock.sleep(k.seconds * 1000);
        continue;
      }
      if (k.kind === 'blocked') return { ok: false, blocked: true, error: k.error };
      await state.markFailed(m.deliveryIds, k.error);
      return { ok: false, blocked: false, error: k.error };
    }
    // ← the only ambiguous window: sent by Telegram, not yet recorded.
    await state.markSent(m.deliveryIds, messageId);
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
