/** Shared test setup: a real index built from the seed pages in a temp folder (keyword-only or with an embedder). */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bot } from 'grammy';
import { createBot, startPolling, type BotContext, type Polling } from '../src/bot/index.js';
import { loadConfig, type Config } from '../src/config.js';
import type { Embedder } from '../src/embed/types.js';
import { createEngine, type Engine } from '../src/engine.js';
import { tempWorkspace, testConfig } from './indexing.js';
import { runIndexer } from '../src/indexer/run.js';
import { createLogger } from '../src/log.js';
import { loadIndex } from '../src/store/load.js';
import type { SearchIndex } from '../src/store/types.js';
import { State } from '../src/state/index.js';
import { BotApiEmulator, FAKE_TOKEN } from './emulator/bot-api.js';

export interface SeedIndex {
  config: Config;
  index: SearchIndex;
  root: string;
  seedsDir: string;
  indexDir: string;
  cleanup(): void;
}

export const quietLog = createLogger('silent');

/** Builds an index of the five seed pages in a temp workspace and loads it. */
export async function buildSeedIndex(opts: { embedder?: Embedder | null; env?: Record<string, string> } = {}): Promise<SeedIndex> {
  const ws = tempWorkspace();
  const config = loadConfig({ SEEDS_DIR: ws.seedsDir, INDEX_DIR: ws.indexDir, DATA_DIR: `${ws.root}/data`, EMBED_MODEL: opts.embedder?.modelId ?? 'Xenova/multilingual-e5-small', ...opts.env }, ws.root);
  await runIndexer({ config, log: quietLog, embedder: opts.embedder ?? null, modelError: opts.embedder ? null : 'no model in tests' });
  const index = loadIndex(ws.indexDir, { modelId: config.EMBED_MODEL });
  return { config, index, ...ws };
}

/** A CLI in scripts/ run as a child process, as an operator runs it (exit code, stdout, stderr). */
export function runScript(script: string, args: string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, script), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

export interface RealBot {
  emu: BotApiEmulator;
  engine: Engine;
  state: State;
  bot: Bot<BotContext>;
  /** The temp copy of the seed pages the engine indexes. */
  seedsDir: string;
  stop(): Promise<void>;
}

/**
 * The real bot — real engine on a temp index of the seed pages (keyword-only), in-memory State —
 * long-polling the Bot API emulator on 127.0.0.1. `prepare` may edit the seed copies before indexing.
 */
export async function startRealBot(prefix: string, env: Record<string, string> = {}, prepare?: (seedsDir: string) => void): Promise<RealBot> {
  const ws = tempWorkspace(prefix);
  prepare?.(ws.seedsDir);
  const log = createLogger('silent');
  const emu = await BotApiEmulator.start();
  const config = testConfig(ws, { BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, EMBED_LOCAL_DIR: `${ws.root}/models`, ...env });
  const engine = await createEngine(config, log, { buildIfMissing: true, pollMs: 0 });
  const state = await State.open(env.DATA_DIR ? config.dataDir : ':memory:'); // DATA_DIR given: on disk, for CLIs to read
  const bot = createBot({ config, log, engine, state });
  const polling: Polling = startPolling(bot, { log, timeoutSeconds: 5 });
  return {
    emu,
    engine,
    state,
    bot,
    seedsDir: ws.seedsDir,
    async stop() {
      await polling.stop();
      await engine.close();
      await state.close();
      await emu.close();
      ws.cleanup();
    },
  };
}

export interface MainProcess {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `npm start` (src/main.ts via tsx) as a child process with only `env` (plus PATH/HOME); `onLine` sees each stderr line. */
export function startMainProcess(env: Record<string, string>, onLine?: (line: string) => void): MainProcess {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    const s = d.toString();
    err += s;
    if (!onLine) return;
    partial += s;
    let i: number;
    while ((i = partial.indexOf('\n')) >= 0) {
      onLine(partial.slice(0, i));
      partial = partial.slice(i + 1);
    }
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

/** The environment `npm start` needs against the emulator, on a temp workspace (keyword-only, no network). */
export function mainEnv(ws: { root: string; seedsDir: string; indexDir: string }, apiRoot: string): Record<string, string> {
  return {
    BOT_TOKEN: FAKE_TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    SEEDS_DIR: ws.seedsDir,
    INDEX_DIR: ws.indexDir,
    DATA_DIR: path.join(ws.root, 'data'),
    EMBED_ALLOW_REMOTE: 'false',
    EMBED_LOCAL_DIR: path.join(ws.root, 'models'),
  };
}
