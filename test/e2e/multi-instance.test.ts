/**
 * Two `npm start` instances (the compiled dist/main.js, as `npm start` runs it) in webhook mode,
 * sharing one PostgreSQL and one INDEX_DIR, behind "one URL": the emulator posts updates to them
 * alternately. 300 users subscribe; a new page is indexed by another process → every user gets
 * exactly one digest. Then again with one instance SIGKILLed mid-round and restarted → still at
 * most one each, and everyone gets theirs except, at most, the one user whose message was in flight
 * at the kill: its row is `unknown` and it is never resent (at most once). Whether that user got
 * the message depends on where the kill fell — after Telegram accepted it (the user has it: they
 * are among the delivered AND the unknown) or before the request arrived (they do not) — so
 * "nobody skipped" is: delivered ∪ unknown = everyone, not delivered + unknown (which counts that
 * user twice in the first case: the "301 vs 300" seen once under load was this, not a duplicate).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { runIndexer } from '../../src/indexer/run.js';
import type { State } from '../../src/state/index.js';
import { freshTarget, type TestTarget } from '../backends.js';
import { BotApiEmulator, type RecordedCall } from '../emulator/bot-api.js';
import { freePort } from '../postgres.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEEDS = path.join(ROOT, 'seeds');
const NEW_PAGE = '000_bdfee85d2e472dd3.txt'; // carries 德胜街道总工会组织职工开展植树活动
const SECOND_PAGE = '005_e2e0000000000002.txt'; // the same report under a new page name: new article ids
const USERS = Array.from({ length: 300 }, (_, i) => 50_000 + i);
const SECRET = 'multi_instance_secret';

const visible = (c: RecordedCall): string => c.parsed?.text ?? String(c.params.text ?? '');
const isDigest = (c: RecordedCall): boolean => c.method === 'sendMessage' && c.ok && /订阅摘要|topic digest/u.test(visible(c));

/** A time zone where it is about noon now, so DIGEST_TIME 23:59 never falls due during the test. */
function noonZone(): string {
  const offset = 12 - new Date().getUTCHours(); // -11 … +12
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

interface Instance {
  port: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
  /** ms from spawn to /healthz 200 */
  readyMs: number;
}

describe.skipIf(!fs.existsSync(path.join(SEEDS, NEW_PAGE)))('two instances, one PostgreSQL (webhook mode)', () => {
  let emu: BotApiEmulator;
  let tmp: string;
  let target: TestTarget;
  let config: Config;
  let db: State;
  const instances: Instance[] = [];
  const env: Record<string, string> = {};

  async function start(port: number): Promise<Instance> {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--enable-source-maps', path.join(ROOT, 'dist/main.js')], {
      cwd: ROOT,
      env: { ...env, PORT: String(port), WEBHOOK_URL: `http://127.0.0.1:${port}/tg/hook` },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 300; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) return { port, child, exited, stderr: () => err, readyMs: Date.now() - t0 };
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`instance on ${port} did not become healthy: ${err}`);
  }

  /** Updates go to the instances in turn, as a load balancer would spread them. */
  let turn = 0;
  function post(send: () => void): void {
    const inst = instances[turn++ % instances.length]!;
    emu.webhook = { url: `http://127.0.0.1:${inst.port}/tg/hook`, secretToken: SECRET };
    send();
  }

  function runIndexProcess(): void {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/index.ts')], {
      cwd: ROOT,
      env: { ...env, LOG_LEVEL: 'error' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`npm run index failed: ${r.stderr}`);
  }

  const digestsFor = (needle: string, since: number) => emu.calls.slice(since).filter((c) => isDigest(c) && visible(c).includes(needle));
  const perUser = (calls: RecordedCall[]) => {
    const n = new Map<number, number>();
    for (const c of calls) n.set(Number(c.params.chat_id), (n.get(Number(c.params.chat_id)) ?? 0) + 1);
    return n;
  };

  beforeAll(async () => {
    // `npm start` = prestart (build when stale) + node dist/main.js
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-if-stale.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
    emu = await BotApiEmulator.start();
    target = freshTarget('postgres');
    db = await target.open();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-e2e-multi-'));
    const seeds = path.join(tmp, 'seeds');
    fs.mkdirSync(seeds);
    for (const f of fs.readdirSync(SEEDS)) if (f !== NEW_PAGE) fs.copyFileSync(path.join(SEEDS, f), path.join(seeds, f));
    Object.assign(env, {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      BOT_TOKEN: emu.token,
      TELEGRAM_API_ROOT: emu.apiRoot,
      WEBHOOK_SECRET: SECRET,
      HOST: '127.0.0.1',
      DATABASE_URL: target.target,
      SEEDS_DIR: seeds,
      INDEX_DIR: path.join(tmp, 'index'),
      DATA_DIR: path.join(tmp, 'data'),
      EMBED_ALLOW_REMOTE: '0',
      EMBED_LOCAL_DIR: path.join(tmp, 'no-models'),
      INDEX_POLL_MS: '250',
      BROADCAST_PER_SECOND: '30',
      DIGEST_WORKER_TTL_MS: '3000',
      DIGEST_TIME: '23:59',
      DIGEST_TZ: noonZone(),
      LOG_LEVEL: process.env.E2E_LOG ?? 'warn',
    });
    config = loadConfig(env, ROOT);
    await runIndexer({ config, log: pino({ level: 'silent' }), embedder: null, modelError: 'e2e: keyword-only' });
    instances.push(await start(await freePort()), await start(await freePort()));
  }, 180_000);

  afterAll(async () => {
    for (const i of instances) if (i.child.exitCode === null) i.child.kill('SIGKILL');
    await Promise.all(instances.map((i) => i.exited));
    await db?.close();
    await emu?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('300 subscribers, a new page → exactly one digest each; with an instance SIGKILLed mid-round and restarted → still at most one, none skipped outside the window', async () => {
    // Both instances serve /healthz with the database and the index, and /metrics.
    for (const i of instances) {
      const h = (await (await fetch(`http://127.0.0.1:${i.port}/healthz`)).json()) as Record<string, { ok: boolean; backend?: string }>;
      expect(h.database).toMatchObject({ ok: true, backend: 'postgres' });
      expect(await (await fetch(`http://127.0.0.1:${i.port}/metrics`)).text()).toContain('baowen_index_generation_info');
    }

    let since = emu.mark();
    const tSub = Date.now();
    for (const u of USERS) post(() => emu.sendText(u, u, '/subscribe 植树', { languageCode: 'zh-hans' }));
    const confirms = await emu.waitForCalls((c) => c.method === 'sendMessage' && c.ok && visible(c).includes('已订阅'), USERS.length, { since, timeoutMs: 90_000 });
    expect(new Set(confirms.map((c) => Number(c.params.chat_id))).size).toBe(USERS.length);
    expect((await db.stats()).subscriptions).toBe(USERS.length);
    const subscribeMs = Date.now() - tSub;
    emu.sendLimitPerSecond = 30; // Telegram's real broadcast limit, for the digest rounds

    // Round 1: a new page, indexed by another process; both instances reload it.
    since = emu.mark();
    fs.copyFileSync(path.join(SEEDS, NEW_PAGE), path.join(config.seedsDir, NEW_PAGE));
    runIndexProcess();
    const t1 = Date.now();
    await emu.waitForCalls((c) => isDigest(c) && visible(c).includes('德胜街道'), USERS.length, { since, timeoutMs: 90_000 });
    const round1Ms = Date.now() - t1;
    await new Promise((r) => setTimeout(r, 1500));
    const r1 = perUser(digestsFor('德胜街道', since));
    expect(r1.size).toBe(USERS.length);
    expect([...r1.values()].every((n) => n === 1)).toBe(true);

    // Round 2: another new page; SIGKILL whichever instance is sending once ~60 digests are out.
    since = emu.mark();
    fs.copyFileSync(path.join(SEEDS, NEW_PAGE), path.join(config.seedsDir, SECOND_PAGE));
    runIndexProcess();
    await emu.waitForCalls((c) => isDigest(c), 60, { since, timeoutMs: 60_000 });
    const running = await db.db.all<{ pid: number }>('SELECT DISTINCT pid FROM digest_runs WHERE finished_at IS NULL');
    const victimIdx = Math.max(0, instances.findIndex((i) => running.some((r) => r.pid === i.child.pid)));
    const victim = instances[victimIdx]!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    instances[victimIdx] = await start(victim.port); // restarted on the same port
    // Everyone's digest arrives, or its row is `unknown` (killed inside the window).
    const unknownUsers = async () => new Set((await db.deliveries({ status: 'unknown' })).map((d) => d.userId));
    const covered = async () => new Set([...perUser(emu.calls.slice(since).filter(isDigest)).keys(), ...(await unknownUsers())]).size;
    for (let i = 0; i < 120; i++) {
      if ((await covered()) >= USERS.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 1500));
    const r2 = perUser(emu.calls.slice(since).filter(isDigest));
    const unknown = await unknownUsers();
    expect([...r2.values()].every((n) => n === 1)).toBe(true); // never twice — the unknown user included
    expect(unknown.size).toBeLessThanOrEqual(1); // one message was in flight at most
    expect(await covered()).toBe(USERS.length); // nobody skipped: delivered ∪ unknown
    const inWindow = [...unknown].filter((u) => r2.has(u)).length; // killed after Telegram accepted it
    expect(await db.deliveries({ status: 'pending' })).toHaveLength(0);
    expect(await db.deliveries({ status: 'claimed' })).toHaveLength(0);
    expect(emu.textsNotHtml().plain).toEqual([]); // confirmations and digests of both instances: HTML

    process.stderr.write(
      `multi-instance e2e: ready in ${instances.map((i) => i.readyMs).join(' / ')} ms; 300 /subscribe ${subscribeMs} ms; round 1 (300 digests) ${round1Ms} ms; ` +
        `round 2 with SIGKILL: ${r2.size} delivered, ${unknown.size} unknown (${inWindow} of them delivered before the kill)\n`,
    );
  }, 300_000);
});
