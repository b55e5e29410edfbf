import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { State } from '../state/index.js';
import { BACKENDS, freshTarget, type TestTarget } from '../../test/backends.js';
import { FakeApi, FakeEngine, fakeArticle } from '../../test/digest/fakes.js';
import { TokenBucket } from './pace.js';
import { DigestScheduler, localDateTime } from './scheduler.js';

const log = pino({ level: 'silent' });
const config = { BROADCAST_PER_SECOND: 1000, DEFAULT_LANG: 'zh' as const, DIGEST_TIME: '08:00', DIGEST_TZ: 'Asia/Shanghai' };
/** 2024-03-01 in Beijing (UTC+8) at the given local time. */
const beijing = (day: number, hhmm: string) => new Date(`2024-03-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`);

/** Waits (at most 10 s) until `cond` holds: rounds run in the background. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(target: TestTarget, engine = new FakeEngine([fakeArticle('old', '旧的植树报道')]), api = new FakeApi()) {
  const state: State = await target.open();
  cleanups.push(() => state.close());
  const scheduler = new DigestScheduler({
    engine,
    state,
    api,
    log,
    config,
    debounceMs: 20,
    round: { bucket: new TokenBucket(1000, 1000) },
  });
  const subscribe = async (id: number, topic = '植树', time: string | null = null) => {
    await state.upsertUser({ id, chatId: id });
    if (time) await state.setDigestTime(id, time);
    await state.addSubscription({ userId: id, chatId: id, topic, limit: 20, currentArticleIds: engine.articles.keys() });
  };
  return { state, engine, api, scheduler, subscribe };
}

describe('localDateTime', () => {
  it('reads the wall clock of the digest time zone', () => {
    expect(localDateTime(new Date('2024-03-01T00:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2024-03-01', time: '08:30' });
    expect(localDateTime(new Date('2024-03-01T16:00:00Z'), 'Asia/Shanghai')).toEqual({ date: '2024-03-02', time: '00:00' });
  });
});

describe.each(BACKENDS)('DigestScheduler on %s', (backend) => {
  const target = () => {
    const t = freshTarget(backend);
    cleanups.push(() => t.cleanup());
    return t;
  };

  it("fires at each user's time (own or default), once per day, skipping 'off'", async () => {
    const { state, engine, api, scheduler, subscribe } = await setup(target());
    await subscribe(1); // default 08:00
    await subscribe(2, '植树', '09:30');
    await subscribe(3, '植树', 'off');
    // Delivered only by scheduled rounds here: add without index-change listeners.
    engine.articles.set('new-1', fakeArticle('new-1', '新的植树报道'));

    expect(await scheduler.tick(beijing(1, '07:59'))).toBeNull();
    const r1 = await scheduler.tick(beijing(1, '08:00'));
    expect(r1?.sent.map((s) => s.chatId)).toEqual([1]);
    expect(await scheduler.tick(beijing(1, '08:00'))).toBeNull(); // same minute again
    expect(await scheduler.tick(beijing(1, '09:00'))).toBeNull();
    const r2 = await scheduler.tick(beijing(1, '09:30'));
    expect(r2?.sent.map((s) => s.chatId)).toEqual([2]);
    expect(await scheduler.tick(beijing(1, '23:59'))).toBeNull();
    expect(api.sent.map((m) => m.chatId)).toEqual([1, 2]);

    // Next day: due again, but nothing new → no message.
    engine.articles.set('new-2', fakeArticle('new-2', '第二天的植树报道'));
    const r3 = await scheduler.tick(beijing(2, '08:01')); // catch-up after a late start
    expect(r3?.sent.map((s) => [s.chatId, s.articles])).toEqual([[1, ['new-2']]]);
    expect((await state.getUser(3))?.digestTime).toBe('off');
    expect(api.sent.some((m) => m.chatId === 3)).toBe(false);
  });

  it('a restart within the same minute sends nothing twice', async () => {
    const t = target();
    const engine = new FakeEngine([fakeArticle('old', '旧的植树报道')]);
    const api = new FakeApi();
    const a = await setup(t, engine, api);
    await a.subscribe(1);
    engine.articles.set('new-1', fakeArticle('new-1', '新的植树报道'));
    await a.scheduler.tick(beijing(1, '08:00'));
    const b = await setup(t, engine, api);
    expect(await b.scheduler.tick(beijing(1, '08:00'))).toBeNull();
    expect(api.sent).toHaveLength(1);
  });

  it('two instances ticking the same minute: each due user gets one digest', async () => {
    const t = target();
    const engine = new FakeEngine([fakeArticle('old', '旧的植树报道')]);
    const api = new FakeApi();
    const a = await setup(t, engine, api);
    const b = await setup(t, engine, api);
    for (let u = 1; u <= 30; u++) await a.subscribe(u);
    engine.articles.set('new-1', fakeArticle('new-1', '新的植树报道'));
    await Promise.all([a.scheduler.tick(beijing(1, '08:00')), b.scheduler.tick(beijing(1, '08:00'))]);
    // Whatever one instance planned but left (it lost the lease race), the other's sweep sends.
    await Promise.all([a.scheduler.sweep(), b.scheduler.sweep()]);
    expect(api.sent.map((m) => m.chatId).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await Promise.all([a.scheduler.minute(beijing(1, '08:01')), b.scheduler.minute(beijing(1, '08:01'))]);
    expect(api.sent).toHaveLength(30);
  });

  it('runs one debounced round for everyone (not "off") after new pages are indexed', async () => {
    const { engine, api, scheduler, subscribe } = await setup(target());
    await subscribe(1);
    await subscribe(2, '植树', '21:00');
    await subscribe(3, '植树', 'off');
    scheduler.start();
    engine.add(fakeArticle('new-1', '新的植树报道'));
    engine.add(fakeArticle('new-2', '又一篇植树报道')); // merged into the same round
    await until(() => api.sent.length >= 2);
    await new Promise((r) => setTimeout(r, 100)); // nothing more comes
    await scheduler.stop();
    expect(api.sent.map((m) => m.chatId)).toEqual([1, 2]);
    expect(api.sent.every((m) => m.text.includes('又一篇植树报道') && m.text.includes('新的植树报道'))).toBe(true);
  });

  it('the round after an index change runs once across two instances, and again if its planner died', async () => {
    const t = target();
    const engine = new FakeEngine([fakeArticle('old', '旧的植树报道')]);
    const api = new FakeApi();
    const a = await setup(t, engine, api);
    const b = await setup(t, engine, api);
    for (let u = 1; u <= 10; u++) await a.subscribe(u);
    engine.articles.set('new-1', fakeArticle('new-1', '新的植树报道'));
    const [ra, rb] = await Promise.all([a.scheduler.indexRound(), b.scheduler.indexRound()]);
    expect([ra, rb].filter((r) => r !== null)).toHaveLength(1);
    expect(engine.matchCalls).toEqual(['植树']); // planned once
    await Promise.all([a.scheduler.sweep(), b.scheduler.sweep()]);
    expect(api.sent).toHaveLength(10);
    expect(await a.scheduler.indexRound()).toBeNull(); // same generation: done

    // Next generation: the planner holds the lease but "dies" before planning (lease expires).
    engine.articles.set('new-2', fakeArticle('new-2', '又一篇植树报道'));
    const { indexRoundKey } = await import('./scheduler.js');
    const key = indexRoundKey(engine.articles.keys());
    expect(await a.state.acquireLease(key, 'dead-planner', 60_000, { now: Date.now() - 120_000 })).toBe(true);
    expect(await b.scheduler.indexRound()).not.toBeNull(); // expired: b plans and sends
    expect(api.sent).toHaveLength(20);
  });

  it('resumes never-attempted deliveries at start', async () => {
    const { state, engine, api, scheduler, subscribe } = await setup(target());
    await subscribe(1);
    engine.articles.set('new-1', fakeArticle('new-1', '新的植树报道'));
    await state.recordArticles(['new-1']);
    const sub = (await state.listSubscriptions({ userId: 1 }))[0]!;
    await state.planDeliveries('crashed-run', [1], [
      {
        subscriptionId: sub.id,
        articleId: 'new-1',
        payload: { articleId: 'new-1', file: 'new-1.txt', kicker: null, title: '新的植树报道', byline: null, keySentence: '句。', probability: 1 },
      },
    ]);
    scheduler.start();
    await until(() => api.sent.length >= 1);
    await scheduler.stop();
    expect(api.sent).toHaveLength(1);
    expect(await state.hasUnsent()).toBe(false);
  });
});
