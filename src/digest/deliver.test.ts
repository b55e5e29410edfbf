import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { State } from '../state/index.js';
import { BACKENDS, freshTarget, type TestTarget } from '../../test/backends.js';
import { runDeliveryRound, type DeliveryRoundOptions, type DigestApi } from './deliver.js';
import { FakeApi, FakeEngine, fakeArticle, telegramError } from '../../test/digest/fakes.js';
import { MAX_MESSAGE } from '../text/html.js';
import { DbTokenBucket, TokenBucket, realClock, type Clock } from './pace.js';

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

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-digest-'));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

describe.each(BACKENDS)('runDeliveryRound on %s', (backend) => {
  async function setup() {
    const target: TestTarget = freshTarget(backend);
    cleanups.push(() => target.cleanup());
    const state = await target.open();
    cleanups.push(() => state.close());
    const engine = new FakeEngine([fakeArticle('old-1', '德胜街道总工会组织职工开展植树活动'), fakeArticle('old-2', '女职工普法讲座')]);
    const api = new FakeApi();
    const clock = fakeClock();
    const round = (extra: Partial<DeliveryRoundOptions> = {}) =>
      runDeliveryRound({ engine, state, api, log, config, reason: 'schedule', clock, bucket: new TokenBucket(1000, 1000, clock), ...extra });
    const subscribe = async (userId: number, topic: string, st: State = state) => {
      await st.upsertUser({ id: userId, chatId: userId });
      return st.addSubscription({ userId, chatId: userId, topic, limit: 20, currentArticleIds: engine.articles.keys() });
    };
    const another = async () => {
      const s = await target.open();
      cleanups.push(() => s.close());
      return s;
    };
    return { target, state, engine, api, clock, round, subscribe, another };
  }

  it('delivers only reports indexed after subscribing, exactly once, grouped by topic', async () => {
    const { state, engine, api, round, subscribe } = await setup();
    await subscribe(1, '植树');
    await subscribe(1, '女职工');
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
    expect(await state.deliveries({ status: 'sent' })).toHaveLength(3);
    expect((await round()).sent).toEqual([]);
    expect(api.sent).toHaveLength(1);
  });

  it('writes each chat in its own language', async () => {
    const { state, engine, api, round, subscribe } = await setup();
    await subscribe(2, 'tree');
    await state.setLang(2, 'en');
    engine.add(fakeArticle('n', 'tree planting'));
    await round();
    expect(api.sent[0]!.text).toContain('Topic: tree');
  });

  it('splits at 4096 characters on item boundaries', async () => {
    const { state, engine, api, round, subscribe } = await setup();
    await subscribe(1, '植树');
    const long = '植树'.repeat(400) + '。';
    engine.add(...Array.from({ length: 12 }, (_, i) => fakeArticle(`n${i}`, `第${i}篇植树报道`, long)));
    const r = await round();
    expect(r.sent[0]!.messages).toBeGreaterThan(1);
    expect(api.sent.length).toBe(r.sent[0]!.messages);
    for (const m of api.sent) {
      expect(m.text.length).toBeLessThanOrEqual(MAX_MESSAGE);
      expect(m.text.split('<blockquote>').length - 1).toBe(m.text.split('</blockquote>').length - 1);
    }
    const all = api.sent.map((m) => m.text).join('\n');
    for (let i = 0; i < 12; i++) expect(all.split(`第${i}篇植树报道`).length - 1).toBe(1);
    const rows = await state.deliveries({ status: 'sent' });
    expect(new Set(rows.map((x) => x.messageId)).size).toBe(api.sent.length);
  });

  it('crash between send and record: the ambiguous message is not resent, never-attempted ones are', async () => {
    const { state, engine, api, round, subscribe, another } = await setup();
    for (const u of [1, 2, 3]) await subscribe(u, '植树');
    engine.add(fakeArticle('new-1', '经开区植树'));
    // Crash right after Telegram accepted the message for chat 2, before the DB write; the dead
    // worker's lease is gone (as after a restart of its host).
    const realMarkSent = state.markSent.bind(state);
    let n = 0;
    state.markSent = async (ids, messageId) => {
      if (++n === 2) {
        await state.db.run("DELETE FROM leases WHERE name LIKE 'worker:%'");
        throw new Error('simulated crash');
      }
      return realMarkSent(ids, messageId);
    };
    const releaseClaims = state.releaseClaims.bind(state);
    state.releaseClaims = async () => 0; // a crash releases nothing
    await expect(round()).rejects.toThrow('simulated crash');
    state.releaseClaims = releaseClaims;
    expect(api.sent.map((m) => m.chatId)).toEqual([1, 2]);

    // "Restart": a fresh connection to the same database.
    const state2 = await another();
    const clock = fakeClock();
    const resume = () =>
      runDeliveryRound({ engine, state: state2, api, log, config, reason: 'resume', plan: false, clock, bucket: new TokenBucket(1000, 1000, clock) });
    const r = await resume();
    expect(r.interrupted).toBe(1);
    expect(r.requeued).toBe(1);
    expect(api.sent.map((m) => m.chatId)).toEqual([1, 2, 3]);
    expect((await state2.deliveries()).map((d) => [d.chatId, d.status])).toEqual([
      [1, 'sent'],
      [2, 'unknown'],
      [3, 'sent'],
    ]);
    expect((await resume()).sent).toEqual([]);
    expect(api.sent).toHaveLength(3);
  });

  it('crash by SIGKILL mid-fan-out in another process: restart resumes without repeating', async () => {
    const { target } = await setup();
    const dir = tmpDir();
    const fixture = fileURLToPath(new URL('../../test/digest/crash-fixture.ts', import.meta.url));
    const run = (mode: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', fixture, target.target, dir, mode], { encoding: 'utf8', timeout: 30_000 });
    const first = run('crash');
    expect(first.signal, first.stderr).toBe('SIGKILL');
    const second = run('resume');
    expect(second.status, second.stderr).toBe(0);
    const sends = fs.readFileSync(path.join(dir, 'sends.log'), 'utf8').trim().split('\n');
    // chats 1..4; the kill hit right after chat 2's message was accepted.
    expect(sends).toEqual(['1', '2', '3', '4']);
    const report = JSON.parse(second.stdout) as { interrupted: number; sent: { chatId: number }[] };
    expect(report.interrupted).toBe(1);
    expect(report.sent.map((s) => s.chatId)).toEqual([3, 4]);
  });

  it('two workers on two connections at once: every subscriber exactly one digest, paced together', async () => {
    const { state, engine, subscribe, another } = await setup();
    const other = await another();
    for (let u = 1; u <= 40; u++) await subscribe(u, '植树');
    engine.add(fakeArticle('new-1', '经开区植树'), fakeArticle('new-2', '通州区植树'));
    const sends: number[] = [];
    let nextId = 1;
    const api: DigestApi = {
      async sendMessage(chatId) {
        sends.push(chatId);
        await new Promise((r) => setTimeout(r, 2));
        return { message_id: nextId++ };
      },
    };
    // One shared bucket in the database: 40 messages at 40/s with a burst of 20 need ≥ 0.5 s in total.
    const cfg = { ...config, BROADCAST_PER_SECOND: 40 };
    const started = Date.now();
    const [a, b] = await Promise.all(
      [state, other].map((st) =>
        runDeliveryRound({ engine, state: st, api, log, config: cfg, reason: 'index-change', bucket: new DbTokenBucket(st, 40, 20, realClock) }),
      ),
    );
    const elapsed = Date.now() - started;
    expect(sends.sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(a!.sent.length + b!.sent.length).toBe(40);
    expect((await state.deliveries({ status: 'sent' })).length).toBe(80);
    expect(elapsed).toBeGreaterThanOrEqual(450);
  });

  it('a worker that stalls past its lease loses its claims: the other sends them, the stalled one sends nothing twice', async () => {
    const { state, engine, subscribe, another } = await setup();
    const other = await another();
    for (let u = 1; u <= 6; u++) await subscribe(u, '植树');
    engine.add(fakeArticle('new-1', '经开区植树'));
    const sends: number[] = [];
    let nextId = 1;
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    const stallingApi: DigestApi = {
      async sendMessage(chatId) {
        if (chatId === 1) await stalled; // "hangs" inside its first send
        sends.push(chatId);
        return { message_id: nextId++ };
      },
    };
    const okApi: DigestApi = {
      async sendMessage(chatId) {
        sends.push(chatId);
        return { message_id: nextId++ };
      },
    };
    const clock = fakeClock();
    const cfg = { ...config, DIGEST_WORKER_TTL_MS: 1000 };
    const a = runDeliveryRound({ engine, state, api: stallingApi, log, config: cfg, reason: 'schedule', clock, bucket: new TokenBucket(1000, 1000, clock) });
    // Wait until worker A is stuck in chat 1 with all six chats claimed.
    for (let i = 0; i < 200 && (await state.deliveries({ status: 'sending' })).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await state.deliveries({ status: 'claimed' })).length).toBe(5);
    // Its lease expires (the clock moves past the TTL): worker B recovers and sends chats 2-6.
    await clock.sleep(5000);
    const b = await runDeliveryRound({ engine, state: other, api: okApi, log, config: cfg, reason: 'resume', plan: false, clock, bucket: new TokenBucket(1000, 1000, clock) });
    expect(b.requeued).toBe(5);
    expect(b.interrupted).toBe(1); // chat 1 was mid-send: unknown, not resent
    expect(b.sent.map((s) => s.chatId)).toEqual([2, 3, 4, 5, 6]);
    // A wakes up: its send of chat 1 completes, and it does not touch the chats B took.
    release();
    const ra = await a;
    expect(ra.sent.map((s) => s.chatId)).toEqual([1]);
    expect(sends.sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('403 marks the user inactive and never retries; other users are unaffected', async () => {
    const { state, engine, api, round, subscribe } = await setup();
    for (const u of [1, 2, 3]) await subscribe(u, '植树');
    api.failNext(2, telegramError(403, 'Forbidden: bot was blocked by the user'));
    engine.add(fakeArticle('new-1', '经开区植树'));
    const r = await round();
    expect(r.sent.map((s) => s.chatId)).toEqual([1, 3]);
    expect(r.failed).toMatchObject([{ chatId: 2, blocked: true }]);
    expect((await state.getUser(2))?.active).toBe(false);
    engine.add(fakeArticle('new-2', '更多植树'));
    await round();
    expect(api.sent.filter((m) => m.chatId === 2)).toHaveLength(0);
    expect(await state.deliveries({ status: 'blocked' })).toHaveLength(1);
    expect((await state.stats()).activeUsers).toBe(2);
  });

  it('honours 429 retry_after and sends once', async () => {
    const { engine, api, clock, round, subscribe } = await setup();
    await subscribe(1, '植树');
    api.failNext(1, telegramError(429, 'Too Many Requests: retry after 7', 7));
    engine.add(fakeArticle('new-1', '经开区植树'));
    const r = await round();
    expect(clock.slept).toContain(7000);
    expect(api.attempts).toBe(2);
    expect(api.sent).toHaveLength(1);
    expect(r.sent).toHaveLength(1);
  });

  it('other errors fail the message and the next round retries it', async () => {
    const { state, engine, api, round, subscribe } = await setup();
    await subscribe(1, '植树');
    await subscribe(2, '植树');
    api.failNext(1, telegramError(500, 'Internal Server Error'));
    engine.add(fakeArticle('new-1', '经开区植树'));
    const r = await round();
    expect(r.failed).toMatchObject([{ chatId: 1, blocked: false }]);
    expect(r.sent.map((s) => s.chatId)).toEqual([2]);
    expect(await state.hasUnsent()).toBe(true);
    const r2 = await round();
    expect(r2.sent.map((s) => s.chatId)).toEqual([1]);
    expect(api.sent.map((m) => m.chatId)).toEqual([2, 1]);
    expect(await state.hasUnsent()).toBe(false);
  });

  it('paces the fan-out under BROADCAST_PER_SECOND with the database bucket', async () => {
    const { state, engine, clock, round, subscribe } = await setup();
    for (let u = 1; u <= 20; u++) await subscribe(u, '植树');
    engine.add(fakeArticle('new-1', '经开区植树'));
    const start = clock.now();
    await round({ bucket: new DbTokenBucket(state, 5, 5, clock) });
    // 20 sends at 5/s with a burst of 5: the last 15 wait 3 s in total.
    expect(clock.now() - start).toBeGreaterThanOrEqual(3000);
    expect(clock.now() - start).toBeLessThan(3300);
  });

  it('only the given users when userIds is passed; inactive users never', async () => {
    const { state, engine, api, round, subscribe } = await setup();
    await subscribe(1, '植树');
    await subscribe(2, '植树');
    await subscribe(3, '植树');
    await state.setActive(3, false);
    engine.add(fakeArticle('new-1', '经开区植树'));
    await round({ userIds: [2, 3] });
    expect(api.sent.map((m) => m.chatId)).toEqual([2]);
    await round();
    expect(api.sent.map((m) => m.chatId)).toEqual([2, 1]);
  });

  it('stops claiming chats once aborted (SIGTERM) and leaves the rest pending for others', async () => {
    const { state, engine, api, round, subscribe } = await setup();
    for (let u = 1; u <= 4; u++) await subscribe(u, '植树');
    engine.add(fakeArticle('new-1', '经开区植树'));
    const ac = new AbortController();
    const r = await round({ signal: ac.signal, onChatDone: (chatId) => void (chatId === 2 && ac.abort()) });
    expect(r.sent.map((s) => s.chatId)).toEqual([1, 2]);
    expect((await state.deliveries({ status: 'pending' })).map((d) => d.chatId)).toEqual([3, 4]);
    expect(api.sent).toHaveLength(2);
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
