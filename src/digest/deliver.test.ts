import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { State } from '../state/index.js';
import { runDeliveryRound, type DeliveryRoundOptions } from './deliver.js';
import { FakeApi, FakeEngine, fakeArticle, telegramError } from './fakes.js';
import { MESSAGE_LIMIT } from './format.js';
import { TokenBucket, type Clock } from './pace.js';

const log = pino({ level: 'silent' });
const config = { BROADCAST_PER_SECOND: 1000, DEFAULT_LANG: 'zh' as const };

/** A clock that never waits: sleeping advances time and is recorded. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 1_700_000_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

const dirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-digest-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(dataDir = ':memory:') {
  const state = State.open(dataDir);
  const engine = new FakeEngine([fakeArticle('old-1', '德胜街道总工会组织职工开展植树活动'), fakeArticle('old-2', '女职工普法讲座')]);
  const api = new FakeApi();
  const clock = fakeClock();
  const round = (extra: Partial<DeliveryRoundOptions> = {}) =>
    runDeliveryRound({
      engine,
      state,
      api,
      log,
      config,
      reason: 'schedule',
      clock,
      bucket: new TokenBucket(1000, 1000, clock),
      ...extra,
    });
  const subscribe = (userId: number, topic: string) => {
    state.upsertUser({ id: userId, chatId: userId });
    return state.addSubscription({
      userId,
      chatId: userId,
      topic,
      limit: 20,
      currentArticleIds: engine.articles.keys(),
    });
  };
  return { state, engine, api, clock, round, subscribe };
}

describe('runDeliveryRound', () => {
  it('delivers only reports indexed after subscribing, exactly once, grouped by topic', async () => {
    const { state, engine, api, round, subscribe } = setup();
    subscribe(1, '植树');
    subscribe(1, '女职工');
    expect((await round()).sent).toEqual([]); // existing matches were previewed, not "new"
    engine.add(
      fakeArticle('new-1', '经开区总工会开展植树志愿活动'),
      fakeArticle('new-2', '女职工植树节 <特别> 活动 & 讲座'),
      fakeArticle('new-3', '与订阅无关的报道'),
    );
    const r = await round();
    expect(r.sent).toEqual([{ chatId: 1, userId: 1, articles: ['new-1', 'new-2'], messages: 1 }]);
    expect(api.sent).toHaveLength(1);
    const text = api.sent[0]!.text;
    expect(text).toContain('话题：植树');
    expect(text).toContain('经开区总工会开展植树志愿活动');
    expect(text).toContain('&lt;特别&gt; 活动 &amp; 讲座'); // HTML escaped
    expect(text).toContain('同时属于话题：女职工'); // shown once, under its first topic
    expect(text).toContain('<blockquote>经开区总工会开展植树志愿活动。</blockquote>');
    expect(text).toContain('来源：记者 测试'); // the reader never sees a page file name
    expect(text).not.toContain('.txt');
    expect(text).not.toContain('德胜街道');
    // Both subscriptions have their row for new-2; a second round sends nothing.
    expect(state.deliveries({ status: 'sent' })).toHaveLength(3);
    expect((await round()).sent).toEqual([]);
    expect(api.sent).toHaveLength(1);
    state.close();
  });

  it('writes each chat in its own language', async () => {
    const { state, engine, api, round, subscribe } = setup();
    subscribe(2, 'tree');
    state.setLang(2, 'en');
    engine.add(fakeArticle('n', 'tree planting'));
    await round();
    expect(api.sent[0]!.text).toContain('Topic: tree');
    state.close();
  });

  it('splits at 4096 characters on item boundaries', async () => {
    const { state, engine, api, round, subscribe } = setup();
    subscribe(1, '植树');
    const long = '植树'.repeat(400) + '。';
    engine.add(...Array.from({ length: 12 }, (_, i) => fakeArticle(`n${i}`, `第${i}篇植树报道`, long)));
    const r = await round();
    expect(r.sent[0]!.messages).toBeGreaterThan(1);
    expect(api.sent.length).toBe(r.sent[0]!.messages);
    for (const m of api.sent) {
      expect(m.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(m.text.split('<blockquote>').length - 1).toBe(m.text.split('</blockquote>').length - 1);
    }
    const all = api.sent.map((m) => m.text).join('\n');
    for (let i = 0; i < 12; i++) expect(all.split(`第${i}篇植树报道`).length - 1).toBe(1);
    const rows = state.deliveries({ status: 'sent' });
    expect(new Set(rows.map((x) => x.messageId)).size).toBe(api.sent.length);
    state.close();
  });

  it('crash between send and record: the ambiguous message is not resent, never-attempted ones are', async () => {
    const dir = tmpDir();
    const { state, engine, api, round, subscribe } = setup(dir);
    for (const u of [1, 2, 3]) subscribe(u, '植树');
    engine.add(fakeArticle('new-1', '经开区植树'));
    // Crash right after Telegram accepted the message for chat 2, before the DB write.
    const realMarkSent = state.markSent.bind(state);
    let n = 0;
    state.markSent = (ids, messageId) => {
      if (++n === 2) throw new Error('simulated crash');
      realMarkSent(ids, messageId);
    };
    await expect(round()).rejects.toThrow('simulated crash');
    expect(api.sent.map((m) => m.chatId)).toEqual([1, 2]);
    state.close();

    // "Restart": a fresh State on the same file.
    const state2 = State.open(dir);
    const clock = fakeClock();
    const r = await runDeliveryRound({
      engine, state: state2, api, log, config, reason: 'resume', clock, bucket: new TokenBucket(1000, 1000, clock),
    });
    expect(r.interrupted).toBe(1);
    expect(api.sent.map((m) => m.chatId)).toEqual([1, 2, 3]);
    expect(state2.deliveries().map((d) => [d.chatId, d.status])).toEqual([
      [1, 'sent'],
      [2, 'unknown'],
      [3, 'sent'],
    ]);
    const r3 = await runDeliveryRound({
      engine, state: state2, api, log, config, reason: 'resume', clock, bucket: new TokenBucket(1000, 1000, clock),
    });
    expect(r3.sent).toEqual([]);
    expect(api.sent).toHaveLength(3);
    state2.close();
  });

  it('crash by SIGKILL mid-fan-out in another process: restart resumes without repeating', () => {
    const dir = tmpDir();
    const fixture = fileURLToPath(new URL('./crash-fixture.ts', import.meta.url));
    const run = (mode: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', fixture, dir, mode], { encoding: 'utf8', timeout: 30_000 });
    const first = run('crash');
    expect(first.signal).toBe('SIGKILL');
    const second = run('resume');
    expect(second.status, second.stderr).toBe(0);
    const sends = fs.readFileSync(path.join(dir, 'sends.log'), 'utf8').trim().split('\n');
    // chats 1..4; the kill hit right after chat 2's message was accepted.
    expect(sends).toEqual(['1', '2', '3', '4']);
    const report = JSON.parse(second.stdout) as { interrupted: number; sent: { chatId: number }[] };
    expect(report.interrupted).toBe(1);
    expect(report.sent.map((s) => s.chatId)).toEqual([3, 4]);
  });

  it('403 marks the user inactive and never retries; other users are unaffected', async () => {
    const { state, engine, api, round, subscribe } = setup();
    for (const u of [1, 2, 3]) subscribe(u, '植树');
    api.failNext(2, telegramError(403, 'Forbidden: bot was blocked by the user'));
    engine.add(fakeArticle('new-1', '经开区植树'));
    const r = await round();
    expect(r.sent.map((s) => s.chatId)).toEqual([1, 3]);
    expect(r.failed).toMatchObject([{ chatId: 2, blocked: true }]);
    expect(state.getUser(2)?.active).toBe(false);
    engine.add(fakeArticle('new-2', '更多植树'));
    await round();
    expect(api.sent.filter((m) => m.chatId === 2)).toHaveLength(0);
    expect(state.deliveries({ status: 'blocked' })).toHaveLength(1);
    expect(state.stats().activeUsers).toBe(2);
    state.close();
  });

  it('honours 429 retry_after and sends once', async () => {
    const { state, engine, api, clock, round, subscribe } = setup();
    subscribe(1, '植树');
    api.failNext(1, telegramError(429, 'Too Many Requests: retry after 7', 7));
    engine.add(fakeArticle('new-1', '经开区植树'));
    const r = await round();
    expect(clock.slept).toContain(7000);
    expect(api.attempts).toBe(2);
    expect(api.sent).toHaveLength(1);
    expect(r.sent).toHaveLength(1);
    state.close();
  });

  it('other errors fail the message and the next round retries it', async () => {
    const { state, engine, api, round, subscribe } = setup();
    subscribe(1, '植树');
    subscribe(2, '植树');
    api.failNext(1, telegramError(500, 'Internal Server Error'));
    engine.add(fakeArticle('new-1', '经开区植树'));
    const r = await round();
    expect(r.failed).toMatchObject([{ chatId: 1, blocked: false }]);
    expect(r.sent.map((s) => s.chatId)).toEqual([2]);
    expect(state.hasUnsent()).toBe(true);
    const r2 = await round();
    expect(r2.sent.map((s) => s.chatId)).toEqual([1]);
    expect(api.sent.map((m) => m.chatId)).toEqual([2, 1]);
    expect(state.hasUnsent()).toBe(false);
    state.close();
  });

  it('paces the fan-out under BROADCAST_PER_SECOND', async () => {
    const { state, engine, clock, round, subscribe } = setup();
    for (let u = 1; u <= 20; u++) subscribe(u, '植树');
    engine.add(fakeArticle('new-1', '经开区植树'));
    const start = clock.now();
    await round({ bucket: new TokenBucket(5, 5, clock) });
    // 20 sends at 5/s with a burst of 5: the last 15 wait 3 s in total.
    expect(clock.now() - start).toBeGreaterThanOrEqual(3000);
    expect(clock.now() - start).toBeLessThan(3300);
    state.close();
  });

  it('waits for, then gives up on, a round of another live process (lease)', async () => {
    const { state, round, subscribe } = setup();
    subscribe(1, '植树');
    state.acquireLease('delivery', 'other-process', 60_000, { now: 1_700_000_000_000 });
    // Pretend the holder is another live process.
    state.db.prepare('UPDATE leases SET pid = ?').run(process.ppid);
    const r = await round({ leaseWaitMs: 1000 });
    expect(r.busy).toBe(true);
    state.close();
  });

  it('only the given users when userIds is passed; inactive users never', async () => {
    const { state, engine, api, round, subscribe } = setup();
    subscribe(1, '植树');
    subscribe(2, '植树');
    subscribe(3, '植树');
    state.setActive(3, false);
    engine.add(fakeArticle('new-1', '经开区植树'));
    await round({ userIds: [2, 3] });
    expect(api.sent.map((m) => m.chatId)).toEqual([2]);
    await round();
    expect(api.sent.map((m) => m.chatId)).toEqual([2, 1]);
    state.close();
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then one token per 1/rate seconds', async () => {
    const clock = fakeClock();
    const b = new TokenBucket(2, 2, clock);
    const t0 = clock.now();
    for (let i = 0; i < 6; i++) await b.take();
    expect(clock.now() - t0).toBe(2000);
  });
});
