import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, State, migrate, normalizeTopic, workerLease, type Migration } from './index.js';
import { BACKENDS, freshTarget, type TestTarget } from '../../test/backends.js';

const targets: TestTarget[] = [];
const open: State[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const t of targets.splice(0)) t.cleanup();
});

describe.each(BACKENDS)('State on %s', (backend) => {
  async function fresh(): Promise<{ s: State; t: TestTarget }> {
    const t = freshTarget(backend);
    targets.push(t);
    const s = await t.open();
    open.push(s);
    return { s, t };
  }
  const another = async (t: TestTarget): Promise<State> => {
    const s = await t.open();
    open.push(s);
    return s;
  };

  it('migrates once, is idempotent on re-open, and two openers at once migrate once', async () => {
    const t = freshTarget(backend);
    targets.push(t);
    const [a, b] = await Promise.all([t.open(), t.open()]);
    open.push(a!, b!);
    await a!.upsertUser({ id: 1, chatId: 1 });
    expect(await migrate(b!.db)).toEqual([]);
    expect(await b!.db.get('SELECT COUNT(*) AS n FROM schema_migrations')).toEqual({ n: MIGRATIONS.length });
    expect((await b!.getUser(1))?.chatId).toBe(1);
    expect(b!.backend).toBe(backend);
  });

  it('rolls a failing migration back entirely', async () => {
    const { s } = await fresh();
    const bad: Migration[] = [
      ...MIGRATIONS,
      { version: 999, name: 'bad', sqlite: 'CREATE TABLE x (a INT); SELECT * FROM nope;', postgres: 'CREATE TABLE x (a INT); SELECT * FROM nope;' },
    ];
    await expect(migrate(s.db, bad)).rejects.toThrow();
    await expect(s.db.get('SELECT * FROM x')).rejects.toThrow();
    expect(await s.db.get('SELECT MAX(version) AS v FROM schema_migrations')).toEqual({ v: MIGRATIONS.at(-1)!.version });
  });

  it('upserts users, keeps settings, reactivates on contact; counts feedback', async () => {
    const { s } = await fresh();
    expect(await s.getUser(7)).toBeUndefined();
    // Telegram ids beyond 2^31 survive the round trip as numbers.
    expect(await s.upsertUser({ id: 7_000_000_001, chatId: 7_000_000_001, languageCode: 'en' })).toEqual({
      id: 7_000_000_001, chatId: 7_000_000_001, lang: null, digestTime: null, active: true,
    });
    await s.setLang(7_000_000_001, 'en');
    await s.setDigestTime(7_000_000_001, '07:30');
    await s.setActive(7_000_000_001, false);
    expect(await s.getUser(7_000_000_001)).toMatchObject({ lang: 'en', digestTime: '07:30', active: false });
    expect(await s.upsertUser({ id: 7_000_000_001, chatId: 7_000_000_001 })).toMatchObject({ lang: 'en', digestTime: '07:30', active: true });
    await s.setDigestTime(7_000_000_001, 'off');
    expect((await s.getUser(7_000_000_001))?.digestTime).toBe('off');
    await expect(s.setDigestTime(7_000_000_001, '25:00')).rejects.toThrow(RangeError);
    await s.addFeedback({ userId: 7, chatId: 70, question: 'q', vote: 1, articleIds: ['a'] });
    await s.addFeedback({ userId: 7, chatId: 70, question: 'q', vote: -1, articleIds: [] });
    expect(await s.stats()).toEqual({ users: 1, activeUsers: 1, subscriptions: 0, deliveries: 0, feedbackUp: 1, feedbackDown: 1 });
  });

  it('merges duplicate subscriptions case/width-insensitively and enforces the limit', async () => {
    const { s } = await fresh();
    await s.upsertUser({ id: 1, chatId: 1 });
    const add = (topic: string, limit = 2) => s.addSubscription({ userId: 1, chatId: 1, topic, limit, currentArticleIds: ['a1', 'a2'] });
    expect((await add('  Ｂｅｉｊｉｎｇ  Ｅｃｏｎｏｍｙ ')).status).toBe('added');
    expect(await add('beijing economy')).toMatchObject({ status: 'exists' });
    expect(normalizeTopic('ＡＢＣ　植树')).toBe('abc 植树');
    expect((await add('植树')).status).toBe('added');
    expect(await add('女职工')).toEqual({ status: 'limit', limit: 2, count: 2 });
    expect((await s.listSubscriptions({ chatId: 1 })).map((x) => x.topic)).toEqual(['Ｂｅｉｊｉｎｇ  Ｅｃｏｎｏｍｙ', '植树']);
    expect((await s.listSubscriptions({ userId: 1 }))[0]!.sinceSeq).toBe(2); // articles present at subscription time are not new
    expect((await s.removeSubscriptionByTopic(1, 'BEIJING economy'))?.topic).toBe('Ｂｅｉｊｉｎｇ  Ｅｃｏｎｏｍｙ');
    expect(await s.removeSubscription(2, (await s.listSubscriptions({ chatId: 1 }))[0]!.id)).toBeUndefined(); // other chat
    expect(await s.listSubscriptions({ chatId: 1 })).toHaveLength(1);
  });

  it('claims a digest day exactly once, also when two instances claim at the same moment', async () => {
    const { s, t } = await fresh();
    const other = await another(t);
    const ids = Array.from({ length: 50 }, (_, i) => i + 1);
    for (const id of ids) await s.upsertUser({ id, chatId: id });
    const [a, b] = await Promise.all([s.claimDigestDay(ids, '2024-03-01'), other.claimDigestDay(ids, '2024-03-01')]);
    expect([...a!, ...b!].sort((x, y) => x - y)).toEqual(ids);
    expect(await s.claimDigestDay(ids, '2024-03-01')).toEqual([]);
    expect(await other.claimDigestDay([1], '2024-03-02')).toEqual([1]);
  });

  it('leases exclude other live owners and are taken over when expired, dead or stale', async () => {
    const { s, t } = await fresh();
    expect(await s.acquireLease('d', 'run-a', 1000, { now: 0 })).toBe(true);
    expect(await s.acquireLease('d', 'run-b', 1000, { now: 10 })).toBe(false);
    expect(await s.acquireLease('d', 'run-a', 1000, { now: 10 })).toBe(true); // renew
    expect(await s.acquireLease('d', 'run-b', 1000, { now: 2000 })).toBe(true); // expired
    await s.releaseLease('d', 'run-b');
    expect(await s.acquireLease('d', 'run-c', 1000, { now: 0 })).toBe(true);
    expect(await s.acquireLease('d', 'run-x', 1000, { now: 1, isAlive: () => false })).toBe(false); // our own live pid
    await s.db.run("UPDATE leases SET owner = 'ghost', pid = 999999"); // a dead process on this host
    expect(await s.acquireLease('d', 'run-d', 1000, { now: 0, isAlive: () => false })).toBe(true);
    // Of many simultaneous takers on two connections, exactly one wins.
    const other = await another(t);
    const wins = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? s : other).acquireLease('race', `r${i}`, 60_000)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('plans idempotently, claims whole chats once across two connections, recovers abandoned rows', async () => {
    const { s, t } = await fresh();
    const other = await another(t);
    const subs: number[] = [];
    for (let u = 1; u <= 20; u++) {
      await s.upsertUser({ id: u, chatId: u });
      const r = await s.addSubscription({ userId: u, chatId: u, topic: '植树', limit: 5, currentArticleIds: [] });
      if (r.status === 'added') subs.push(r.subscription.id);
    }
    const payload = { articleId: 'x', file: 'f', kicker: null, title: 't', byline: null, keySentence: 'k', probability: 1 };
    const fresh1 = subs.flatMap((id) => ['a1', 'a2'].map((articleId) => ({ subscriptionId: id, articleId, payload })));
    // Two instances plan the same round at once: one row per (subscription, article).
    const added = await Promise.all([s.planDeliveries('p1', undefined, fresh1), other.planDeliveries('p2', undefined, fresh1)]);
    expect(added[0]! + added[1]!).toBe(40);
    expect(await s.planDeliveries('p3', undefined, fresh1)).toBe(0);

    await s.acquireLease(workerLease('w1'), 'w1', 60_000);
    await other.acquireLease(workerLease('w2'), 'w2', 60_000);
    const claimedBy = new Map<number, string>();
    const worker = async (st: State, id: string) => {
      for (let i = 0; i < 100; i++) {
        const rows = await st.claimChats(id, { maxChats: 3 });
        if (!rows.length) return;
        for (const r of rows) {
          expect(claimedBy.has(r.id)).toBe(false);
          claimedBy.set(r.id, id);
        }
        // Every claimed chat comes with both its rows.
        const perChat = new Map<number, number>();
        for (const r of rows) perChat.set(r.chatId, (perChat.get(r.chatId) ?? 0) + 1);
        expect([...perChat.values()].every((n) => n === 2)).toBe(true);
      }
    };
    await Promise.all([worker(s, 'w1'), worker(other, 'w2')]);
    expect(claimedBy.size).toBe(40);
    expect(await s.claimChats('w1', { maxChats: 100 })).toEqual([]);
    await s.markSent([...claimedBy.keys()], 1);

    // w2 claims 5 chats, hands 2 rows to Telegram, and dies: its lease is gone. Its claimed rows go
    // back to pending (no skip), its sending rows become unknown (never resent).
    await s.planDeliveries('p4', undefined, subs.map((id) => ({ subscriptionId: id, articleId: 'a3', payload })));
    const w2rows = (await other.claimChats('w2', { maxChats: 5 })).map((r) => r.id);
    expect(w2rows).toHaveLength(5);
    expect(await other.markSending(w2rows.slice(0, 2), 'w2')).toBe(true);
    expect(await s.markSending(w2rows.slice(2, 3), 'w1')).toBe(false); // not w1's rows
    await other.db.run("DELETE FROM leases WHERE name = 'worker:w2'");
    expect(await s.recoverAbandoned()).toEqual({ requeued: 3, unknown: 2 });
    expect(await s.recoverAbandoned()).toEqual({ requeued: 0, unknown: 0 }); // w1 is alive
    const again = await s.claimChats('w1', { maxChats: 100 });
    expect(again).toHaveLength(15 + 3);
    expect(w2rows.slice(2).every((id) => again.some((r) => r.id === id))).toBe(true);
    expect(await s.hasUnsent()).toBe(true);
    await s.markSent(again.slice(0, 10).map((r) => r.id), 5);
    expect(await s.releaseClaims('w1')).toBe(8);
    expect(await s.deliveries({ status: 'pending' })).toHaveLength(8);
    expect(await s.deliveries({ status: 'unknown' })).toHaveLength(2);
  });

  it('reads a row planned before the payload field was renamed (score → probability)', async () => {
    const { s } = await fresh();
    await s.upsertUser({ id: 1, chatId: 1 });
    const r = await s.addSubscription({ userId: 1, chatId: 1, topic: '植树', limit: 5, currentArticleIds: [] });
    if (r.status !== 'added') throw new Error('not added');
    const payload = { articleId: 'x', file: 'f', kicker: null, title: 't', byline: null, keySentence: 'k', probability: 0.25 };
    await s.planDeliveries('p1', undefined, [{ subscriptionId: r.subscription.id, articleId: 'x', payload }]);
    await s.db.run('UPDATE deliveries SET payload = ?', [JSON.stringify({ ...payload, probability: undefined, score: 0.75 })]);
    const [row] = await s.deliveries();
    expect(row!.payload.probability).toBe(0.75);
    expect(row!.payload).not.toHaveProperty('score');
  });

  it('shares one token bucket and one per-user rate limit between connections', async () => {
    const { s, t } = await fresh();
    const other = await another(t);
    // 10/s, burst 10: at one instant, 10 tokens in total whoever asks.
    const waits = await Promise.all(Array.from({ length: 14 }, (_, i) => (i % 2 ? s : other).takeToken('b', 10, 10, 1000)));
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
    expect(Math.min(...waits.filter((w) => w > 0))).toBe(100);
    expect(await s.takeToken('b', 10, 10, 1100)).toBe(0); // refilled by one after 100 ms

    const hits = await Promise.all(Array.from({ length: 5 }, (_, i) => (i % 2 ? s : other).rateHit(9, 3, 60_000, 5000)));
    expect(hits.filter((h) => h.allowed)).toHaveLength(3);
    expect(hits.filter((h) => h.notify)).toHaveLength(1);
    expect(await s.rateHit(9, 3, 60_000, 5000 + 60_001)).toMatchObject({ allowed: true });
  });

  it('keeps answers and votes where every instance can read them', async () => {
    const { s, t } = await fresh();
    const other = await another(t);
    await s.putAnswer('k1', { question: '问题', quotes: [], citations: [] });
    expect(await other.getAnswer('k1')).toEqual({ question: '问题', quotes: [], citations: [] });
    expect(await other.getAnswer('nope')).toBeUndefined();
    await other.updateAnswer('k1', { question: '问题', quotes: [], citations: [], moreShown: 4 });
    expect((await s.getAnswer('k1'))?.moreShown).toBe(4);
    await s.setRecentAnswer(-100, 5, 'k1', 1000);
    await other.setRecentAnswer(-100, 5, 'k2', 2000); // the later answer wins, whoever stored it
    expect(await s.recentAnswer(-100, 5, 1500)).toBe('k2');
    expect(await s.recentAnswer(-100, 5, 2500)).toBeUndefined(); // too old for a follow-up
    expect(await s.recentAnswer(-100, 6, 0)).toBeUndefined();
    expect(await s.addAnswerVote('k1', 5)).toBe(true);
    expect(await other.addAnswerVote('k1', 5)).toBe(false);
    expect(await other.markRoundDone('index:g1')).toBe(true);
    expect(await s.markRoundDone('index:g1')).toBe(false);
    expect(await s.isRoundDone('index:g1')).toBe(true);
  });
});
