/**
 * The writer lock: `<indexDir>/.lock`, so `npm run index` and the bot's /reindex never write the
 * same index at the same time. Readers never lock (they follow `CURRENT`, see disk.ts).
 *
 * The file holds `{ pid, host, startedAt }` and the holder refreshes its mtime every 10 s.
 * A lock is stale, and is taken over, when
 *  - it was written on this host and its pid is no longer alive (a crashed `npm run index`), or
 *  - its pid is our own but this process does not hold it (a restarted container where we are pid 1 again), or
 *  - its mtime is older than 10 minutes (a holder in another container/host that died).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IndexLockedError } from './errors.js';
import { isErrno } from './disk.js';
export const LOCK_FILE = '.lock';
const HEARTBEAT_MS = 10_000;
const STALE_MS = 10 * 60_000;
/** Locks this process holds, by path (a second in-process writer must wait like any other). */
const held = new Set();
/**
 * Takes the writer lock for `dir` or throws {@link IndexLockedError} naming the holder.
 * With `waitMs`, retries every 200 ms until it is free or the time is up.
 *
 * @example
 * const lock = await acquireLock(config.indexDir);
 * try { ...write... } finally { lock.release(); }
 */
export async function acquireLock(dir, opts = {}) {
    const deadline = Date.now() + (opts.waitMs ?? 0);
    for (;;) {
        try {
            return tryLock(dir);
        }
        catch (e) {
            if (!(e instanceof IndexLockedError) || Date.now() >= deadline)
                throw e;
            await new Promise((r) => setTimeout(r, 200));
        }
    }
}
/** Synchronous, non-waiting {@link acquireLock}. */
export function tryLock(dir) {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
        const info = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
        try {
            fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx' });
            return hold(file);
        }
        catch (e) {
            if (!isErrno(e, 'EEXIST'))
                throw e;
        }
        const existing = readLock(file);
        if (existing === 'gone')
            continue;
        if (!isStale(file, existing))
            throw new IndexLockedError(dir, existing?.pid ?? 0);
        // Take over: remove only if the file is still the stale one we looked at (narrows the race window).
        const again = readLock(file);
        if (again !== 'gone' && JSON.stringify(again) === JSON.stringify(existing))
            fs.rmSync(file, { force: true });
    }
    const last = readLock(file);
    throw new IndexLockedError(dir, last === 'gone' || last === null ? 0 : last.pid);
}
function hold(file) {
    held.add(file);
    const timer = setInterval(() => {
        const now = new Date();
        try {
            fs.utimesSync(file, now, now);
        }
        catch {
            // Lock file removed under us; release() will not complain.
        }
    }, HEARTBEAT_MS);
    timer.unref();
    let released = false;
    return {
        file,
        release() {
            if (released)
                return;
            released = true;
            clearInterval(timer);
            held.delete(file);
            const info = readLock(file);
            if (info !== 'gone' && info?.pid === process.pid)
                fs.rmSync(file, { force: true });
        },
    };
}
/** The lock's content; null when unreadable (a writer mid-write or garbage), 'gone' when absent. */
function readLock(file) {
    try {
        const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
        if (typeof parsed.pid !== 'number')
            return null;
        return { pid: parsed.pid, host: String(parsed.host ?? ''), startedAt: String(parsed.startedAt ?? '') };
    }
    catch (e) {
        if (isErrno(e, 'ENOENT'))
            return 'gone';
        return null;
    }
}
function isStale(file, info) {
    let mtimeMs;
    try {
        mtimeMs = fs.statSync(file).mtimeMs;
    }
    catch {
        return true;
    }
    if (Date.now() - mtimeMs > STALE_MS)
        return true;
    if (info === null)
        return false; // being written right now, or garbage that will age out
    if (info.host !== os.hostname())
        return false;
    if (info.pid === process.pid)
        return !held.has(file);
    return !pidAlive(info.pid);
}
function pidAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (e) {
        return isErrno(e, 'EPERM'); // exists, owned by someone else
    }
}
//# sourceMappingURL=lock.js.map