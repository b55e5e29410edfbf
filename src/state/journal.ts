/**
 * The update journal: every Telegram update is recorded here BEFORE Telegram learns it was received
 * (long polling: before the next getUpdates moves the offset past it; webhook: before the 200), then
 * handled from here and marked done. The replies each update produced are recorded as they are sent,
 * so after a crash a restart handles what is recorded and not done, and does not send again what an
 * update already sent.
 *
 * Its own small, Promise-based interface so that a PostgreSQL implementation can sit beside the
 * SQLite one (`SqliteUpdateJournal`, tables from migration 2 in ./migrations.ts).
 *
 * ```ts
 * const journal = new SqliteUpdateJournal(state.db);
 * const fresh = await journal.record(updates);       // ids seen for the first time
 * await journal.begin(id);                            // attempts + 1
 * await journal.recordReply(id, 0, 'sendMessage', result);
 * await journal.finish(id, 'done');
 * ```
 */
import type Database from 'better-sqlite3';
import type { Update } from 'grammy/types';

export type JournalStatus = 'pending' | 'done' | 'failed';

export interface JournalEntry {
  updateId: number;
  update: Update;
  /** How many times handling started (a crash mid-update leaves it counted). */
  attempts: number;
}

/** A reply an update produced: the `seq`-th write call its handling made, and what Telegram returned. */
export interface SentReply {
  seq: number;
  method: string;
  result: unknown;
}

export interface JournalCounts {
  pending: number;
  done: number;
  failed: number;
  replies: number;
}

export interface UpdateJournal {
  /** Records updates not seen before (idempotent by update_id); resolves, once durable, with their ids. */
  record(updates: readonly Update[]): Promise<number[]>;
  /** Handling of this update starts: attempts + 1; resolves with the new count. */
  begin(updateId: number): Promise<number>;
  /** Recorded and not done, oldest first (what a restart must handle). */
  pending(): Promise<JournalEntry[]>;
  /** Replies already sent for this update, by seq. */
  replies(updateId: number): Promise<SentReply[]>;
  /** Records a reply Telegram accepted (idempotent by (update, seq)). */
  recordReply(updateId: number, seq: number, method: string, result: unknown): Promise<void>;
  /** The update is finished: 'done' (handled, replies recorded) or 'failed' (gave up). */
  finish(updateId: number, status: Exclude<JournalStatus, 'pending'>): Promise<void>;
  /** Deletes finished updates (and their replies) finished before `beforeMs` (epoch ms); returns how many. */
  prune(beforeMs: number): Promise<number>;
  counts(): Promise<JournalCounts>;
}

/** The chat an update belongs to (per-chat order), if any. */
export function chatOf(update: Update): number | null {
  const u = update as unknown as Record<string, { chat?: { id?: number }; message?: { chat?: { id?: number } }; from?: { id?: number } } | undefined>;
  for (const v of Object.values(u)) {
    if (!v || typeof v !== 'object') continue;
    const id = v.chat?.id ?? v.message?.chat?.id ?? v.from?.id;
    if (typeof id === 'number') return id;
  }
  return null;
}

interface EntryRow {
  update_id: number;
  body: string;
  attempts: number;
}

export class SqliteUpdateJournal implements UpdateJournal {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {}

  async record(updates: readonly Update[]): Promise<number[]> {
    const ins = this.db.prepare(
      `INSERT OR IGNORE INTO update_journal (update_id, chat_id, body, status, attempts, received_at) VALUES (?, ?, ?, 'pending', 0, ?)`,
    );
    const now = this.now();
    return this.db
      .transaction(() => updates.filter((u) => ins.run(u.update_id, chatOf(u), JSON.stringify(u), now).changes === 1).map((u) => u.update_id))
      .immediate();
  }

  async begin(updateId: number): Promise<number> {
    const row = this.db
      .prepare<[number], { attempts: number }>('UPDATE update_journal SET attempts = attempts + 1 WHERE update_id = ? RETURNING attempts')
      .get(updateId);
    return row?.attempts ?? 0;
  }

  async pending(): Promise<JournalEntry[]> {
    return this.db
      .prepare<[], EntryRow>("SELECT update_id, body, attempts FROM update_journal WHERE status = 'pending' ORDER BY update_id")
      .all()
      .map((r) => ({ updateId: r.update_id, update: JSON.parse(r.body) as Update, attempts: r.attempts }));
  }

  async replies(updateId: number): Promise<SentReply[]> {
    return this.db
      .prepare<[number], { seq: number; method: string; result: string }>(
        'SELECT seq, method, result FROM update_replies WHERE update_id = ? ORDER BY seq',
      )
      .all(updateId)
      .map((r) => ({ seq: r.seq, method: r.method, result: JSON.parse(r.result) as unknown }));
  }

  async recordReply(updateId: number, seq: number, method: string, result: unknown): Promise<void> {
    this.db
      .prepare('INSERT OR IGNORE INTO update_replies (update_id, seq, method, result, sent_at) VALUES (?, ?, ?, ?, ?)')
      .run(updateId, seq, method, JSON.stringify(result ?? null), this.now());
  }

  async finish(updateId: number, status: Exclude<JournalStatus, 'pending'>): Promise<void> {
    this.db.prepare('UPDATE update_journal SET status = ?, done_at = ? WHERE update_id = ?').run(status, this.now(), updateId);
  }

  async prune(beforeMs: number): Promise<number> {
    return this.db
      .transaction(() => {
        this.db
          .prepare(
            `DELETE FROM update_replies WHERE update_id IN
               (SELECT update_id FROM update_journal WHERE status <> 'pending' AND done_at < ?)`,
          )
          .run(beforeMs);
        return this.db.prepare("DELETE FROM update_journal WHERE status <> 'pending' AND done_at < ?").run(beforeMs).changes;
      })
      .immediate();
  }

  async counts(): Promise<JournalCounts> {
    const rows = this.db
      .prepare<[], { status: JournalStatus; n: number }>('SELECT status, COUNT(*) AS n FROM update_journal GROUP BY status')
      .all();
    const by = new Map(rows.map((r) => [r.status, r.n]));
    const replies = this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM update_replies').get()?.n ?? 0;
    return { pending: by.get('pending') ?? 0, done: by.get('done') ?? 0, failed: by.get('failed') ?? 0, replies };
  }
}
