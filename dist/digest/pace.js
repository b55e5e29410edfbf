export const realClock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
/** Serves concurrent `take()` callers of this process one after another. */
class QueuedBucket {
    ratePerSecond;
    burst;
    queue = Promise.resolve();
    constructor(ratePerSecond, burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        if (!(ratePerSecond > 0))
            throw new RangeError('ratePerSecond must be > 0');
    }
    /** Waits for one token. Concurrent callers are served in order. */
    take() {
        const next = this.queue.then(() => this.takeNow());
        this.queue = next.catch(() => undefined);
        return next;
    }
}
export class TokenBucket extends QueuedBucket {
    clock;
    tokens;
    last;
    /** `ratePerSecond` tokens refill per second, up to `burst` (default: one second's worth, at least 1). */
    constructor(ratePerSecond, burst = Math.max(1, Math.floor(ratePerSecond)), clock = realClock) {
        super(ratePerSecond, burst);
        this.clock = clock;
        this.tokens = burst;
        this.last = clock.now();
    }
    async takeNow() {
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
    state;
    clock;
    name;
    constructor(state, ratePerSecond, burst = Math.max(1, Math.floor(ratePerSecond)), clock = realClock, name = BROADCAST_BUCKET) {
        super(ratePerSecond, burst);
        this.state = state;
        this.clock = clock;
        this.name = name;
    }
    async takeNow() {
        for (;;) {
            const wait = await this.state.takeToken(this.name, this.ratePerSecond, this.burst, this.clock.now());
            if (wait === 0)
                return;
            await this.clock.sleep(wait);
        }
    }
}
const shared = new WeakMap();
/**
 * One database bucket per State and rate, shared by every round of this process. Burst 1: sends
 * are spread evenly, so no second ever sees more than the rate (+1) from all instances together.
 */
export function sharedDbBucket(state, ratePerSecond, clock = realClock) {
    let byRate = shared.get(state);
    if (!byRate)
        shared.set(state, (byRate = new Map()));
    let b = byRate.get(ratePerSecond);
    if (!b)
        byRate.set(ratePerSecond, (b = new DbTokenBucket(state, ratePerSecond, 1, clock)));
    return b;
}
//# sourceMappingURL=pace.js.map