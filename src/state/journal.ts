/**
 * The update journal: every Telegram update is recorded here BEFORE Telegram learns it was received
 * (long polling: before the next getUpdates moves the offset past it; webhook: before the 200), then
 * handled from here and marked done. The replies each update produced are recorded as they are sent,
 * so after a crash a restart handles what is recorded and not done, and does not send again what an
 * update already sent.
 *
 * Its own small, Promise-based interface; `SqlUpdateJournal` implements it on both state backends
 * (SQLite and PostgreSQL, through the shared SQL layer in ./db.ts; tables from migration 2).
 *
 * ```ts
 * const journal = new SqlUpdateJournal(state.db);
 * const fresh = await journal.record(updates);       // ids seen for the first time
 * await journal.begin(id);                            // attempts + 1
 * await journal.recordReply(id, 0, 'sendMessage', result);
 * await journal.finish(id, 'done');
 * ```
 */
import type { Update } from 'grammy/types';
import type { Db } from './db.js';

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
  /** How many updates of this chat before `updateId`, recorded after `receivedAfterMs`, are not finished (any instance). */
  pendingBefore(chatId: number, updateId: number, receivedAfterMs: number): Promise<number>;
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

export class SqlUpdateJournal implements UpdateJournal {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async record(updates: readonly Update[]): Promise<number[]> {
    const now = this.now();
    return this.db.tx(async (t) => {
      const fresh: number[] = [];
      for (const u of updates) {
        const n = await t.run(
          `INSERT INTO update_journal (update_id, chat_id, body, status, attempts, received_at) VALUES (?, ?, ?, 'pending', 0, ?)
           ON CONFLICT DO NOTHING`,
          [u.update_id, chatOf(u), JSON.stringify(u), now],
        );
        if (n === 1) fresh.push(u.update_id);
      }
      return fresh;
    });
  }

  async begin(updateId: number): Promise<number> {
    const row = await this.db.get<{ attempts: number }>(
      'UPDATE update_journal SET attempts = attempts + 1 WHERE update_id = ? RETURNING attempts',
      [updateId],
    );
    return row?.attempts ?? 0;
  }

  async pending(): Promise<JournalEntry[]> {
    const rows = await this.db.all<EntryRow>("SELECT update_id, body, attempts FROM update_journal WHERE status = 'pending' ORDER BY update_id");
    return rows.map((r) => ({ updateId: r.update_id, update: JSON.parse(r.body) as Update, attempts: r.attempts }));
  }

  async pendingBefore(chatId: number, updateId: number, receivedAfterMs: number): Promise<number> {
    const r = await this.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM update_journal WHERE chat_id = ? AND status = 'pending' AND update_id < ? AND received_at > ?",
      [chatId, updateId, receivedAfterMs],
    );
    return r?.n ?? 0;
  }

  async replies(updateId: number): Promise<SentReply[]> {
    const rows = await this.db.all<{ seq: number; method: string; result: string }>(
      'SELECT seq, method, result FROM update_replies WHERE update_id = ? ORDER BY seq',
      [updateId],
    );
    return rows.map((r) => ({ seq: r.seq, method: r.method, result: JSON.parse(r.result) as unknown }));
  }

  async recordReply(updateId: number, seq: number, method: string, result: unknown): Promise<void> {
    await this.db.run('INSERT INTO update_replies (update_id, seq, method, result, sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
      updateId,
      seq,
      method,
      JSON.stringify(result ?? null),
      this.now(),
    ]);
  }

  async finish(updateId: number, status: Exclude<JournalStatus, 'pending'>): Promise<void> {
    await this.db.run('UPDATE update_journal SET status = ?, done_at = ? WHERE update_id = ?', [status, this.now(), updateId]);
  }

  async prune(beforeMs: number): Promise<number> {
    return this.db.tx(async (t) => {
      await t.run(
        `DELETE FROM update_replies WHERE update_id IN
           (SELECT update_id FROM update_journal WHERE status <> 'pending' AND done_at < ?)`,
        [beforeMs],
      );
      return t.run("DELETE FROM update_journal WHERE status <> 'pending' AND done_at < ?", [beforeMs]);
    });
  }

  async counts(): Promise<JournalCounts> {
    const rows = await this.db.all<{ status: JournalStatus; n: number }>('SELECT status, COUNT(*) AS n FROM update_journal GROUP BY status');
    const by = new Map(rows.map((r) => [r.status, r.n]));
    const replies = (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM update_replies'))?.n ?? 0;
    return { pending: by.get('pending') ?? 0, done: by.get('done') ?? 0, failed: by.get('failed') ?? 0, replies };
  }
}
