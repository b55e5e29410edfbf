/**
 * Durable bot state behind one async interface, two backends:
 * - **SQLite** (default, nothing to set up): `DATA_DIR/baowen.sqlite` through better-sqlite3, WAL,
 *   foreign keys on, busy_timeout so the bot and the CLI can share the file;
 * - **PostgreSQL** when `DATABASE_URL=postgres://…`: several bot instances share one database.
 *
 * Same tables, same versioned migrations (src/state/migrations.ts), same queries (src/state/db.ts
 * spells the few dialect differences). Users, topic subscriptions, the digest delivery ledger
 * (exactly once per subscription × article, claimed row by row by whichever instance sends it),
 * answer feedback, the answers behind 👍/👎 and 原文, the per-user rate limit and the broadcast
 * token bucket all live here, so any instance can serve any update.
 *
 * ```ts
 * const state = await State.open(config.DATABASE_URL ?? config.dataDir);   // or ':memory:' in tests
 * await state.upsertUser({ id: 42, chatId: 42, languageCode: 'zh-hans' });
 * ```
 */
import os from 'node:os';
import type { Lang } from '../types.js';
import { normalizeForMatch } from '../text/normalize.js';
import { forUpdate, inList, isPostgresUrl, lockKey, openPostgres, openSqlite, splitSchema, type Db, type PgOptions } from './db.js';
import { migrate } from './migrations.js';
import { QuestionLog } from './questions.js';
import type {
  AddSubscriptionResult,
  Backend,
  DeliveryPayload,
  DeliveryStatus,
  NewDelivery,
  PlannedDelivery,
  RateDecision,
  StateStats,
  StoredAnswer,
  Subscription,
  UserRecord,
} from './types.js';

export { MIGRATIONS, migrate, type Migration } from './migrations.js';
export { isPostgresUrl, type Db } from './db.js';
export { normalizeQuestion, QuestionLog, type QuestionReport, type SqlRunner } from './questions.js';

/** The question log on this State's database (either backend), configured from QUESTION_LOG_SECRET / QUESTION_LOG_DAYS. */
export function questionLogFor(state: State, config: { QUESTION_LOG_SECRET?: string | undefined; QUESTION_LOG_DAYS: number }): QuestionLog {
  return new QuestionLog(state.db, { secret: config.QUESTION_LOG_SECRET, retentionDays: config.QUESTION_LOG_DAYS });
}
export type * from './types.js';

/** Failed deliveries are retried by later rounds until they have been attempted this many times. */
export const MAX_DELIVERY_ATTEMPTS = 5;

/** Folds a topic for duplicate detection: NFKC (full→half width), lower case, single spaces. */
export function normalizeTopic(topic: string): string {
  return normalizeForMatch(topic);
}

interface UserRow {
  id: number;
  chat_id: number;
  lang: string | null;
  digest_time: string | null;
  active: number;
}

interface SubRow {
  id: number;
  chat_id: number;
  user_id: number;
  topic: string;
  topic_norm: string;
  since_seq: number;
  created_at: string;
}

interface PlannedRow {
  id: number;
  subscription_id: number;
  article_id: string;
  user_id: number;
  chat_id: number;
  topic: string;
  status: DeliveryStatus;
  attempts: number;
  payload: string;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  chatId: r.chat_id,
  lang: r.lang === 'zh' || r.lang === 'en' ? r.lang : null,
  digestTime: r.digest_time,
  active: r.active === 1,
});

const toSub = (r: SubRow): Subscription => ({
  id: r.id,
  chatId: r.chat_id,
  userId: r.user_id,
  topic: r.topic,
  topicNorm: r.topic_norm,
  sinceSeq: r.since_seq,
  createdAt: r.created_at,
});

const toPlanned = (r: PlannedRow): PlannedDelivery => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  articleId: r.article_id,
  userId: r.user_id,
  chatId: r.chat_id,
  topic: r.topic,
  status: r.status,
  attempts: r.attempts,
  payload: payloadOf(r.payload),
});

/** A frozen payload; rows planned before the field was named `probability` carry it as `score`. */
function payloadOf(json: string): DeliveryPayload {
  const p = JSON.parse(json) as DeliveryPayload & { score?: number };
  if (p.probability === undefined && p.score !== undefined) {
    const { score, ...rest } = p;
    return { ...rest, probability: score };
  }
  return p;
}

const nowIso = (): string => new Date().toISOString();

const PLANNED_SELECT = `
  SELECT d.id, d.subscription_id, d.article_id, s.user_id, s.chat_id, s.topic, d.status, d.attempts, d.payload
  FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id`;

const SUB_COLS = 'id, chat_id, user_id, topic, topic_norm, since_seq, created_at';

/** The lease that keeps a delivery worker's claimed rows its own. */
export const workerLease = (workerId: string): string => `worker:${workerId}`;

export interface LeaseOptions {
  now?: number;
  isAlive?: (pid: number) => boolean;
}

/** Where state lives, for messages and logs: the SQLite file, or the postgres URL without its password. */
export function describeStateTarget(c: { stateTarget: string }): string {
  if (!isPostgresUrl(c.stateTarget)) return `SQLite in ${c.stateTarget}`;
  try {
    const u = new URL(c.stateTarget);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

export class State {
  private constructor(
    /** @internal The SQL connection (tests, migrations). */
    readonly db: Db,
  ) {}

  get backend(): Backend {
    return this.db.dialect;
  }

  /**
   * Opens (creating and migrating) the store: a `postgres://` / `postgresql://` URL selects
   * PostgreSQL; anything else is a data directory for `baowen.sqlite` (`':memory:'` = throwaway).
   */
  static async open(target: string, pgOptions: PgOptions = {}): Promise<State> {
    const db = isPostgresUrl(target) ? openPostgres(target, pgOptions) : openSqlite(target);
    try {
      const schema = pgOptions.schema ?? (isPostgresUrl(target) ? splitSchema(target).schema : undefined);
      if (schema && db.dialect === 'postgres') {
        await db.tx(async (t) => {
          await lockKey(t, 'baowen:migrate');
          await t.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        });
      }
      await migrate(db);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw e;
    }
    return new State(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** A trivial query: throws when the database is unusable (for /healthz). */
  async ping(): Promise<void> {
    await this.db.get('SELECT 1 AS ok');
  }

  // ─── users ──────────────────────────────────────────────────────────────────

  async getUser(userId: number): Promise<UserRecord | undefined> {
    const r = await this.db.get<UserRow>('SELECT id, chat_id, lang, digest_time, active FROM users WHERE id = ?', [userId]);
    return r && toUser(r);
  }

  /** Creates or refreshes a user; a user who talks to the bot again is active again. */
  async upsertUser(u: { id: number; chatId: number; languageCode?: string | undefined }): Promise<UserRecord> {
    const now = nowIso();
    const r = await this.db.get<UserRow>(
      `INSERT INTO users (id, chat_id, language_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id,
         language_code = COALESCE(excluded.language_code, users.language_code),
         active = 1, updated_at = excluded.updated_at
       RETURNING id, chat_id, lang, digest_time, active`,
      [u.id, u.chatId, u.languageCode ?? null, now, now],
    );
    return toUser(r!);
  }

  async setLang(userId: number, lang: Lang): Promise<void> {
    await this.db.run('UPDATE users SET lang = ?, updated_at = ? WHERE id = ?', [lang, nowIso(), userId]);
  }

  /** `null` = back to the default DIGEST_TIME; `'HH:MM'`; `'off'` = no automatic digests. */
  async setDigestTime(userId: number, time: string | null): Promise<void> {
    if (time !== null && time !== 'off' && !/^([01]\d|2[0-3]):[0-5]\d$/u.test(time)) {
      throw new RangeError(`digest time must be HH:MM or 'off', got ${JSON.stringify(time)}`);
    }
    await this.db.run('UPDATE users SET digest_time = ?, updated_at = ? WHERE id = ?', [time, nowIso(), userId]);
  }

  /** Inactive users (bot blocked / account deleted) get no digests until they talk to the bot again. */
  async setActive(userId: number, active: boolean): Promise<void> {
    await this.db.run('UPDATE users SET active = ?, updated_at = ? WHERE id = ?', [active ? 1 : 0, nowIso(), userId]);
  }

  /** Active users with at least one subscription (optionally only these ids). */
  async subscribers(userIds?: readonly number[]): Promise<(UserRecord & { languageCode: string | null })[]> {
    const rows = await this.db.all<UserRow & { language_code: string | null }>(
      `SELECT id, chat_id, lang, digest_time, active, language_code FROM users u
       WHERE active = 1 AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id) ORDER BY id`,
    );
    const want = userIds && new Set(userIds);
    return rows.filter((r) => !want || want.has(r.id)).map((r) => ({ ...toUser(r), languageCode: r.language_code }));
  }

  /**
   * Atomically claims today's scheduled digest for the given users: returns those whose
   * `last_digest_date` was not yet `date` (and sets it). Of several instances claiming at once,
   * each user goes to exactly one.
   */
  async claimDigestDay(userIds: readonly number[], date: string): Promise<number[]> {
    if (!userIds.length) return [];
    const [cond, p] = inList(this.db, 'id', userIds, 'int');
    const rows = await this.db.all<{ id: number }>(
      `UPDATE users SET last_digest_date = ? WHERE ${cond} AND (last_digest_date IS NULL OR last_digest_date <> ?) RETURNING id`,
      [date, p, date],
    );
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  /** Users whose scheduled digest of `date` has not been claimed yet, with their effective digest time. */
  async unclaimedDigestUsers(date: string): Promise<(UserRecord & { lastDigestDate: string | null })[]> {
    const rows = await this.db.all<UserRow & { last_digest_date: string | null }>(
      `SELECT id, chat_id, lang, digest_time, active, last_digest_date FROM users u
       WHERE active = 1 AND (digest_time IS NULL OR digest_time <> 'off')
         AND (last_digest_date IS NULL OR last_digest_date <> ?)
         AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id) ORDER BY id`,
      [date],
    );
    return rows.map((r) => ({ ...toUser(r), lastDigestDate: r.last_digest_date }));
  }

  // ─── feedback, answers, rate limit ──────────────────────────────────────────

  async addFeedback(f: { userId: number; chatId: number; question: string; vote: 1 | -1; articleIds: string[] }): Promise<void> {
    await this.db.run('INSERT INTO feedback (user_id, chat_id, question, vote, article_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      f.userId,
      f.chatId,
      f.question,
      f.vote,
      JSON.stringify(f.articleIds),
      nowIso(),
    ]);
  }

  async stats(): Promise<StateStats> {
    const r = await this.db.get<Record<keyof StateStats, number>>(
      `SELECT (SELECT COUNT(*) FROM users) AS users,
              (SELECT COUNT(*) FROM users WHERE active = 1) AS "activeUsers",
              (SELECT COUNT(*) FROM subscriptions) AS subscriptions,
              (SELECT COUNT(*) FROM deliveries WHERE status = 'sent') AS deliveries,
              (SELECT COUNT(*) FROM feedback WHERE vote = 1) AS "feedbackUp",
              (SELECT COUNT(*) FROM feedback WHERE vote = -1) AS "feedbackDown"`,
    );
    return {
      users: r!.users,
      activeUsers: r!.activeUsers,
      subscriptions: r!.subscriptions,
      deliveries: r!.deliveries,
      feedbackUp: r!.feedbackUp,
      feedbackDown: r!.feedbackDown,
    };
  }

  /** Stores an answer under `key`; answers older than `keepMs` are dropped now and then. */
  async putAnswer(key: string, a: StoredAnswer, opts: { now?: number; keepMs?: number } = {}): Promise<void> {
    const now = opts.now ?? Date.now();
    await this.db.run('INSERT INTO answers (key, payload, created_ms) VALUES (?, ?, ?)', [key, JSON.stringify(a), now]);
    // Cheap, bounded housekeeping (about one insert in fifty).
    if (Math.random() < 0.02) {
      const before = now - (opts.keepMs ?? 7 * 86_400_000);
      await this.db.run('DELETE FROM answers WHERE created_ms < ?', [before]);
      await this.db.run('DELETE FROM recent_answers WHERE at_ms < ?', [before]);
    }
  }

  async updateAnswer(key: string, a: StoredAnswer): Promise<void> {
    await this.db.run('UPDATE answers SET payload = ? WHERE key = ?', [JSON.stringify(a), key]);
  }

  /** Remembers the last answer a person got in a chat (follow-ups like "还有吗？" find it). */
  async setRecentAnswer(chatId: number, userId: number, key: string, now = Date.now()): Promise<void> {
    await this.db.run(
      `INSERT INTO recent_answers (chat_id, user_id, key, at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (chat_id, user_id) DO UPDATE SET key = excluded.key, at_ms = excluded.at_ms`,
      [chatId, userId, key, now],
    );
  }

  /** That person's last answer key in that chat, if given after `sinceMs`. */
  async recentAnswer(chatId: number, userId: number, sinceMs: number): Promise<string | undefined> {
    const r = await this.db.get<{ key: string }>('SELECT key FROM recent_answers WHERE chat_id = ? AND user_id = ? AND at_ms >= ?', [
      chatId,
      userId,
      sinceMs,
    ]);
    return r?.key;
  }

  async getAnswer(key: string): Promise<StoredAnswer | undefined> {
    const r = await this.db.get<{ payload: string }>('SELECT payload FROM answers WHERE key = ?', [key]);
    return r && (JSON.parse(r.payload) as StoredAnswer);
  }

  /** Records that `userId` voted on answer `key`; false when they already had (on any instance). */
  async addAnswerVote(key: string, userId: number): Promise<boolean> {
    return (await this.db.run('INSERT INTO answer_votes (key, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [key, userId])) === 1;
  }

  /** Sliding-window rate limit shared by every instance: at most `limit` hits per `windowMs` per user. */
  async rateHit(userId: number, limit: number, windowMs: number, now = Date.now()): Promise<RateDecision> {
    return this.db.tx(async (t) => {
      await lockKey(t, `baowen:rate:${userId}`);
      await t.run('DELETE FROM rate_hits WHERE user_id = ? AND at_ms <= ?', [userId, now - windowMs]);
      const hits = await t.all<{ at_ms: number }>('SELECT at_ms FROM rate_hits WHERE user_id = ? ORDER BY at_ms', [userId]);
      if (hits.length < limit) {
        await t.run('INSERT INTO rate_hits (user_id, at_ms) VALUES (?, ?)', [userId, now]);
        return { allowed: true, notify: false, retryAfter: 0 };
      }
      const until = hits[0]!.at_ms + windowMs;
      const notice = await t.get<{ until_ms: number }>('SELECT until_ms FROM rate_notices WHERE user_id = ?', [userId]);
      const notify = (notice?.until_ms ?? 0) <= now;
      if (notify) {
        await t.run(
          'INSERT INTO rate_notices (user_id, until_ms) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET until_ms = excluded.until_ms',
          [userId, until],
        );
      }
      return { allowed: false, notify, retryAfter: Math.max(1, Math.ceil((until - now) / 1000)) };
    });
  }

  /**
   * One token of a bucket shared by every process on this database (`ratePerSecond` refill, up to
   * `burst`). Returns 0 when the token was taken, else how many ms to wait before asking again.
   */
  async takeToken(name: string, ratePerSecond: number, burst: number, now = Date.now()): Promise<number> {
    return this.db.tx(async (t) => {
      let row = await t.get<{ tokens: number; updated_ms: number }>(`SELECT tokens, updated_ms FROM rate_buckets WHERE name = ?${forUpdate(t)}`, [name]);
      if (!row) {
        await t.run('INSERT INTO rate_buckets (name, tokens, updated_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [name, burst, now]);
        row = await t.get(`SELECT tokens, updated_ms FROM rate_buckets WHERE name = ?${forUpdate(t)}`, [name]);
      }
      const elapsed = Math.max(0, now - row!.updated_ms);
      const tokens = Math.min(burst, row!.tokens + (elapsed / 1000) * ratePerSecond);
      if (tokens >= 1) {
        await t.run('UPDATE rate_buckets SET tokens = ?, updated_ms = ? WHERE name = ?', [tokens - 1, Math.max(now, row!.updated_ms), name]);
        return 0;
      }
      return Math.max(1, Math.ceil(((1 - tokens) / ratePerSecond) * 1000));
    });
  }

  // ─── known articles ─────────────────────────────────────────────────────────

  /** Records article ids seen in the index (first sight gets the next sequence number). */
  async recordArticles(articleIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(articleIds)];
    if (!ids.length) return;
    const now = nowIso();
    if (this.db.dialect === 'postgres') {
      // Sorted, so two instances recording the same generation take row locks in the same order.
      await this.db.run(
        'INSERT INTO known_articles (article_id, first_seen_at) SELECT a, ? FROM unnest(?::text[]) AS a ORDER BY a ON CONFLICT DO NOTHING',
        [now, ids.sort()],
      );
      return;
    }
    await this.db.tx(async (t) => {
      await t.run('INSERT INTO known_articles (article_id, first_seen_at) SELECT value, ? FROM json_each(?) WHERE 1 ON CONFLICT DO NOTHING', [
        now,
        JSON.stringify(ids),
      ]);
    });
  }

  /** Sequence numbers of known articles (unknown ids are absent). */
  async articleSeqs(articleIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!articleIds.length) return out;
    const [cond, p] = inList(this.db, 'article_id', [...new Set(articleIds)], 'text');
    for (const r of await this.db.all<{ article_id: string; seq: number }>(`SELECT article_id, seq FROM known_articles WHERE ${cond}`, [p])) {
      out.set(r.article_id, r.seq);
    }
    return out;
  }

  // ─── subscriptions ──────────────────────────────────────────────────────────

  /**
   * Subscribes a chat to a topic. Duplicates (same chat, same folded topic) merge into the existing one.
   * `currentArticleIds` (the index at subscription time) are recorded first, so none of them counts as new.
   */
  async addSubscription(s: {
    userId: number;
    chatId: number;
    topic: string;
    limit: number;
    currentArticleIds: Iterable<string>;
  }): Promise<AddSubscriptionResult> {
    const topic = s.topic.trim();
    const topicNorm = normalizeTopic(topic);
    await this.recordArticles(s.currentArticleIds);
    return this.db.tx(async (t): Promise<AddSubscriptionResult> => {
      await lockKey(t, `baowen:subs:${s.userId}`);
      const existing = await t.get<SubRow>(`SELECT ${SUB_COLS} FROM subscriptions WHERE chat_id = ? AND topic_norm = ?`, [s.chatId, topicNorm]);
      if (existing) return { status: 'exists', subscription: toSub(existing) };
      const count = (await t.get<{ n: number }>('SELECT COUNT(*) AS n FROM subscriptions WHERE user_id = ?', [s.userId]))?.n ?? 0;
      if (count >= s.limit) return { status: 'limit', limit: s.limit, count };
      const since = (await t.get<{ m: number | null }>('SELECT MAX(seq) AS m FROM known_articles'))?.m ?? 0;
      const row = await t.get<SubRow>(
        `INSERT INTO subscriptions (chat_id, user_id, topic, topic_norm, since_seq, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING RETURNING ${SUB_COLS}`,
        [s.chatId, s.userId, topic, topicNorm, since, nowIso()],
      );
      if (!row) {
        // Another user of this (group) chat subscribed it at the same moment.
        const other = await t.get<SubRow>(`SELECT ${SUB_COLS} FROM subscriptions WHERE chat_id = ? AND topic_norm = ?`, [s.chatId, topicNorm]);
        return { status: 'exists', subscription: toSub(other!) };
      }
      return { status: 'added', subscription: toSub(row) };
    });
  }

  async getSubscription(id: number): Promise<Subscription | undefined> {
    const r = await this.db.get<SubRow>(`SELECT ${SUB_COLS} FROM subscriptions WHERE id = ?`, [id]);
    return r && toSub(r);
  }

  /** Subscriptions of a chat and/or user, oldest first. */
  async listSubscriptions(filter: { chatId?: number; userId?: number }): Promise<Subscription[]> {
    const where: string[] = [];
    const args: number[] = [];
    if (filter.chatId !== undefined) (where.push('chat_id = ?'), args.push(filter.chatId));
    if (filter.userId !== undefined) (where.push('user_id = ?'), args.push(filter.userId));
    const rows = await this.db.all<SubRow>(
      `SELECT ${SUB_COLS} FROM subscriptions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
      args,
    );
    return rows.map(toSub);
  }

  /** Subscriptions of many users at once (a round's planning), oldest first. */
  async subscriptionsOf(userIds: readonly number[]): Promise<Subscription[]> {
    if (!userIds.length) return [];
    const [cond, p] = inList(this.db, 'user_id', userIds, 'int');
    return (await this.db.all<SubRow>(`SELECT ${SUB_COLS} FROM subscriptions WHERE ${cond} ORDER BY id`, [p])).map(toSub);
  }

  /** Removes a subscription of this chat (by id); its delivery history goes with it. */
  async removeSubscription(chatId: number, subscriptionId: number): Promise<Subscription | undefined> {
    const r = await this.db.get<SubRow>(`DELETE FROM subscriptions WHERE id = ? AND chat_id = ? RETURNING ${SUB_COLS}`, [subscriptionId, chatId]);
    return r && toSub(r);
  }

  /** Removes a subscription of this chat by topic (case/width-insensitive). */
  async removeSubscriptionByTopic(chatId: number, topic: string): Promise<Subscription | undefined> {
    const r = await this.db.get<SubRow>(`DELETE FROM subscriptions WHERE chat_id = ? AND topic_norm = ? RETURNING ${SUB_COLS}`, [
      chatId,
      normalizeTopic(topic.trim()),
    ]);
    return r && toSub(r);
  }

  /** Article ids each of these subscriptions already has a ledger row for (in any status). */
  async ledgerArticleIds(subscriptionIds: readonly number[]): Promise<Map<number, Set<string>>> {
    const out = new Map<number, Set<string>>(subscriptionIds.map((id) => [id, new Set()]));
    if (!subscriptionIds.length) return out;
    const [cond, p] = inList(this.db, 'subscription_id', subscriptionIds, 'int');
    for (const r of await this.db.all<{ subscription_id: number; article_id: string }>(
      `SELECT subscription_id, article_id FROM deliveries WHERE ${cond}`,
      [p],
    )) {
      out.get(r.subscription_id)?.add(r.article_id);
    }
    return out;
  }

  // ─── leases and rounds ──────────────────────────────────────────────────────

  /**
   * Takes (or renews) a named lease. Succeeds when free, expired, already ours, or held by a
   * process on this host that no longer exists (`isAlive(pid)` false). Safe across instances:
   * of several takers at once, one wins.
   */
  async acquireLease(name: string, owner: string, ttlMs: number, opts: LeaseOptions = {}): Promise<boolean> {
    const now = opts.now ?? Date.now();
    const ok = await this.db.tx(async (t) => {
      const cur = await t.get<{ owner: string; pid: number; host: string; expires_at: number }>(
        `SELECT owner, pid, host, expires_at FROM leases WHERE name = ?${forUpdate(t)}`,
        [name],
      );
      if (!cur) {
        return (
          (await t.run('INSERT INTO leases (name, owner, pid, host, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
            name,
            owner,
            process.pid,
            HOST,
            now + ttlMs,
          ])) === 1
        );
      }
      if (cur.owner !== owner && leaseLive(cur, now, opts.isAlive)) return false;
      await t.run('UPDATE leases SET owner = ?, pid = ?, host = ?, expires_at = ? WHERE name = ?', [owner, process.pid, HOST, now + ttlMs, name]);
      return true;
    });
    if (ok) heldLeases.add(owner);
    return ok;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    heldLeases.delete(owner);
    await this.db.run('DELETE FROM leases WHERE name = ? AND owner = ?', [name, owner]);
  }

  async startRun(runId: string, reason: string): Promise<void> {
    await this.db.run('INSERT INTO digest_runs (id, reason, pid, started_at) VALUES (?, ?, ?, ?)', [runId, reason, process.pid, nowIso()]);
  }

  async finishRun(runId: string, summary: unknown): Promise<void> {
    await this.db.run('UPDATE digest_runs SET finished_at = ?, summary = ? WHERE id = ?', [nowIso(), JSON.stringify(summary), runId]);
  }

  /** Marks a once-only round (e.g. `index:<generation>`) as done; false when it already was. */
  async markRoundDone(key: string): Promise<boolean> {
    return (await this.db.run('INSERT INTO round_marks (key, done_at) VALUES (?, ?) ON CONFLICT DO NOTHING', [key, nowIso()])) === 1;
  }

  async isRoundDone(key: string): Promise<boolean> {
    return !!(await this.db.get('SELECT 1 AS x FROM round_marks WHERE key = ?', [key]));
  }

  /**
   * Rows owned by workers that are gone (lease expired or released, or a dead pid on this host):
   * `claimed` rows go back to `pending` (nothing was sent: no skip), `sending` rows become `unknown`
   * (they may have reached the user: never resent, at-most-once). Any instance may call this at any time.
   */
  async recoverAbandoned(opts: LeaseOptions = {}): Promise<{ requeued: number; unknown: number }> {
    const now = opts.now ?? Date.now();
    const owners = await this.db.all<{ run_id: string; owner: string | null; pid: number | null; host: string | null; expires_at: number | null }>(
      `SELECT d.run_id, l.owner, l.pid, l.host, l.expires_at FROM
         (SELECT DISTINCT run_id FROM deliveries WHERE status IN ('claimed', 'sending')) d
         LEFT JOIN leases l ON l.name = 'worker:' || d.run_id`,
    );
    const dead = owners
      .filter((o) => o.owner === null || !leaseLive({ owner: o.owner, pid: o.pid!, host: o.host!, expires_at: o.expires_at! }, now, opts.isAlive))
      .map((o) => o.run_id);
    if (!dead.length) return { requeued: 0, unknown: 0 };
    return this.db.tx(async (t) => {
      const [cond, p] = inList(t, 'run_id', dead, 'text');
      const requeued = await t.run(`UPDATE deliveries SET status = 'pending' WHERE status = 'claimed' AND ${cond}`, [p]);
      const unknown = await t.run(`UPDATE deliveries SET status = 'unknown', error = 'interrupted while sending' WHERE status = 'sending' AND ${cond}`, [p]);
      const [lcond, lp] = inList(t, 'name', dead.map(workerLease), 'text');
      await t.run(`DELETE FROM leases WHERE ${lcond} AND expires_at <= ?`, [lp, now]);
      return { requeued, unknown };
    });
  }

  /** How many `pending` rows of active users (optionally of these users' subscriptions) wait to be claimed. */
  async countPending(userIds?: readonly number[]): Promise<number> {
    const who = userIds ? inList(this.db, 's.user_id', userIds, 'int') : null;
    const r = await this.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN users u ON u.id = s.user_id
       WHERE d.status = 'pending' AND u.active = 1${who ? ` AND ${who[0]}` : ''}`,
      who ? [who[1]] : [],
    );
    return r?.n ?? 0;
  }

  /** True when rows wait to be sent (never attempted, abandoned, or retryable failures). */
  async hasUnsent(): Promise<boolean> {
    return !!(await this.db.get(
      `SELECT 1 AS x FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN users u ON u.id = s.user_id
       WHERE u.active = 1 AND (d.status IN ('pending', 'claimed', 'sending') OR (d.status = 'failed' AND d.attempts < ?)) LIMIT 1`,
      [MAX_DELIVERY_ATTEMPTS],
    ));
  }

  /**
   * Records `fresh` rows as `pending` (a (subscription, article) that already has a row of any
   * status is left alone: the unique key makes planning idempotent, whichever instance plans), and
   * puts these users' retryable `failed` rows back to `pending` (`userIds` undefined = everyone).
   * Returns how many new rows were recorded.
   */
  async planDeliveries(runId: string, userIds: readonly number[] | undefined, fresh: readonly NewDelivery[]): Promise<number> {
    const now = nowIso();
    return this.db.tx(async (t) => {
      let added = 0;
      const sorted = [...fresh].sort((a, b) => a.subscriptionId - b.subscriptionId || (a.articleId < b.articleId ? -1 : 1));
      for (let i = 0; i < sorted.length; i += 500) {
        const part = sorted.slice(i, i + 500);
        added += await t.run(
          `INSERT INTO deliveries (subscription_id, article_id, status, run_id, payload, created_at)
           VALUES ${part.map(() => "(?, ?, 'pending', ?, ?, ?)").join(', ')} ON CONFLICT DO NOTHING`,
          part.flatMap((d) => [d.subscriptionId, d.articleId, runId, JSON.stringify(d.payload), now]),
        );
      }
      const who = userIds ? inList(t, 'user_id', userIds, 'int') : (['1 = 1', null] as const);
      await t.run(
        `UPDATE deliveries SET status = 'pending'
         WHERE status = 'failed' AND attempts < ? AND subscription_id IN (SELECT id FROM subscriptions WHERE ${who[0]})`,
        userIds ? [MAX_DELIVERY_ATTEMPTS, who[1]] : [MAX_DELIVERY_ATTEMPTS],
      );
      return added;
    });
  }

  /**
   * Claims every `pending` row of up to `maxChats` chats for `workerId` (they become `claimed`),
   * oldest first, optionally only chats of these users' subscriptions. A chat's rows go to one
   * worker (PostgreSQL: per-chat advisory lock + `FOR UPDATE SKIP LOCKED`; SQLite: one writer).
   * The worker must hold its lease `worker:<workerId>` (see `recoverAbandoned`).
   */
  async claimChats(workerId: string, opts: { maxChats: number; userIds?: readonly number[] | undefined }): Promise<PlannedDelivery[]> {
    return this.db.tx(async (t) => {
      const who = opts.userIds ? inList(t, 's.user_id', opts.userIds, 'int') : null;
      const whoSql = who ? ` AND ${who[0]}` : '';
      const whoArgs = who ? [who[1]] : [];
      const base = `FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN users u ON u.id = s.user_id
                    WHERE d.status = 'pending' AND u.active = 1${whoSql}`;
      let ids: number[];
      if (t.dialect === 'postgres') {
        const rows = await t.all<{ id: number }>(
          // Candidates: 4× what we want, oldest first; we keep the first `maxChats` whose lock we get
          // (LIMIT stops trying once enough are ours), so concurrent workers take different chats.
          `WITH cand AS MATERIALIZED (
             SELECT s.chat_id, MIN(d.id) AS first ${base} GROUP BY s.chat_id ORDER BY first LIMIT ?
           ), mine AS MATERIALIZED (
             SELECT chat_id FROM (SELECT chat_id, first FROM cand ORDER BY first) c
             WHERE pg_try_advisory_xact_lock(hashtextextended('baowen:chat:' || chat_id::text, 0)) LIMIT ?
           ), rows AS (
             SELECT d.id ${base} AND s.chat_id IN (SELECT chat_id FROM mine) FOR UPDATE OF d SKIP LOCKED
           )
           UPDATE deliveries SET status = 'claimed', run_id = ? WHERE id IN (SELECT id FROM rows) RETURNING id`,
          [...whoArgs, opts.maxChats * 4, opts.maxChats, ...whoArgs, workerId],
        );
        ids = rows.map((r) => r.id);
      } else {
        const chats = await t.all<{ chat_id: number }>(
          `SELECT s.chat_id, MIN(d.id) AS first ${base} GROUP BY s.chat_id ORDER BY first LIMIT ?`,
          [...whoArgs, opts.maxChats],
        );
        if (!chats.length) return [];
        const [ccond, cp] = inList(t, 's.chat_id', chats.map((c) => c.chat_id), 'int');
        ids = (await t.all<{ id: number }>(`SELECT d.id ${base} AND ${ccond}`, [...whoArgs, cp])).map((r) => r.id);
        const [icond, ip] = inList(t, 'id', ids, 'int');
        await t.run(`UPDATE deliveries SET status = 'claimed', run_id = ? WHERE ${icond}`, [workerId, ip]);
      }
      if (!ids.length) return [];
      const [cond, p] = inList(t, 'd.id', ids, 'int');
      return (await t.all<PlannedRow>(`${PLANNED_SELECT} WHERE ${cond} ORDER BY d.id`, [p])).map(toPlanned);
    });
  }

  /** Rows this worker claimed but will not send after all (shutting down): back to `pending`. */
  async releaseClaims(workerId: string): Promise<number> {
    return this.db.run("UPDATE deliveries SET status = 'pending' WHERE status = 'claimed' AND run_id = ?", [workerId]);
  }

  /**
   * Marks this worker's claimed rows as handed to Telegram (committed before the HTTP request).
   * False when the worker no longer owns all of them (it stalled past its lease and another worker
   * took over): then nothing is marked and the message must not be sent.
   */
  async markSending(ids: readonly number[], workerId: string): Promise<boolean> {
    if (!ids.length) return true;
    return this.db.tx(async (t) => {
      const [cond, p] = inList(t, 'id', ids, 'int');
      const n = await t.run(`UPDATE deliveries SET status = 'sending', attempted_at = ? WHERE ${cond} AND status = 'claimed' AND run_id = ?`, [
        nowIso(),
        p,
        workerId,
      ]);
      if (n === ids.length) return true;
      // Lost some of them: give the ones still ours back and send nothing.
      await t.run(`UPDATE deliveries SET status = 'pending' WHERE ${cond} AND status = 'sending' AND run_id = ?`, [p, workerId]);
      return false;
    });
  }

  /** Telegram definitely did not take them (e.g. 429 before a retry): still ours, not ambiguous. */
  markClaimed(ids: readonly number[]): Promise<void> {
    return this.setStatus(ids, "status = 'claimed'", []);
  }

  markSent(ids: readonly number[], messageId: number): Promise<void> {
    return this.setStatus(ids, "status = 'sent', message_id = ?, sent_at = ?, error = NULL", [messageId, nowIso()]);
  }

  markFailed(ids: readonly number[], error: string): Promise<void> {
    return this.setStatus(ids, "status = 'failed', attempts = attempts + 1, error = ?", [error.slice(0, 500)]);
  }

  markBlocked(ids: readonly number[], error: string): Promise<void> {
    return this.setStatus(ids, "status = 'blocked', error = ?", [error.slice(0, 500)]);
  }

  /** Ledger rows of a subscription or run, for tests, /status and the CLI. */
  async deliveries(filter: { runId?: string; subscriptionId?: number; status?: DeliveryStatus } = {}): Promise<
    (PlannedDelivery & { messageId: number | null; runId: string })[]
  > {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.runId !== undefined) (where.push('d.run_id = ?'), args.push(filter.runId));
    if (filter.subscriptionId !== undefined) (where.push('d.subscription_id = ?'), args.push(filter.subscriptionId));
    if (filter.status !== undefined) (where.push('d.status = ?'), args.push(filter.status));
    const rows = await this.db.all<PlannedRow & { message_id: number | null; run_id: string }>(
      `SELECT d.id, d.subscription_id, d.article_id, s.user_id, s.chat_id, s.topic, d.status, d.attempts, d.payload,
              d.message_id, d.run_id
       FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id`,
      args,
    );
    return rows.map((r) => ({ ...toPlanned(r), messageId: r.message_id, runId: r.run_id }));
  }

  private async setStatus(ids: readonly number[], set: string, args: (string | number)[]): Promise<void> {
    if (ids.length === 0) return;
    const [cond, p] = inList(this.db, 'id', ids, 'int');
    await this.db.run(`UPDATE deliveries SET ${set} WHERE ${cond}`, [...args, p]);
  }
}

const HOST = os.hostname();

/** Lease owners held by this process (a lease row with our pid but another owner is stale). */
const heldLeases = new Set<string>();

function leaseLive(
  cur: { owner: string; pid: number; host: string; expires_at: number },
  now: number,
  isAlive: (pid: number) => boolean = pidAlive,
): boolean {
  if (cur.expires_at <= now) return false;
  // Another host's process: trust its lease until it expires.
  if (cur.host && cur.host !== HOST) return true;
  // Our own pid: only a lease this process still holds is live (a restarted container reuses pids).
  return cur.pid === process.pid ? heldLeases.has(cur.owner) : isAlive(cur.pid);
}

/** Whether a process with this pid exists on this host. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
