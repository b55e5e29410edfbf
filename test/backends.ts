/**
 * Test support (not app code): the two backends, each test in a fresh database.
 * PostgreSQL comes from BAOWEN_TEST_DATABASE_URL (test/global-setup.ts starts a throwaway server);
 * each `freshTarget('postgres')` is a new schema in it, so tests never see each other's rows.
 *
 * ```ts
 * describe.each(BACKENDS)('thing (%s)', (backend) => {
 *   it('…', async () => { const t = await freshTarget(backend); const s = await t.open(); … });
 * });
 * ```
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Backend } from '../src/state/types.js';
import { State } from '../src/state/index.js';

export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];

export function testDatabaseUrl(): string {
  const url = process.env.BAOWEN_TEST_DATABASE_URL;
  if (!url) throw new Error('BAOWEN_TEST_DATABASE_URL is not set (run through vitest: test/global-setup.ts starts PostgreSQL)');
  return url;
}

export interface TestTarget {
  backend: Backend;
  /** What State.open / DATABASE_URL / DATA_DIR take: a data directory or a postgres URL. */
  target: string;
  /** For PostgreSQL: the schema (also in `target` as `?schema=…`). */
  schema?: string;
  /** Opens one more connection (pool) to the same database. */
  open(): Promise<State>;
  /** Env for a child process (`DATA_DIR` or `DATABASE_URL`). */
  env: Record<string, string>;
  cleanup(): void;
}

/** A fresh, empty database on `backend` (SQLite: a temp dir; PostgreSQL: a new schema). */
export function freshTarget(backend: Backend): TestTarget {
  if (backend === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-state-'));
    return {
      backend,
      target: dir,
      open: () => State.open(dir),
      env: { DATA_DIR: dir },
      cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const base = testDatabaseUrl();
  const url = `${base}${base.includes('?') ? '&' : '?'}schema=${schema}`;
  return {
    backend,
    target: url,
    schema,
    open: () => State.open(base, { schema }),
    env: { DATABASE_URL: url },
    cleanup: () => undefined,
  };
}
