/**
 * Stopped through npm, nothing is left running:
 * - `npm run demo` half-way: SIGTERM to npm (as `timeout` or a supervisor sends it) and SIGINT to the
 *   whole foreground group (Ctrl-C in a terminal) both end the demo AND the bot it started
 *   (`src/main.ts`) with everything under it. The demo is kept in flight deterministically:
 *   RATE_LIMIT_PER_MINUTE=1, so the second question is told to wait and the third is never answered —
 *   the demo waits on it when the signal comes.
 * - `npm start`: a SIGTERM to npm alone reaches the bot, which shuts down cleanly (npm hands the
 *   signal to `sh -c`, and dash dies without passing it on — hence `exec` in those npm scripts).
 * Each run's processes are found by a marker in their environment (/proc/<pid>/environ), so only this
 * test's are looked at.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApiEmulator } from '../emulator/bot-api.js';
import { buildSeedIndex, type SeedIndex } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const QUESTIONS = ['北京今天天气怎么样？', '通州区去年新发展了多少工会会员？', '最近有哪些工会组织职工去植树？'];

/** Pids of live processes whose environment carries `BAOWEN_STOP_TEST=<marker>`. */
function markedPids(marker: string): number[] {
  const needle = `BAOWEN_STOP_TEST=${marker}\0`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
        if (!/\) Z /u.test(stat)) pids.push(Number(entry)); // a zombie is gone, only not yet reaped
      }
    } catch {
      /* exited meanwhile, or not ours to read */
    }
  }
  return pids;
}

async function until(what: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return what();
}

interface DemoRun {
  marker: string;
  npm: ChildProcess;
  stdout: () => string;
  exited: Promise<unknown>;
}

function startDemo(seed: SeedIndex): DemoRun {
  const marker = randomUUID();
  let out = '';
  const npm = spawn('npm', ['run', '--silent', 'demo', '--', ...QUESTIONS], {
    cwd: ROOT,
    env: {
      ...process.env,
      BAOWEN_STOP_TEST: marker,
      SEEDS_DIR: seed.seedsDir,
      INDEX_DIR: seed.indexDir,
      EMBED_ALLOW_REMOTE: 'false',
      EMBED_LOCAL_DIR: path.join(seed.root, 'models'),
      RATE_LIMIT_PER_MINUTE: '1',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as a terminal's foreground job is
  });
  npm.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  npm.stderr!.resume();
  return { marker, npm, stdout: () => out, exited: new Promise((r) => npm.once('exit', r)) };
}

describe.skipIf(!fs.existsSync('/proc/self/environ'))('stopped through npm', () => {
  let seed: SeedIndex;
  const runs: DemoRun[] = [];

  beforeAll(async () => {
    seed = await buildSeedIndex();
  });
  afterAll(() => {
    for (const r of runs) for (const pid of markedPids(r.marker)) process.kill(pid, 'SIGKILL'); // whatever a failed run left
    seed?.cleanup();
  });

  it('npm run demo half-way, SIGTERM to npm or SIGINT to its process group (Ctrl-C): the demo, the bot and its children all end', async () => {
    const term = startDemo(seed);
    const ctrlC = startDemo(seed);
    runs.push(term, ctrlC);
    // Both mid-conversation: the bot has answered the first question.
    for (const r of [term, ctrlC]) expect(await until(() => r.stdout().includes('🤖'), 90_000)).toBe(true);
    expect(markedPids(term.marker).length).toBeGreaterThan(1); // npm, the demo, the bot…
    term.npm.kill('SIGTERM');
    process.kill(-ctrlC.npm.pid!, 'SIGINT');
    await Promise.all([term.exited, ctrlC.exited]);
    for (const r of [term, ctrlC]) {
      expect(await until(() => markedPids(r.marker).length === 0, 5_000), `left running: ${markedPids(r.marker).join(', ')}`).toBe(true);
    }
  }, 150_000);

  it('npm start, SIGTERM to npm alone: the bot gets it, shuts down cleanly, nothing left', async () => {
    const emu = await BotApiEmulator.start();
    try {
      const marker = randomUUID();
      let err = '';
      const npm = spawn('npm', ['start'], {
        cwd: ROOT,
        env: {
          ...process.env,
          BAOWEN_STOP_TEST: marker,
          BOT_TOKEN: emu.token,
          TELEGRAM_API_ROOT: emu.apiRoot,
          SEEDS_DIR: seed.seedsDir,
          INDEX_DIR: seed.indexDir,
          DATA_DIR: path.join(seed.root, 'data-npm-start'),
          EMBED_ALLOW_REMOTE: 'false',
          EMBED_LOCAL_DIR: path.join(seed.root, 'models'),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      });
      runs.push({ marker, npm, stdout: () => '', exited: new Promise((r) => npm.once('exit', r)) });
      npm.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      expect(await until(() => err.includes('"msg":"long polling"'), 120_000), err).toBe(true); // prestart may build dist/ first
      npm.kill('SIGTERM');
      await runs.at(-1)!.exited;
      expect(await until(() => markedPids(marker).length === 0, 5_000), `left running: ${markedPids(marker).join(', ')}`).toBe(true);
      expect(err).toContain('"msg":"shutting down"');
    } finally {
      await emu.close();
    }
  }, 150_000);
});
