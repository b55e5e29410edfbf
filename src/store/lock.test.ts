import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexLockedError } from './errors.js';
import { acquireLock, LOCK_FILE, tryLock } from './lock.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const writeLock = (dir: string, info: object): void => fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(info));

describe('writer lock', () => {
  it('is exclusive, names its holder, and is free again after release', () => {
    const dir = tmp();
    const lock = tryLock(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    let err: unknown;
    try {
      tryLock(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IndexLockedError);
    expect((err as IndexLockedError).pid).toBe(process.pid);
    expect((err as Error).message).toMatch(/Another indexer \(pid \d+\) is writing/);
    lock.release();
    lock.release(); // idempotent
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    tryLock(dir).release();
  });

  it('takes over the stale lock of a dead process on this host', () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeLock(dir, { pid: dead, host: os.hostname(), startedAt: new Date().toISOString() });
    const lock = tryLock(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock with our own pid that this process does not hold (restarted container)', () => {
    const dir = tmp();
    writeLock(dir, { pid: process.pid, host: os.hostname(), startedAt: 'earlier' });
    tryLock(dir).release();
  });

  it('respects a fresh lock from another host, but not one untouched for over 10 minutes', () => {
    const dir = tmp();
    writeLock(dir, { pid: 1, host: 'some-other-container', startedAt: 'now' });
    expect(() => tryLock(dir)).toThrow(IndexLockedError);
    const old = new Date(Date.now() - 11 * 60_000);
    fs.utimesSync(path.join(dir, LOCK_FILE), old, old);
    tryLock(dir).release();
  });

  it('acquireLock waits for the holder when asked to', async () => {
    const dir = tmp();
    const first = tryLock(dir);
    setTimeout(() => first.release(), 300);
    await expect(acquireLock(dir)).rejects.toThrow(IndexLockedError);
    const second = await acquireLock(dir, { waitMs: 3000 });
    second.release();
  });
});
