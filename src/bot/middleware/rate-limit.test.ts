import { afterEach, describe, expect, it } from 'vitest';
import type { State } from '../../state/index.js';
import { BACKENDS, freshTarget, type TestTarget } from '../../../test/backends.js';
import { StateRateLimiter } from './rate-limit.js';

const targets: TestTarget[] = [];
const states: State[] = [];
afterEach(async () => {
  for (const s of states.splice(0)) await s.close();
  for (const t of targets.splice(0)) t.cleanup();
});

describe.each(BACKENDS)('StateRateLimiter on %s', (backend) => {
  it('allows `limit` per sliding window across instances, notifies once, recovers as old hits expire', async () => {
    const t = freshTarget(backend);
    targets.push(t);
    const [a, b] = [await t.open(), await t.open()];
    states.push(a, b);
    let now = 0;
    // Two instances, one limit: hits alternate between them.
    const la = new StateRateLimiter(a, 3, 60_000, () => now);
    const lb = new StateRateLimiter(b, 3, 60_000, () => now);
    expect([await la.hit(1), await lb.hit(1), await la.hit(1)].map((d) => d.allowed)).toEqual([true, true, true]);
    expect(await lb.hit(1)).toMatchObject({ allowed: false, notify: true, retryAfter: 60 });
    now = 30_000;
    expect(await la.hit(1)).toMatchObject({ allowed: false, notify: false, retryAfter: 30 });
    expect((await lb.hit(2)).allowed).toBe(true); // per user
    now = 60_001; // the first three hits have left the window
    expect((await la.hit(1)).allowed).toBe(true);
    expect((await lb.hit(1)).allowed).toBe(true);
    expect((await la.hit(1)).allowed).toBe(true);
    expect(await lb.hit(1)).toMatchObject({ allowed: false, notify: true });
  });
});
