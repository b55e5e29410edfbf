/**
 * Token buckets that pace broadcast sends under BROADCAST_PER_SECOND (Telegram allows ~30
 * messages per second across chats, for the bot as a whole — so for all instances together).
 * `DbTokenBucket` keeps the bucket in the state store (every instance takes from the same one);
 * `TokenBucket` is the in-process version (tests, one-off tools). Clock and sleep are injectable
 * so tests never wait.
 *
 * ```ts
 * const bucket = sharedDbBucket(state, 25);
 * await bucket.take(); // resolves when a send is allowed
 * ```
 */
import type { State } from '../state/index.js';

export interface Bucket {
  /** Resolves when one more send is allowed. */
  take(): Promise<void>;
}
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Serves concurrent `take()` callers of this process one after another. */
abstract class QueuedBucket implements Bucket {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be > 0');
  }

  /** Waits for one token. Concurrent callers are served in order. */
  take(): Promise<void> {
    const next = this.queue.then(() => this.takeNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  protected abstract takeNow(): Promise<void>;
}

export class TokenBucket extends QueuedBucket {
  private tokens: number;
  private last: number;

  /** `ratePerSecond` tokens refill per second, up to `burst` (default: one second's worth, at least 1). */
  constructor(
    ratePerSecond: number,
    burst: number = Math.max(1, Math.floor(ratePerSecond)),
    private readonly clock: Clock = realClock,
  ) {
    super(ratePerSecond, burst);
    this.tokens = burst;
    this.last = clock.now();
  }

  protected async takeNow(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
    }
  }
}

/** The bucket row every instance shares (one per bot: Telegram counts per bot token). */
export const BROADCAST_BUCKET = 'telegram-broadcast';

export class DbTokenBucket extends QueuedBucket {
  constructor(
    private readonly state: Pick<State, 'takeToken'>,
    ratePerSecond: number,
    burst: number = Math.max(1, Math.floor(ratePerSecond)),
    private readonly clock: Clock = realClock,
    readonly name = BROADCAST_BUCKET,
  ) {
    super(ratePerSecond, burst);
  }

  protected async takeNow(): Promise<void> {
    for (;;) {
      const wait = await this.state.takeToken(this.name, this.ratePerSecond, this.burst, this.clock.now());
      if (wait === 0) return;
      await this.clock.sleep(wait);
    }
  }
}

const shared = new WeakMap<object, Map<number, DbTokenBucket>>();

/**
 * One database bucket per State and rate, shared by every round of this process. Burst 1: sends
 * are spread evenly, so no second ever sees more than the rate (+1) from all instances together.
 */
export function sharedDbBucket(state: State, ratePerSecond: number, clock: Clock = realClock): DbTokenBucket {
  let byRate = shared.get(state);
  if (!byRate) shared.set(state, (byRate = new Map()));
  let b = byRate.get(ratePerSecond);
  if (!b) byRate.set(ratePerSecond, (b = new DbTokenBucket(state, ratePerSecond, 1, clock)));
  return b;
}
