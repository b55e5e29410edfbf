/**
 * When digests go out — on one instance or several sharing one database:
 * - **Daily**: a croner job every minute (timezone DIGEST_TZ) finds users whose digest time (their
 *   own, or DIGEST_TIME) has come today and who have not had today's digest. Under the lease
 *   `schedule` (one instance plans at a time; a dead holder's lease expires) it plans their rows,
 *   then claims the day in the database (`last_digest_date`: after planning, so a crash in between
 *   plans again rather than skipping), releases the lease and sends. A bot that was down at 08:00
 *   catches up later the same day; only new reports are ever sent, so catching up never repeats.
 * - **Index change**: `engine.onIndexChange` (every instance reloads the new generation) → a few
 *   seconds later (debounced) ONE round for every subscriber: whoever takes the lease
 *   `index:<generation>` plans it and marks it done (`round_marks`); the others wait for that and
 *   then help send (all paced by the one bucket in the database).
 *   If the planner dies first, the next minute's check on any instance plans it again.
 * - **Sweep / resume**: at start and every minute, if rows wait to be sent (never attempted, a dead
 *   worker's, retryable failures), a round sends them — so a round interrupted on one instance is
 *   finished by another.
 *
 * `digest_time = 'off'` means no automatic digests at all (neither daily nor on index change);
 * `/digest` still works on demand.
 */
import crypto from 'node:crypto';
import { Cron } from 'croner';
import type { Config } from '../config.js';
import type { Engine } from '../engine.js';
import type { Logger } from '../log.js';
import type { State } from '../state/index.js';
import { runDeliveryRound, type DeliveryReport, type DeliveryRoundOptions, type DigestApi } from './deliver.js';

export interface SchedulerDeps {
  engine: Pick<Engine, 'matchTopic' | 'index' | 'onIndexChange'>;
  state: State;
  api: DigestApi;
  log: Logger;
  config: Pick<Config, 'BROADCAST_PER_SECOND' | 'DEFAULT_LANG' | 'DIGEST_TIME' | 'DIGEST_TZ'> & Partial<Pick<Config, 'DIGEST_WORKER_TTL_MS'>>;
  /** Delay after an index change before the round (default 3 s; more changes meanwhile merge). */
  debounceMs?: number;
  /** Extra round options (tests: bucket, clock, translate). */
  round?: Partial<Pick<DeliveryRoundOptions, 'bucket' | 'clock' | 'translate' | 'onChatDone'>>;
}

/** How long a planner's lease lasts without renewal (planning is matchTopic per topic: seconds). */
const PLAN_LEASE_MS = 120_000;

/** The once-only key of the round after an index generation: a digest of its article ids. */
export function indexRoundKey(articleIds: Iterable<string>): string {
  const h = crypto.createHash('sha1');
  for (const id of [...articleIds].sort()) h.update(id).update('\0');
  return `index:${h.digest('hex').slice(0, 16)}`;
}

/** Local calendar date and HH:MM of `instant` in `timeZone`. */
export function localDateTime(instant: Date, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

export class DigestScheduler {
  private cron: Cron | null = null;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  /** The index round this instance last saw due (retried every minute until some instance ran it). */
  private pendingIndexKey: string | null = null;
  private sweeping = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Starts the minute job and the index-change listener; resumes unsent deliveries if any. */
  start(): void {
    const { config, engine, log } = this.deps;
    this.cron = new Cron('* * * * *', { timezone: config.DIGEST_TZ, protect: true }, () => this.track(this.minute()));
    this.unsubscribe = engine.onIndexChange(() => this.indexChanged());
    this.track(this.sweep());
    log.info({ tz: config.DIGEST_TZ, defaultTime: config.DIGEST_TIME }, 'digest scheduler started');
  }

  /** What the minute job does: the daily tick, a still-due index round, then the sweep. */
  async minute(now: Date = new Date()): Promise<void> {
    await this.tick(now);
    if (this.pendingIndexKey) await this.indexRound();
    await this.sweep();
  }

  /**
   * The daily tick: runs today's digest for every user whose time has come (at or before `now`,
   * local to DIGEST_TZ) and who has not had it today. Returns the round, or null if nobody was due
   * (or another instance is planning this minute's round).
   */
  async tick(now: Date = new Date()): Promise<DeliveryReport | null> {
    const { config, state } = this.deps;
    const { date, time } = localDateTime(now, config.DIGEST_TZ);
    const due = (await state.unclaimedDigestUsers(date)).filter((u) => (u.digestTime ?? config.DIGEST_TIME) <= time).map((u) => u.id);
    if (!due.length) return null;
    const owner = `schedule-${crypto.randomBytes(4).toString('hex')}`;
    if (!(await state.acquireLease('schedule', owner, PLAN_LEASE_MS))) return null;
    let claimed: number[] = [];
    try {
      const report = await this.round('schedule', due, {
        afterPlan: async () => {
          claimed = await state.claimDigestDay(due, date);
          await state.releaseLease('schedule', owner);
        },
      });
      return claimed.length ? report : null;
    } finally {
      await state.releaseLease('schedule', owner);
    }
  }

  /** Debounced reaction to a new index generation. */
  indexChanged(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.track(this.indexRound());
    }, this.deps.debounceMs ?? 3000);
    this.timer.unref?.();
  }

  /**
   * The round after an index change, once for all instances: every subscriber whose automatic
   * digests are not off. Null when there is nobody, or when it ran / is being planned elsewhere.
   */
  async indexRound(): Promise<DeliveryReport | null> {
    const { state, engine } = this.deps;
    let key: string;
    try {
      key = indexRoundKey(engine.index().articles.keys());
    } catch {
      return null; // no index loaded
    }
    this.pendingIndexKey = key;
    if (await state.isRoundDone(key)) return (this.pendingIndexKey = null);
    const owner = `index-${crypto.randomBytes(4).toString('hex')}`;
    if (!(await state.acquireLease(key, owner, PLAN_LEASE_MS))) {
      // Another instance plans it: help send as soon as it is planned.
      this.track(this.helpAfterPlanned(key));
      return null;
    }
    try {
      if (await state.isRoundDone(key)) return (this.pendingIndexKey = null);
      const ids = (await state.subscribers()).filter((u) => u.digestTime !== 'off').map((u) => u.id);
      if (!ids.length) {
        await state.markRoundDone(key);
        return (this.pendingIndexKey = null);
      }
      return await this.round('index-change', ids, {
        afterPlan: async () => {
          await state.markRoundDone(key);
          this.pendingIndexKey = null;
          await state.releaseLease(key, owner);
        },
      });
    } finally {
      await state.releaseLease(key, owner);
    }
  }

  /** Waits (bounded) until another instance has planned round `key`, then sends beside it. */
  private async helpAfterPlanned(key: string): Promise<void> {
    const deadline = Date.now() + PLAN_LEASE_MS;
    while (Date.now() < deadline && !this.abort.signal.aborted) {
      if (await this.deps.state.isRoundDone(key)) {
        await this.sweep();
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Sends whatever waits in the ledger (any instance's unfinished round). Null when nothing did. */
  async sweep(): Promise<DeliveryReport | null> {
    if (this.sweeping || this.abort.signal.aborted) return null;
    this.sweeping = true;
    try {
      if (!(await this.deps.state.hasUnsent())) return null;
      this.deps.log.info('digest: unsent deliveries waiting; sending them');
      return await this.round('resume', undefined, { plan: false });
    } finally {
      this.sweeping = false;
    }
  }

  /** Stops timers and listeners, stops claiming new chats, then waits for the chat being sent. */
  async stop(): Promise<void> {
    this.cron?.stop();
    this.cron = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await Promise.allSettled([...this.inflight]);
  }

  private round(
    reason: DeliveryRoundOptions['reason'],
    userIds: number[] | undefined,
    extra: Partial<Pick<DeliveryRoundOptions, 'plan' | 'afterPlan'>> = {},
  ): Promise<DeliveryReport> {
    const { engine, state, api, log, config } = this.deps;
    return runDeliveryRound({ engine, state, api, log, config, reason, userIds, signal: this.abort.signal, ...this.deps.round, ...extra });
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((e: unknown) => this.deps.log.error({ err: e }, 'digest: round failed'));
    this.inflight.add(q);
    void q.finally(() => this.inflight.delete(q));
  }
}
