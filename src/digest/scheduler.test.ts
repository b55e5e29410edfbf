import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { State } from '../state/index.js';
import { FakeApi, FakeEngine, fakeArticle } from './fakes.js';
import { TokenBucket } from './pace.js';
import { DigestScheduler, localDateTime } from './scheduler.js';

const log = pino({ level: 'silent' });
const config = { BROADCAST_PER_SECOND: 1000, DEFAULT_LANG: 'zh' as const, DIGEST_TIME: '08:00', DIGEST_TZ: 'Asia/Shanghai' };
/** 2024-03-01 in Beijing (UTC+8) at the given local time. */
const beijing = (day: number, hhmm: string) => new Date(`2024-03-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(dataDir = ':memory:', engine = new FakeEngine([fakeArticle('old', '旧的植树报道')]), api = new FakeApi()) {
  const state = State.open(dataDir);
  const scheduler = new DigestScheduler({
    engine,
    state,
    api,
    log,
    config,
    debounceMs: 20,
    round: { bucket: new TokenBucket(1000, 1000) },
  });
  const subscribe = (id: number, topic = '植树', time: string | null = null) => {
    state.upsertUser({ id, chatId: id });
    if (time) state.setDigestTime(id, time);
    state.addSubscription({ userId: id, chatId: id, topic, limit: 20, currentArticleIds: engine.articles.keys() });
  };
  return { state, engine, api, scheduler, subscribe };
}

describe('localDateTime', () => {
  it('reads the wall clock of the digest time zone', () => {
    expect(localDateTime(new Date('2024-03-01T00:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2024-03-01', time: '08:30' });
    expect(localDateTime(new Date('2024-03-01T16:00:00Z'), 'Asia/Shanghai')).toEqual({ date: '2024-03-02', time: '00:00' });
  });
});

describe('DigestScheduler.tick', () => {
  it("fires at each user's time (own or default), once per day, skipping 'off'", async () => {
    const { state, engine, api, scheduler, subscribe } = setup();
    subscribe(1); // default 08:00
    subscribe(2, '植树', '09:30');
    subscribe(3, '植树', 'off');
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
    expect(state.getUser(3)?.digestTime).toBe('off');
    expect(api.sent.some((m) => m.chatId === 3)).toBe(false);
    state.close();
  });

  it('a restart within the same minute sends nothing twice', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-sched-'));
    dirs.push(dir);
    const engine = new FakeEngine([fakeArticle('old', '旧的植树报道')]);
    const api = new FakeApi();
    const a = setup(dir, engine, api);
    a.subscribe(1);
    engine.articles.set('new-1', fakeArticle('new-1', '新的植树报道'));
    await a.scheduler.tick(beijing(1, '08:00'));
    a.state.close();
    const b = setup(dir, engine, api);
    expect(await b.scheduler.tick(beijing(1, '08:00'))).toBeNull();
    expect(api.sent).toHaveLength(1);
    b.state.close();
  });
});

describe('DigestScheduler index changes', () => {
  it('runs one debounced round for everyone (not "off") after new pages are indexed', async () => {
    const { state, engine, api, scheduler, subscribe } = setup();
    subscribe(1);
    subscribe(2, '植树', '21:00');
    subscribe(3, '植树', 'off');
    scheduler.start();
    engine.add(fakeArticle('new-1', '新的植树报道'));
    engine.add(fakeArticle('new-2', '又一篇植树报道')); // merged into the same round
    await new Promise((r) => setTimeout(r, 200));
    await scheduler.stop();
    expect(api.sent.map((m) => m.chatId)).toEqual([1, 2]);
    expect(api.sent.every((m) => m.text.includes('又一篇植树报道') && m.text.includes('新的植树报道'))).toBe(true);
    state.close();
  });

  it('resumes never-attempted deliveries at start', async () => {
    const { state, engine, api, scheduler, subscribe } = setup();
    subscribe(1);
    engine.articles.set('new-1', fakeArticle('new-1', '新的植树报道'));
    state.recordArticles(['new-1']);
    const sub = state.listSubscriptions({ userId: 1 })[0]!;
    state.planDeliveries('crashed-run', [1], [
      {
        subscriptionId: sub.id,
        articleId: 'new-1',
        payload: { articleId: 'new-1', file: 'new-1.txt', kicker: null, title: '新的植树报道', byline: null, keySentence: '句。', score: 1 },
      },
    ]);
    scheduler.start();
    await new Promise((r) => setTimeout(r, 100));
    await scheduler.stop();
    expect(api.sent).toHaveLength(1);
    expect(state.hasUnsent()).toBe(false);
    state.close();
  });
});
