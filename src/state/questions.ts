/**
 * What readers asked: one row per question with its outcome (answered + confidence, or refused and
 * why) and the reader's 👍/👎, for the editors' report (`npm run report`, admin `/report`).
 *
 * No user id is stored in clear: `user_hash` is HMAC-SHA256(QUESTION_LOG_SECRET, user id), or NULL
 * when no secret is configured (then the log cannot tell readers apart at all). Rows older than
 * QUESTION_LOG_DAYS are pruned (at most hourly, on write, and by the report); 0 turns the log off.
 *
 * A small self-contained piece of the state: its own table (migration 4, `question_log`, the same
 * portable SQL on SQLite and PostgreSQL), async methods over the three calls of the state's `Db`
 * ({@link SqlRunner}).
 *
 * ```ts
 * const log = questionLogFor(state, config);   // = new QuestionLog(state.db, { secret, retentionDays })
 * await log.record({ userId, chatType: 'private', answer, answerKey });
 * await log.recordVote(answerKey, -1);
 * const r = await log.report({ days: 30 });
 * ```
 */
import { createHmac } from 'node:crypto';
import { normalizeForMatch } from '../text/normalize.js';
import type { Answer } from '../types.js';

export type SqlParam = string | number | null;

/** The three calls the log needs (a subset of the state's `Db`, src/state/db.ts). */
export interface SqlRunner {
  all<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

/** Migration 4 (portable SQL: the same text works on SQLite and PostgreSQL). */
export const QUESTION_LOG_SQL = `
  CREATE TABLE question_log (
    answer_key  TEXT PRIMARY KEY,        -- random key of the answer (also the 👍/👎 buttons')
    asked_at    TEXT NOT NULL,           -- ISO 8601 UTC
    day         TEXT NOT NULL,           -- YYYY-MM-DD (UTC), for questions per day
    user_hash   TEXT,                    -- HMAC-SHA256(QUESTION_LOG_SECRET, user id), hex; NULL without a secret
    chat_type   TEXT NOT NULL,           -- private | group | supergroup | channel
    question    TEXT NOT NULL,           -- as asked (trimmed)
    question_norm TEXT NOT NULL,         -- folded for counting (width, case, spaces, end punctuation)
    answered    INTEGER NOT NULL CHECK (answered IN (0, 1)),
    confidence  REAL,                    -- Answer.confidence when the answer path gives one
    refusal     TEXT,                    -- Answer.refusal when refused
    first_quote TEXT,                    -- the first quoted sentence (for 👎 examples), at most 300 chars
    vote        INTEGER CHECK (vote IS NULL OR vote IN (1, -1))
  );
  CREATE INDEX question_log_day ON question_log(day);
`;

/** Folds a question for counting: `北京天气怎么样？` and `北京天气怎么样?` are one. */
export function normalizeQuestion(q: string): string {
  return normalizeForMatch(q)
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .replace(/[\s?？!！。.,，、~～…]+$/u, '')
    .trim();
}

/** `npm run report -- --json` (README): counts, shares 0…1, the most refused questions, 👎 examples, topics. */
export interface QuestionReport {
  days: number;
  questions: number;
  /** Shares of `questions` (0…1, three decimals); the counts are `answeredCount` / `refusedCount`. */
  answered: number;
  refused: number;
  answeredCount: number;
  refusedCount: number;
  topRefused: { question: string; count: number }[];
  feedback: { up: number; down: number; down_examples: { question: string; quote: string | null }[] };
  topics: { topic: string; subscribers: number }[];
  /** Questions per day (UTC), oldest first, days without questions included. */
  perDay: { day: string; questions: number; refused: number }[];
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

export class QuestionLog {
  private lastPrune = 0;

  constructor(
    private readonly db: SqlRunner,
    private readonly opts: { secret?: string | undefined; retentionDays: number; now?: () => number },
  ) {}

  /** False when QUESTION_LOG_DAYS is 0. */
  get enabled(): boolean {
    return this.opts.retentionDays > 0;
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** HMAC-SHA256 of the user id under the configured secret (hex); null without a secret. */
  userHash(userId: number): string | null {
    return this.opts.secret ? createHmac('sha256', this.opts.secret).update(String(userId)).digest('hex') : null;
  }

  /** Logs one question and its outcome. */
  async record(r: { userId: number; chatType: string; answer: Answer; answerKey: string }): Promise<void> {
    if (!this.enabled) return;
    const at = new Date(this.now());
    const a = r.answer;
    const confidence = (a as { confidence?: unknown }).confidence;
    const question = a.question.trim().slice(0, 1000);
    await this.db.run(
      `INSERT INTO question_log (answer_key, asked_at, day, user_hash, chat_type, question, question_norm, answered, confidence, refusal, first_quote)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        r.answerKey,
        at.toISOString(),
        at.toISOString().slice(0, 10),
        this.userHash(r.userId),
        r.chatType,
        question,
        normalizeQuestion(question),
        a.answered ? 1 : 0,
        typeof confidence === 'number' && Number.isFinite(confidence) ? confidence : null,
        a.answered ? null : (a.refusal ?? 'weak-evidence'),
        a.quotes[0]?.text.slice(0, 300) ?? null,
      ],
    );
    if (this.now() - this.lastPrune >= HOUR) await this.prune();
  }

  /** 👍 (1) / 👎 (-1) on an answer; the last vote counts. */
  async recordVote(answerKey: string, vote: 1 | -1): Promise<void> {
    if (this.enabled) await this.db.run('UPDATE question_log SET vote = ? WHERE answer_key = ?', [vote, answerKey]);
  }

  /** Deletes rows older than the retention; returns how many. */
  async prune(): Promise<number> {
    this.lastPrune = this.now();
    const cutoff = new Date(this.now() - this.opts.retentionDays * DAY).toISOString();
    return this.db.run('DELETE FROM question_log WHERE asked_at < ?', [cutoff]);
  }

  /** The editors' report over the last `days` days; topics are the subscriptions' (subscribers = distinct users). */
  async report(opts: { days: number; top?: number }): Promise<QuestionReport> {
    if (this.enabled) await this.prune();
    const top = opts.top ?? 10;
    const since = new Date(this.now() - opts.days * DAY).toISOString();
    const totals = await this.db.get<{ n: number; a: number | null; up: number | null; down: number | null }>(
      `SELECT COUNT(*) AS n, SUM(answered) AS a, SUM(CASE WHEN vote = 1 THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN vote = -1 THEN 1 ELSE 0 END) AS down
       FROM question_log WHERE asked_at >= ?`,
      [since],
    );
    const questions = Number(totals?.n ?? 0);
    const answered = Number(totals?.a ?? 0);
    const refusedRows = await this.db.all<{ q: string; n: number }>(
      `SELECT MAX(question) AS q, COUNT(*) AS n FROM question_log WHERE asked_at >= ? AND answered = 0
       GROUP BY question_norm ORDER BY n DESC, MAX(asked_at) DESC LIMIT ?`,
      [since, top],
    );
    const downRows = await this.db.all<{ question: string; first_quote: string | null }>(
      `SELECT question, first_quote FROM question_log WHERE asked_at >= ? AND vote = -1 ORDER BY asked_at DESC LIMIT ?`,
      [since, top],
    );
    const dayRows = await this.db.all<{ day: string; n: number; r: number }>(
      `SELECT day, COUNT(*) AS n, SUM(1 - answered) AS r FROM question_log WHERE asked_at >= ? GROUP BY day ORDER BY day`,
      [since],
    );
    const topicRows = await this.db.all<{ topic: string; n: number }>(
      `SELECT MIN(topic) AS topic, COUNT(DISTINCT user_id) AS n FROM subscriptions GROUP BY topic_norm ORDER BY n DESC, MIN(topic) LIMIT ?`,
      [top],
    );
    const byDay = new Map(dayRows.map((d) => [d.day, d]));
    const perDay: QuestionReport['perDay'] = [];
    for (let t = this.now() - (opts.days - 1) * DAY; perDay.length < opts.days; t += DAY) {
      const day = new Date(t).toISOString().slice(0, 10);
      const d = byDay.get(day);
      perDay.push({ day, questions: Number(d?.n ?? 0), refused: Number(d?.r ?? 0) });
    }
    const share = (n: number) => (questions ? Math.round((n / questions) * 1000) / 1000 : 0);
    return {
      days: opts.days,
      questions,
      answered: share(answered),
      refused: share(questions - answered),
      answeredCount: answered,
      refusedCount: questions - answered,
      topRefused: refusedRows.map((r) => ({ question: r.q, count: Number(r.n) })),
      feedback: {
        up: Number(totals?.up ?? 0),
        down: Number(totals?.down ?? 0),
        down_examples: downRows.map((r) => ({ question: r.question, quote: r.first_quote })),
      },
      topics: topicRows.map((t) => ({ topic: t.topic, subscribers: Number(t.n) })),
      perDay,
    };
  }
}
