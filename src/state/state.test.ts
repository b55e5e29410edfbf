import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, State, migrate, normalizeTopic } from './index.js';

const dirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-state-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('State migrations', () => {
  it('creates the schema once and is idempotent on re-open', () => {
    const dir = tmpDir();
    const a = State.open(dir);
    a.upsertUser({ id: 1, chatId: 1 });
    expect(a.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(a.db.pragma('foreign_keys', { simple: true })).toBe(1);
    a.close();
    const b = State.open(dir);
    expect(migrate(b.db)).toEqual([]);
    expect(b.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
    expect(b.getUser(1)?.chatId).toBe(1);
    b.close();
  });

  it('rolls a failing migration back entirely', () => {
    const s = State.open(':memory:');
    const bad = [...MIGRATIONS, { version: 999, name: 'bad', sql: 'CREATE TABLE x (a INT); SELECT * FROM nope;' }];
    expect(() => migrate(s.db, bad)).toThrow();
    expect(s.db.prepare("SELECT name FROM sqlite_master WHERE name = 'x'").get()).toBeUndefined();
    expect(s.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    s.close();
  });
});

describe('State users and feedback', () => {
  it('upserts users, keeps settings, reactivates on contact', () => {
    const s = State.open(':memory:');
    expect(s.getUser(7)).toBeUndefined();
    expect(s.upsertUser({ id: 7, chatId: 70, languageCode: 'en' })).toEqual({
      id: 7, chatId: 70, lang: null, digestTime: null, active: true,
    });
    s.setLang(7, 'en');
    s.setDigestTime(7, '07:30');
    s.setActive(7, false);
    expect(s.getUser(7)).toMatchObject({ lang: 'en', digestTime: '07:30', active: false });
    expect(s.upsertUser({ id: 7, chatId: 70 })).toMatchObject({ lang: 'en', digestTime: '07:30', active: true });
    s.setDigestTime(7, 'off');
    expect(s.getUser(7)?.digestTime).toBe('off');
    expect(() => s.setDigestTime(7, '25:00')).toThrow(RangeError);
    s.addFeedback({ userId: 7, chatId: 70, question: 'q', vote: 1, articleIds: ['a'] });
    s.addFeedback({ userId: 7, chatId: 70, question: 'q', vote: -1, articleIds: [] });
    expect(s.stats()).toEqual({
      users: 1, activeUsers: 1, subscriptions: 0, deliveries: 0, feedbackUp: 1, feedbackDown: 1,
    });
    s.close();
  });
});

describe('State subscriptions', () => {
  it('merges duplicates case/width-insensitively and enforces the limit', () => {
    const s = State.open(':memory:');
    s.upsertUser({ id: 1, chatId: 1 });
    const add = (topic: string, limit = 2) =>
      s.addSubscription({ userId: 1, chatId: 1, topic, limit, currentArticleIds: ['a1', 'a2'] });
    const first = add('  Ｂｅｉｊｉｎｇ  Ｅｃｏｎｏｍｙ ');
    expect(first.status).toBe('added');
    expect(add('beijing economy')).toMatchObject({ status: 'exists' });
    expect(normalizeTopic('ＡＢＣ　植树')).toBe('abc 植树');
    expect(add('植树').status).toBe('added');
    expect(add('女职工')).toEqual({ status: 'limit', limit: 2, count: 2 });
    expect(s.listSubscriptions({ chatId: 1 }).map((x) => x.topic)).toEqual(['Ｂｅｉｊｉｎｇ  Ｅｃｏｎｏｍｙ', '植树']);
    // Articles present at subscription time are not new to it.
    expect(s.listSubscriptions({ userId: 1 })[0]!.sinceSeq).toBe(2);
    expect(s.removeSubscriptionByTopic(1, 'BEIJING economy')?.topic).toBe('Ｂｅｉｊｉｎｇ  Ｅｃｏｎｏｍｙ');
    expect(s.removeSubscription(2, s.listSubscriptions({ chatId: 1 })[0]!.id)).toBeUndefined(); // other chat
    expect(s.listSubscriptions({ chatId: 1 })).toHaveLength(1);
    s.close();
  });

  it('claims a digest day exactly once', () => {
    const s = State.open(':memory:');
    s.upsertUser({ id: 1, chatId: 1 });
    s.upsertUser({ id: 2, chatId: 2 });
    expect(s.claimDigestDay([1, 2], '2024-03-01')).toEqual([1, 2]);
    expect(s.claimDigestDay([1, 2], '2024-03-01')).toEqual([]);
    expect(s.claimDigestDay([1], '2024-03-02')).toEqual([1]);
    s.close();
  });
});

describe('State leases', () => {
  it('excludes other live owners, takes over expired or dead ones', () => {
    const s = State.open(':memory:');
    expect(s.acquireLease('d', 'run-a', 1000, { now: 0 })).toBe(true);
    expect(s.acquireLease('d', 'run-b', 1000, { now: 10 })).toBe(false);
    expect(s.acquireLease('d', 'run-a', 1000, { now: 10 })).toBe(true); // renew
    expect(s.acquireLease('d', 'run-b', 1000, { now: 2000 })).toBe(true); // expired
    s.releaseLease('d', 'run-b');
    expect(s.acquireLease('d', 'run-c', 1000, { now: 0 })).toBe(true);
    // A lease row left by an earlier process with our pid (container restart) is stale.
    s.db.prepare("UPDATE leases SET owner = 'ghost'").run();
    expect(s.acquireLease('d', 'run-d', 1000, { now: 0 })).toBe(true);
    s.close();
  });
});
