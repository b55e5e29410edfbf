import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './rate-limit.js';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` per sliding window, notifies once, and recovers as old hits expire', () => {
    let now = 0;
    const l = new SlidingWindowLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => l.hit(1).allowed)).toEqual([true, true, true]);
    const over = l.hit(1);
    expect(over).toMatchObject({ allowed: false, notify: true, retryAfter: 60 });
    now = 30_000;
    expect(l.hit(1)).toMatchObject({ allowed: false, notify: false, retryAfter: 30 });
    expect(l.hit(2).allowed).toBe(true); // per user
    now = 60_001; // the first three hits have left the window
    expect(l.hit(1).allowed).toBe(true);
    expect(l.hit(1).allowed).toBe(true);
    expect(l.hit(1).allowed).toBe(true);
    expect(l.hit(1)).toMatchObject({ allowed: false, notify: true });
  });
});
