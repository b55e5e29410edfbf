/**
 * A throwaway PostgreSQL server for tests and scripts: Debian's `postgresql` package, `initdb` in a
 * temporary folder, listening on 127.0.0.1 on a free port, trust auth, durability off (fast).
 * PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` system user.
 *
 * ```ts
 * const pg = await startThrowawayPostgres();   // { url: 'postgres://baowen@127.0.0.1:PORT/postgres', stop }
 * await pg.stop();
 * ```
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface ThrowawayPostgres {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** The folder with initdb/pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/N/bin, else PATH. */
export function postgresBinDir(): string | null {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      'PostgreSQL is not installed (no initdb found). Install it (Debian: apt-get install -y postgresql) or set PG_BIN, ' +
        'or point BAOWEN_TEST_DATABASE_URL at a server you own.',
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-pg-'));
  const data = path.join(dir, 'data');
  const run = (cmd: string, args: string[]): void => {
    const full = path.join(bin, cmd);
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe' });
    else execFileSync(full, args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(dir, uid, gid);
    fs.chmodSync(dir, 0o700);
  }
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-U', 'baowen', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    const opts = [
      `-p ${port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${dir}'`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
    ].join(' ');
    run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
  } catch (e) {
    const log = path.join(dir, 'server.log');
    const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
    const err = e as { stderr?: Buffer; message: string };
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a throwaway PostgreSQL: ${err.stderr?.toString() ?? err.message}\n${tail}`);
  }
  let stopped = false;
  return {
    url: `postgres://baowen@127.0.0.1:${port}/postgres`,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
