/**
 * Versioned schema migrations for `DATA_DIR/baowen.sqlite`.
 *
 * Each migration runs once, inside its own `BEGIN IMMEDIATE` transaction (so two processes opening
 * the same file never migrate twice), and is recorded both in `schema_migrations` and in
 * `PRAGMA user_version`. Re-opening a migrated database is a no-op. Never edit a shipped migration:
 * append a new one.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users-subscriptions-deliveries-feedback',
    sql: `
      CREATE TABLE users (
        id               INTEGER PRIMARY KEY,              -- Telegram user id
        chat_id          INTEGER NOT NULL,                 -- private chat with the bot
        lang             TEXT CHECK (lang IN ('zh', 'en')),-- chosen UI language; NULL = negotiate
        language_code    TEXT,                             -- as reported by Telegram
        digest_time      TEXT CHECK (digest_time IS NULL OR digest_time = 'off'
                           OR digest_time GLOB '[0-2][0-9]:[0-5][0-9]'), -- NULL = DIGEST_TIME
        active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)), -- 0 after a 403
        last_digest_date TEXT,                             -- YYYY-MM-DD (DIGEST_TZ) of the last scheduled digest
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      );

      -- Every article id the digest has ever seen in the index, numbered in order of first sight.
      -- A subscription delivers only articles first seen after it was created (seq > since_seq).
      CREATE TABLE known_articles (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id    TEXT NOT NULL UNIQUE,
        first_seen_at TEXT NOT NULL
      );

      CREATE TABLE subscriptions (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id    INTEGER NOT NULL,
        user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        topic      TEXT NOT NULL,                          -- as typed (trimmed)
        topic_norm TEXT NOT NULL,                          -- NFKC + lower-case + single spaces
        since_seq  INTEGER NOT NULL,                       -- max(known_articles.seq) at subscription time
        created_at TEXT NOT NULL,
        UNIQUE (chat_id, topic_norm)
      );
      CREATE INDEX subscriptions_user ON subscriptions(user_id);

      CREATE TABLE digest_runs (
        id          TEXT PRIMARY KEY,
        reason      TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        summary     TEXT                                   -- JSON counts
      );

      -- One row per (subscription, article): the exactly-once ledger.
      --   pending  planned, never handed to Telegram          -> sent by the next round
      --   sending  handed to Telegram, outcome not yet stored -> after a crash: unknown (never resent)
      --   sent     Telegram answered with message_id
      --   unknown  crashed while sending: treated as delivered (at-most-once)
      --   failed   Telegram refused (not 403) / network error -> retried by later rounds (attempts < 5)
      --   blocked  403: the user blocked the bot; never retried
      CREATE TABLE deliveries (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
        article_id      TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'unknown', 'failed', 'blocked')),
        run_id          TEXT NOT NULL,
        payload         TEXT NOT NULL,                     -- JSON snapshot of what the digest shows
        attempts        INTEGER NOT NULL DEFAULT 0,
        message_id      INTEGER,
        error           TEXT,
        created_at      TEXT NOT NULL,
        attempted_at    TEXT,
        sent_at         TEXT,
        UNIQUE (subscription_id, article_id)
      );
      CREATE INDEX deliveries_status ON deliveries(status);
      CREATE INDEX deliveries_run ON deliveries(run_id);

      CREATE TABLE feedback (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL,
        chat_id     INTEGER NOT NULL,
        question    TEXT NOT NULL,
        vote        INTEGER NOT NULL CHECK (vote IN (1, -1)),
        article_ids TEXT NOT NULL,                         -- JSON array
        created_at  TEXT NOT NULL
      );

      -- Cross-process mutual exclusion (bot and \`npm run digest -- --send\` share the file).
      CREATE TABLE leases (
        name       TEXT PRIMARY KEY,
        owner      TEXT NOT NULL,
        pid        INTEGER NOT NULL,
        expires_at INTEGER NOT NULL                        -- epoch ms
      );
    `,
  },
  {
    version: 2,
    name: 'update-journal',
    sql: `
      -- Every Telegram update, recorded before Telegram is told it was received (src/state/journal.ts).
      --   pending  recorded, not finished  -> handled again after a restart
      --   done     handled; its replies are in update_replies
      --   failed   gave up after repeated crashes while handling it
      -- Finished rows are pruned after JOURNAL_RETENTION_HOURS.
      CREATE TABLE update_journal (
        update_id   INTEGER PRIMARY KEY,
        chat_id     INTEGER,                               -- for per-chat order and inspection
        body        TEXT NOT NULL,                         -- the update as JSON
        status      TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        received_at INTEGER NOT NULL,                      -- epoch ms
        done_at     INTEGER                                -- epoch ms
      );
      CREATE INDEX update_journal_status ON update_journal(status, update_id);

      -- The replies an update produced (the seq-th write call of its handling), so a restart that
      -- handles it again does not send them twice.
      CREATE TABLE update_replies (
        update_id INTEGER NOT NULL,
        seq       INTEGER NOT NULL,
        method    TEXT NOT NULL,
        result    TEXT NOT NULL,                           -- Telegram's result as JSON
        sent_at   INTEGER NOT NULL,
        PRIMARY KEY (update_id, seq)
      );
    `,
  },
];

/** Applies every migration newer than the database, each in its own transaction. Returns versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied: number[] = [];
  const has = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const apply = db.transaction(() => {
      // Re-checked inside the write lock: another process may have migrated meanwhile.
      if (has.get(m.version)) return false;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      db.pragma(`user_version = ${m.version}`);
      return true;
    });
    if (apply.immediate()) applied.push(m.version);
  }
  return applied;
}
