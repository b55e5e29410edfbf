/**
 * Durable bot state in one SQLite file (`DATA_DIR/baowen.sqlite`): users, topic subscriptions,
 * the digest delivery ledger (exactly once per subscription × article) and answer feedback.
 *
 * Synchronous (better-sqlite3), WAL, foreign keys on, busy_timeout so the bot and the CLI can share
 * the file. Every multi-row change is one transaction, so a crash leaves either all or nothing.
 *
 * ```ts
 * const state = State.open(config.dataDir);   // or State.open(':memory:') in tests
 * state.upsertUser({ id: 42, chatId: 42, languageCode: 'zh-hans' });
 * state.addSubscription({ userId: 42, chatId: 42, topic: '植树', limit: 20, currentArticleIds: [] });
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ArticleMeta, Lang } from '../types.js';
import { normalizeForMatch } from '../text/normalize.js';
import { migrate } from './migrations.js';

export { MIGRATIONS, migrate } from './migrations.js';

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

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'unknown' | 'failed' | 'blocked';

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
  score: number;
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
  payload: JSON.parse(r.payload) as DeliveryPayload,
});

const nowIso = (): string => new Date().toISOString();

/** SQLite caps bound parameters; chunk `IN (...)` lists well under it. */
function chunks<T>(xs: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

const PLANNED_SELECT = `
  SELECT d.id, d.subscription_id, d.article_id, s.user_id, s.chat_id, s.topic, d.status, d.attempts, d.payload
  FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id`;

export class State {
  /** @internal The open connection, for tests and migrations. */
  readonly db: Database.Database;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /**
   * Opens (creating and migrating) `dataDir/baowen.sqlite`. Pass `':memory:'` for a throwaway database.
   */
  static open(dataDir: string): State {
    let file = ':memory:';
    if (dataDir !== ':memory:') {
      fs.mkdirSync(dataDir, { recursive: true });
      file = path.join(dataDir, 'baowen.sqlite');
    }
    const db = new Database(file);
    db.pragma('busy_timeout = 5000');
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return new State(db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ─── users ──────────────────────────────────────────────────────────────────

  getUser(userId: number): UserRecord | undefined {
    const r = this.db
      .prepare<[number], UserRow>('SELECT id, chat_id, lang, digest_time, active FROM users WHERE id = ?')
      .get(userId);
    return r && toUser(r);
  }

  /** Creates or refreshes a user; a user who talks to the bot again is active again. */
  upsertUser(u: { id: number; chatId: number; languageCode?: string }): UserRecord {
    const now = nowIso();
    this.db
      .prepare(
        `INSERT INTO users (id, chat_id, language_code, created_at, updated_at) VALUES (@id, @chatId, @languageCode, @now, @now)
         ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id,
           language_code = COALESCE(excluded.language_code, users.language_code),
           active = 1, updated_at = excluded.updated_at`,
      )
      .run({ id: u.id, chatId: u.chatId, languageCode: u.languageCode ?? null, now });
    return this.getUser(u.id)!;
  }

  setLang(userId: number, lang: Lang): void {
    this.db.prepare('UPDATE users SET lang = ?, updated_at = ? WHERE id = ?').run(lang, nowIso(), userId);
  }

  /** `null` = back to the default DIGEST_TIME; `'HH:MM'`; `'off'` = no automatic digests. */
  setDigestTime(userId: number, time: string | null): void {
    if (time !== null && time !== 'off' && !/^([01]\d|2[0-3]):[0-5]\d$/u.test(time)) {
      throw new RangeError(`digest time must be HH:MM or 'off', got ${JSON.stringify(time)}`);
    }
    this.db.prepare('UPDATE users SET digest_time = ?, updated_at = ? WHERE id = ?').run(time, nowIso(), userId);
  }

  /** Inactive users (bot blocked / account deleted) get no digests until they talk to the bot again. */
  setActive(userId: number, active: boolean): void {
    this.db.prepare('UPDATE users SET active = ?, updated_at = ? WHERE id = ?').run(active ? 1 : 0, nowIso(), userId);
  }

  /** Active users with at least one subscription (optionally only these ids). */
  subscribers(userIds?: readonly number[]): (UserRecord & { languageCode: string | null })[] {
    const rows = this.db
      .prepare<[], UserRow & { language_code: string | null }>(
        `SELECT id, chat_id, lang, digest_time, active, language_code FROM users u
         WHERE active = 1 AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id) ORDER BY id`,
      )
      .all();
    const want = userIds && new Set(userIds);
    return rows.filter((r) => !want || want.has(r.id)).map((r) => ({ ...toUser(r), languageCode: r.language_code }));
  }

  /**
   * Atomically claims today's scheduled digest for the given users: returns those whose
   * `last_digest_date` was not yet `date` (and sets it), so a restart in the same minute sends nothing twice.
   */
  claimDigestDay(userIds: readonly number[], date: string): number[] {
    const claim = this.db.prepare(
      `UPDATE users SET last_digest_date = ? WHERE id = ? AND (last_digest_date IS NULL OR last_digest_date <> ?)`,
    );
    return this.db.transaction(() => userIds.filter((id) => claim.run(date, id, date).changes === 1))();
  }

  /** Users whose scheduled digest of `date` has not been claimed yet, with their effective digest time. */
  unclaimedDigestUsers(date: string): (UserRecord & { lastDigestDate: string | null })[] {
    return this.db
      .prepare<[string], UserRow & { last_digest_date: string | null }>(
        `SELECT id, chat_id, lang, digest_time, active, last_digest_date FROM users u
         WHERE active = 1 AND (digest_time IS NULL OR digest_time <> 'off')
           AND (last_digest_date IS NULL OR last_digest_date <> ?)
           AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id) ORDER BY id`,
      )
      .all(date)
      .map((r) => ({ ...toUser(r), lastDigestDate: r.last_digest_date }));
  }

  // ─── feedback ───────────────────────────────────────────────────────────────

  addFeedback(f: { userId: number; chatId: number; question: string; vote: 1 | -1; articleIds: string[] }): void {
    this.db
      .prepare(
        'INSERT INTO feedback (user_id, chat_id, question, vote, article_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(f.userId, f.chatId, f.question, f.vote, JSON.stringify(f.articleIds), nowIso());
  }

  stats(): {
    users: number;
    activeUsers: number;
    subscriptions: number;
    deliveries: number;
    feedbackUp: number;
    feedbackDown: number;
  } {
    const one = (sql: string): number => (this.db.prepare<[], { n: number }>(sql).get()?.n ?? 0);
    return {
      users: one('SELECT COUNT(*) AS n FROM users'),
      activeUsers: one('SELECT COUNT(*) AS n FROM users WHERE active = 1'),
      subscriptions: one('SELECT COUNT(*) AS n FROM subscriptions'),
      deliveries: one("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'sent'"),
      feedbackUp: one('SELECT COUNT(*) AS n FROM feedback WHERE vote = 1'),
      feedbackDown: one('SELECT COUNT(*) AS n FROM feedback WHERE vote = -1'),
    };
  }

  // ─── known articles ─────────────────────────────────────────────────────────

  /** Records article ids seen in the index (first sight gets the next sequence number). */
  recordArticles(articleIds: Iterable<string>): void {
    const ins = this.db.prepare('INSERT OR IGNORE INTO known_articles (article_id, first_seen_at) VALUES (?, ?)');
    const now = nowIso();
    this.db.transaction(() => {
      for (const id of articleIds) ins.run(id, now);
    })();
  }

  /** Sequence numbers of known articles (unknown ids are absent). */
  articleSeqs(articleIds: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const part of chunks([...new Set(articleIds)])) {
      const rows = this.db
        .prepare<string[], { article_id: string; seq: number }>(
          `SELECT article_id, seq FROM known_articles WHERE article_id IN (${part.map(() => '?').join(',')})`,
        )
        .all(...part);
      for (const r of rows) out.set(r.article_id, r.seq);
    }
    return out;
  }

  // ─── subscriptions ──────────────────────────────────────────────────────────

  /**
   * Subscribes a chat to a topic. Duplicates (same chat, same folded topic) merge into the existing one.
   * `currentArticleIds` (the index at subscription time) are recorded first, so none of them counts as new.
   */
  addSubscription(s: {
    userId: number;
    chatId: number;
    topic: string;
    limit: number;
    currentArticleIds: Iterable<string>;
  }): AddSubscriptionResult {
    const topic = s.topic.trim();
    const topicNorm = normalizeTopic(topic);
    return this.db.transaction((): AddSubscriptionResult => {
      const existing = this.db
        .prepare<[number, string], SubRow>('SELECT * FROM subscriptions WHERE chat_id = ? AND topic_norm = ?')
        .get(s.chatId, topicNorm);
      if (existing) return { status: 'exists', subscription: toSub(existing) };
      const count =
        this.db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM subscriptions WHERE user_id = ?').get(s.userId)
          ?.n ?? 0;
      if (count >= s.limit) return { status: 'limit', limit: s.limit, count };
      this.recordArticles(s.currentArticleIds);
      const since =
        this.db.prepare<[], { m: number | null }>('SELECT MAX(seq) AS m FROM known_articles').get()?.m ?? 0;
      const info = this.db
        .prepare(
          'INSERT INTO subscriptions (chat_id, user_id, topic, topic_norm, since_seq, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(s.chatId, s.userId, topic, topicNorm, since, nowIso());
      return { status: 'added', subscription: this.getSubscription(Number(info.lastInsertRowid))! };
    })();
  }

  getSubscription(id: number): Subscription | undefined {
    const r = this.db.prepare<[number], SubRow>('SELECT * FROM subscriptions WHERE id = ?').get(id);
    return r && toSub(r);
  }

  /** Subscriptions of a chat and/or user, oldest first. */
  listSubscriptions(filter: { chatId?: number; userId?: number }): Subscription[] {
    const where: string[] = [];
    const args: number[] = [];
    if (filter.chatId !== undefined) (where.push('chat_id = ?'), args.push(filter.chatId));
    if (filter.userId !== undefined) (where.push('user_id = ?'), args.push(filter.userId));
    return this.db
      .prepare<number[], SubRow>(
        `SELECT * FROM subscriptions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
      )
      .all(...args)
      .map(toSub);
  }

  /** Removes a subscription of this chat (by id); its delivery history goes with it. */
  removeSubscription(chatId: number, subscriptionId: number): Subscription | undefined {
    const sub = this.getSubscription(subscriptionId);
    if (!sub || sub.chatId !== chatId) return undefined;
    this.db.prepare('DELETE FROM subscriptions WHERE id = ?').run(subscriptionId);
    return sub;
  }

  /** Removes a subscription of this chat by topic (case/width-insensitive). */
  removeSubscriptionByTopic(chatId: number, topic: string): Subscription | undefined {
    const r = this.db
      .prepare<[number, string], SubRow>('SELECT * FROM subscriptions WHERE chat_id = ? AND topic_norm = ?')
      .get(chatId, normalizeTopic(topic.trim()));
    return r ? this.removeSubscription(chatId, r.id) : undefined;
  }

  /** Article ids this subscription already has a ledger row for (in any status). */
  ledgerArticleIds(subscriptionId: number): Set<string> {
    return new Set(
      this.db
        .prepare<[number], { article_id: string }>('SELECT article_id FROM deliveries WHERE subscription_id = ?')
        .all(subscriptionId)
        .map((r) => r.article_id),
    );
  }

  // ─── delivery rounds ────────────────────────────────────────────────────────

  /**
   * Takes (or renews) a named lease. Succeeds when free, expired, already ours, or held by a
   * process on this host that no longer exists (`isAlive(pid)` false).
   */
  acquireLease(
    name: string,
    owner: string,
    ttlMs: number,
    opts: { now?: number; isAlive?: (pid: number) => boolean } = {},
  ): boolean {
    const now = opts.now ?? Date.now();
    const isAlive = opts.isAlive ?? pidAlive;
    const ok = this.db.transaction(() => {
      const cur = this.db
        .prepare<[string], { owner: string; pid: number; expires_at: number }>(
          'SELECT owner, pid, expires_at FROM leases WHERE name = ?',
        )
        .get(name);
      if (cur && cur.owner !== owner && cur.expires_at > now) {
        // Our own pid: only a lease this process still holds is live (a restarted container reuses pids).
        const live = cur.pid === process.pid ? heldLeases.has(cur.owner) : isAlive(cur.pid);
        if (live) return false;
      }
      this.db
        .prepare(
          `INSERT INTO leases (name, owner, pid, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, expires_at = excluded.expires_at`,
        )
        .run(name, owner, process.pid, now + ttlMs);
      return true;
    }).immediate();
    if (ok) heldLeases.add(owner);
    return ok;
  }

  releaseLease(name: string, owner: string): void {
    heldLeases.delete(owner);
    this.db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?').run(name, owner);
  }

  startRun(runId: string, reason: string): void {
    this.db
      .prepare('INSERT INTO digest_runs (id, reason, pid, started_at) VALUES (?, ?, ?, ?)')
      .run(runId, reason, process.pid, nowIso());
  }

  finishRun(runId: string, summary: unknown): void {
    this.db
      .prepare('UPDATE digest_runs SET finished_at = ?, summary = ? WHERE id = ?')
      .run(nowIso(), JSON.stringify(summary), runId);
  }

  /**
   * After a crash: rows left in `sending` by another run may or may not have reached the user.
   * They become `unknown` and are never resent (at-most-once for that window). Call only while
   * holding the delivery lease, so no live round owns them. Returns how many were marked.
   */
  resolveInterrupted(currentRunId: string): number {
    return this.db
      .prepare(
        "UPDATE deliveries SET status = 'unknown', error = 'interrupted while sending' WHERE status = 'sending' AND run_id <> ?",
      )
      .run(currentRunId).changes;
  }

  /** True when a crashed round left rows that were never attempted (a resume round is due). */
  hasUnsent(): boolean {
    return !!this.db
      .prepare<[number], { x: number }>(
        `SELECT 1 AS x FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN users u ON u.id = s.user_id
         WHERE u.active = 1 AND (d.status IN ('pending', 'sending') OR (d.status = 'failed' AND d.attempts < ?)) LIMIT 1`,
      )
      .get(MAX_DELIVERY_ATTEMPTS);
  }

  /**
   * In one transaction: inserts `fresh` rows as `pending` for `runId` (ignoring any (subscription,
   * article) that already has a row), adopts this round's users' leftover `pending` rows and retryable
   * `failed` rows into `runId`, and returns everything this run must send, oldest first.
   */
  planDeliveries(runId: string, userIds: readonly number[], fresh: readonly NewDelivery[]): PlannedDelivery[] {
    const now = nowIso();
    const ins = this.db.prepare(
      `INSERT OR IGNORE INTO deliveries (subscription_id, article_id, status, run_id, payload, created_at)
       VALUES (?, ?, 'pending', ?, ?, ?)`,
    );
    return this.db.transaction(() => {
      for (const d of fresh) ins.run(d.subscriptionId, d.articleId, runId, JSON.stringify(d.payload), now);
      const out: PlannedDelivery[] = [];
      for (const part of chunks(userIds)) {
        const marks = part.map(() => '?').join(',');
        this.db
          .prepare(
            `UPDATE deliveries SET run_id = ?, status = 'pending'
             WHERE (status = 'pending' OR (status = 'failed' AND attempts < ?))
               AND subscription_id IN (SELECT id FROM subscriptions WHERE user_id IN (${marks}))`,
          )
          .run(runId, MAX_DELIVERY_ATTEMPTS, ...part);
      }
      out.push(
        ...this.db
          .prepare<[string], PlannedRow>(`${PLANNED_SELECT} WHERE d.run_id = ? AND d.status = 'pending' ORDER BY d.id`)
          .all(runId)
          .map(toPlanned),
      );
      return out;
    }).immediate();
  }

  /** Marks rows as handed to Telegram (committed before the HTTP request). */
  markSending(ids: readonly number[]): void {
    this.setStatus(ids, "status = 'sending', attempted_at = ?", [nowIso()]);
  }

  /** Telegram definitely did not take them (e.g. 429 before a retry): back to pending. */
  markPending(ids: readonly number[]): void {
    this.setStatus(ids, "status = 'pending'", []);
  }

  markSent(ids: readonly number[], messageId: number): void {
    this.setStatus(ids, "status = 'sent', message_id = ?, sent_at = ?, error = NULL", [messageId, nowIso()]);
  }

  markFailed(ids: readonly number[], error: string): void {
    this.setStatus(ids, "status = 'failed', attempts = attempts + 1, error = ?", [error.slice(0, 500)]);
  }

  markBlocked(ids: readonly number[], error: string): void {
    this.setStatus(ids, "status = 'blocked', error = ?", [error.slice(0, 500)]);
  }

  /** Ledger rows of a subscription or run, for tests, /status and the CLI. */
  deliveries(filter: { runId?: string; subscriptionId?: number; status?: DeliveryStatus } = {}): (PlannedDelivery & {
    messageId: number | null;
    runId: string;
  })[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.runId !== undefined) (where.push('d.run_id = ?'), args.push(filter.runId));
    if (filter.subscriptionId !== undefined) (where.push('d.subscription_id = ?'), args.push(filter.subscriptionId));
    if (filter.status !== undefined) (where.push('d.status = ?'), args.push(filter.status));
    return this.db
      .prepare<(string | number)[], PlannedRow & { message_id: number | null; run_id: string }>(
        `SELECT d.id, d.subscription_id, d.article_id, s.user_id, s.chat_id, s.topic, d.status, d.attempts, d.payload,
                d.message_id, d.run_id
         FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id`,
      )
      .all(...args)
      .map((r) => ({ ...toPlanned(r), messageId: r.message_id, runId: r.run_id }));
  }

  private setStatus(ids: readonly number[], set: string, args: (string | number)[]): void {
    if (ids.length === 0) return;
    this.db.transaction(() => {
      for (const part of chunks(ids)) {
        this.db
          .prepare(`UPDATE deliveries SET ${set} WHERE id IN (${part.map(() => '?').join(',')})`)
          .run(...args, ...part);
      }
    })();
  }
}

/** Lease owners held by this process (a lease row with our pid but another owner is stale). */
const heldLeases = new Set<string>();

/** Whether a process with this pid exists on this host. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
