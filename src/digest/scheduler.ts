/**
 * When digests go out:
 * - **Daily**: a croner job every minute (timezone DIGEST_TZ) finds users whose digest time (their
 *   own, or DIGEST_TIME) has come today and who have not had today's digest, claims the day in the
 *   database (`last_digest_date`, atomic — a restart in the same minute sends nothing twice) and runs
 *   a round for them. A bot that was down at 08:00 catches up later the same day; only new reports
 *   are ever sent, so catching up never repeats anything.
 * - **Index change**: `engine.onIndexChange` (new pages from `npm run index` in another process, or
 *   /reindex) → one round for every subscriber a few seconds later (debounced, well within 60 s).
 * - **Resume**: at start, if a crashed round left never-attempted rows, a round sends them.
 *
 * `digest_time = 'off'` means no automatic digests at all (neither daily nor on index change);
 * `/digest` still works on demand.
 */
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
  config: Pick<Config, 'BROADCAST_PER_SECOND' | 'DEFAULT_LANG' | 'DIGEST_TIME' | 'DIGEST_TZ'>;
  /** Delay after an index change before the round (default 3 s; more changes meanwhile merge). */
  debounceMs?: number;
  /** Extra round options (tests: bucket, clock, translate). */
  round?: Partial<Pick<DeliveryRoundOptions, 'bucket' | 'clock' | 'translate' | 'leaseWaitMs'>>;
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

  constructor(private readonly deps: SchedulerDeps) {}

  /** Starts the minute job and the index-change listener; resumes a crashed round if needed. */
  start(): void {
    const { config, engine, log, state } = this.deps;
    this.cron = new Cron('* * * * *', { timezone: config.DIGEST_TZ, protect: true }, () => this.track(this.tick()));
    this.unsubscribe = engine.onIndexChange(() => this.indexChanged());
    if (state.hasUnsent()) {
      log.info('digest: unsent deliveries from an earlier run; resuming');
      this.track(this.round('resume'));
    }
    log.info({ tz: config.DIGEST_TZ, defaultTime: config.DIGEST_TIME }, 'digest scheduler started');
  }

  /**
   * The minute job: runs today's digest for every user whose time has come (at or before `now`,
   * local to DIGEST_TZ) and who has not had it today. Returns the round, or null if nobody was due.
   */
  async tick(now: Date = new Date()): Promise<DeliveryReport | null> {
    const { config, state } = this.deps;
    const { date, time } = localDateTime(now, config.DIGEST_TZ);
    const due = state
      .unclaimedDigestUsers(date)
      .filter((u) => (u.digestTime ?? config.DIGEST_TIME) <= time)
      .map((u) => u.id);
    if (!due.length) return null;
    const claimed = state.claimDigestDay(due, date);
    if (!claimed.length) return null;
    return this.round('schedule', claimed);
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

  /** The index-change round itself: every subscriber whose automatic digests are not off. */
  indexRound(): Promise<DeliveryReport | null> {
    const ids = this.deps.state
      .subscribers()
      .filter((u) => u.digestTime !== 'off')
      .map((u) => u.id);
    return ids.length ? this.round('index-change', ids) : Promise.resolve(null);
  }

  /** Stops timers and listeners, then waits for a running round to finish. */
  async stop(): Promise<void> {
    this.cron?.stop();
    this.cron = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inflight]);
  }

  private round(reason: DeliveryRoundOptions['reason'], userIds?: number[]): Promise<DeliveryReport> {
    const { engine, state, api, log, config } = this.deps;
    return runDeliveryRound({ engine, state, api, log, config, reason, userIds, ...this.deps.round });
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((e: unknown) => this.deps.log.error({ err: e }, 'digest: round failed'));
    this.inflight.add(q);
    void q.finally(() => this.inflight.delete(q));
  }
}
