/**
 * The thin SQL layer both backends share: one `Db` interface (async) with a SQLite implementation
 * (better-sqlite3, one connection, transactions serialised in-process and `BEGIN IMMEDIATE` across
 * processes) and a PostgreSQL one (`pg` pool, one pooled client per transaction).
 *
 * SQL is written once with `?` placeholders; the PostgreSQL side numbers them (`$1`, `$2`, …).
 * What differs between dialects is spelled through the helpers below (`inList`, `forUpdate`,
 * `lockKey`), so the queries in `store.ts` exist once.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
/** `col IN (...)` for a list of values, as SQL plus its one parameter. */
export function inList(db, col, values, type) {
    if (db.dialect === 'postgres')
        return [`${col} = ANY(?::${type === 'int' ? 'bigint' : 'text'}[])`, values];
    return [`${col} IN (SELECT value FROM json_each(?))`, JSON.stringify(values)];
}
/** Row lock suffix for a SELECT inside a transaction (SQLite's BEGIN IMMEDIATE already locks everything). */
export function forUpdate(db) {
    return db.dialect === 'postgres' ? ' FOR UPDATE' : '';
}
/** Serialises transactions that share a logical key (PostgreSQL advisory lock; SQLite: already serial). */
export async function lockKey(db, key) {
    if (db.dialect === 'postgres')
        await db.get('SELECT pg_advisory_xact_lock(hashtextextended(?, 0)) AS x', [key]);
}
// ─── SQLite ─────────────────────────────────────────────────────────────────────
const sqliteParam = (p) => (Array.isArray(p) ? JSON.stringify(p) : p);
/**
 * Connections of one process to the same file take turns: a transaction awaits between its
 * statements, and a second connection's BEGIN IMMEDIATE would otherwise block the event loop for
 * busy_timeout while the first can never commit. (Other processes: SQLite's own locking.)
 */
const fileLocks = new Map();
class SqliteDb {
    raw;
    turn;
    inTx;
    dialect = 'sqlite';
    constructor(raw, turn, inTx = false) {
        this.raw = raw;
        this.turn = turn;
        this.inTx = inTx;
    }
    async exclusive(fn) {
        if (this.inTx)
            return fn();
        const prev = this.turn.tail;
        let release;
        this.turn.tail = new Promise((r) => (release = r));
        try {
            await prev;
            return await fn();
        }
        finally {
            release();
        }
    }
    stmt(sql) {
        return this.raw.prepare(sql);
    }
    all(sql, params = []) {
        return this.exclusive(() => {
            const s = this.stmt(sql);
            if (!s.reader) {
                s.run(...params.map(sqliteParam));
                return [];
            }
            return s.all(...params.map(sqliteParam));
        });
    }
    async get(sql, params = []) {
        return (await this.all(sql, params))[0];
    }
    run(sql, params = []) {
        return this.exclusive(() => this.stmt(sql).run(...params.map(sqliteParam)).changes);
    }
    exec(sql) {
        return this.exclusive(() => void this.raw.exec(sql));
    }
    tx(fn) {
        if (this.inTx)
            return fn(this);
        return this.exclusive(async () => {
            this.raw.exec('BEGIN IMMEDIATE');
            try {
                const out = await fn(new SqliteDb(this.raw, this.turn, true));
                this.raw.exec('COMMIT');
                return out;
            }
            catch (e) {
                if (this.raw.inTransaction)
                    this.raw.exec('ROLLBACK');
                throw e;
            }
        });
    }
    async close() {
        await this.exclusive(() => {
            if (this.raw.open)
                this.raw.close();
        });
    }
}
/** Opens `dataDir/baowen.sqlite` (or `:memory:`), WAL, foreign keys on, 5 s busy timeout. */
export function openSqlite(dataDir) {
    let file = ':memory:';
    if (dataDir !== ':memory:') {
        fs.mkdirSync(dataDir, { recursive: true });
        file = path.join(dataDir, 'baowen.sqlite');
    }
    const raw = new Database(file);
    raw.pragma('busy_timeout = 5000');
    if (file !== ':memory:')
        raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    let turn = file === ':memory:' ? { tail: Promise.resolve() } : fileLocks.get(file);
    if (!turn)
        fileLocks.set(file, (turn = { tail: Promise.resolve() }));
    return new SqliteDb(raw, turn);
}
// ─── PostgreSQL ─────────────────────────────────────────────────────────────────
/** `?` → `$1`, `$2`, … (our SQL never has a `?` inside a literal). */
export function numberPlaceholders(sql) {
    let n = 0;
    return sql.replace(/\?/gu, () => `$${++n}`);
}
/** BIGINT (ids, epoch ms, COUNT) as JS numbers: every value we store is well inside 2^53. */
const types = {
    getTypeParser: ((oid, format) => oid === pg.types.builtins.INT8 ? (v) => Number(v) : pg.types.getTypeParser(oid, format)),
};
class PgDb {
    pool;
    client;
    dialect = 'postgres';
    constructor(pool, client = pool) {
        this.pool = pool;
        this.client = client;
    }
    async all(sql, params = []) {
        const r = await this.client.query(numberPlaceholders(sql), params);
        return r.rows;
    }
    async get(sql, params = []) {
        return (await this.all(sql, params))[0];
    }
    async run(sql, params = []) {
        const r = await this.client.query(numberPlaceholders(sql), params);
        return r.rowCount ?? 0;
    }
    async exec(sql) {
        await this.client.query(sql);
    }
    async tx(fn) {
        if (this.client !== this.pool)
            return fn(this);
        const client = await this.pool.connect();
        try {
            await client.query('BEGIN');
            const out = await fn(new PgDb(this.pool, client));
            await client.query('COMMIT');
            return out;
        }
        catch (e) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw e;
        }
        finally {
            client.release();
        }
    }
    async close() {
        if (this.client === this.pool)
            await this.pool.end();
    }
}
export function isPostgresUrl(target) {
    return /^postgres(ql)?:\/\//iu.test(target);
}
/** Splits our own `?schema=NAME` parameter off a postgres URL (pg itself does not know it). */
export function splitSchema(url) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema') ?? undefined;
    if (schema === undefined)
        return { url };
    u.searchParams.delete('schema');
    return { url: u.toString(), schema };
}
/** Connects a pool to `url` (which may carry `?schema=NAME`). Errors surface on first use. */
export function openPostgres(target, options = {}) {
    const { url, schema } = splitSchema(target);
    const opts = { ...options, schema: options.schema ?? schema };
    if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/u.test(opts.schema))
        throw new RangeError(`bad schema name ${opts.schema}`);
    const pool = new pg.Pool({
        connectionString: url,
        max: opts.max ?? 10,
        types,
        connectionTimeoutMillis: 10_000,
        ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    return new PgDb(pool);
}
//# sourceMappingURL=db.js.map