/**
 * A consistent copy of the state database while the bot runs: SQLite's online backup API
 * (better-sqlite3 `db.backup`), which copies page by page and restarts by itself if another
 * connection writes meanwhile, so the copy is one moment of the database — never a torn file.
 * The copy is written beside the target and renamed into place, then checked (`integrity_check`).
 *
 * ```ts
 * const summary = await backupState('/srv/baowen/data', '/backups/baowen-2026-12-01.sqlite');
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
export class BackupError extends Error {
    name = 'BackupError';
}
/** The state file inside DATA_DIR (as State.open names it). */
export const stateFile = (dataDir) => path.join(dataDir, 'baowen.sqlite');
export async function backupState(dataDir, target, opts = {}) {
    const source = stateFile(dataDir);
    if (!fs.existsSync(source))
        throw new BackupError(`no state database at ${source} (check DATA_DIR)`);
    const file = path.resolve(target);
    if (file === path.resolve(source))
        throw new BackupError('the backup file must not be the live database');
    if (fs.existsSync(file) && !opts.force)
        throw new BackupError(`${file} exists; choose another name or pass --force`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.partial-${process.pid}`;
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
        db.pragma('busy_timeout = 5000');
        await db.backup(tmp);
    }
    catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
    }
    finally {
        db.close();
    }
    const copy = new Database(tmp);
    try {
        const check = copy.pragma('integrity_check', { simple: true });
        if (check !== 'ok')
            throw new BackupError(`the copy failed its integrity check: ${String(check)}`);
        copy.pragma('journal_mode = DELETE'); // one self-contained file
        const n = (sql) => (copy.prepare(sql).get()?.n ?? 0);
        const has = (table) => !!copy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
        const summary = {
            users: n('SELECT COUNT(*) AS n FROM users'),
            subscriptions: n('SELECT COUNT(*) AS n FROM subscriptions'),
            deliveries: n('SELECT COUNT(*) AS n FROM deliveries'),
            updates: has('update_journal') ? n('SELECT COUNT(*) AS n FROM update_journal') : 0,
        };
        copy.close();
        fs.renameSync(tmp, file);
        return { file, bytes: fs.statSync(file).size, ...summary };
    }
    catch (e) {
        if (copy.open)
            copy.close();
        fs.rmSync(tmp, { force: true });
        throw e;
    }
}
//# sourceMappingURL=backup.js.map