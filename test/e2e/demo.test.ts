/**
 * `npm run demo` stopped half-way leaves nothing running: SIGTERM to npm (as `timeout` or a
 * supervisor sends it) and SIGINT to the whole foreground group (Ctrl-C in a terminal) both end
 * the demo AND the bot it started (`src/main.ts`) with everything under it. Each run's processes are
 * found by a marker in their environment (/proc/<pid>/environ), so only this test's are looked at.
 *
 * The demo is kept in flight deterministically: RATE_LIMIT_PER_MINUTE=1, so the second question is
 * told to wait and the third is never answered — the demo waits on it when the signal comes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeedIndex, type SeedIndex } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const QUESTIONS = ['北京今天天气怎么样？', '通州区去年新发展了多少工会会员？', '最近有哪些工会组织职工去植树？'];

/** Pids of live processes whose environment carries `BAOWEN_DEMO_RUN=<marker>`. */
function markedPids(marker: string): number[] {
  const needle = `BAOWEN_DEMO_RUN=${marker}\0`;
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
      BAOWEN_DEMO_RUN: marker,
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

describe.skipIf(!fs.existsSync('/proc/self/environ'))('npm run demo, stopped half-way', () => {
  let seed: SeedIndex;
  const runs: DemoRun[] = [];

  beforeAll(async () => {
    seed = await buildSeedIndex();
  });
  afterAll(() => {
    for (const r of runs) for (const pid of markedPids(r.marker)) process.kill(pid, 'SIGKILL'); // whatever a failed run left
    seed?.cleanup();
  });

  it('SIGTERM to npm, or SIGINT to its process group (Ctrl-C): the demo, the bot and its children all end', async () => {
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
});
