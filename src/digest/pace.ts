/**
 * A token bucket that paces broadcast sends under BROADCAST_PER_SECOND (Telegram allows ~30
 * messages per second across chats). Clock and sleep are injectable so tests never wait.
 *
 * ```ts
 * const bucket = new TokenBucket(25);
 * await bucket.take(); // resolves when a send is allowed
 * ```
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  /** `ratePerSecond` tokens refill per second, up to `burst` (default: one second's worth, at least 1). */
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number = Math.max(1, Math.floor(ratePerSecond)),
    private readonly clock: Clock = realClock,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be > 0');
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Waits for one token. Concurrent callers are served in order. */
  take(): Promise<void> {
    const next = this.queue.then(() => this.takeNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async takeNow(): Promise<void> {
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

const shared = new Map<number, TokenBucket>();

/** One bucket per rate per process, shared by every round (scheduler, index change, /digest, CLI). */
export function sharedBucket(ratePerSecond: number): TokenBucket {
  let b = shared.get(ratePerSecond);
  if (!b) shared.set(ratePerSecond, (b = new TokenBucket(ratePerSecond)));
  return b;
}
