/**
 * End to end, against the Bot API emulator (127.0.0.1 only): the real bot (createBot + long polling),
 * the real Engine (keyword-only, polling the index dir), the real State and DigestScheduler.
 *
 * `/subscribe 植树` → a page with a tree-planting report is added to the seeds dir and
 * `npm run index` runs in ANOTHER process → exactly one digest naming it arrives within 60 s →
 * a restart (new process state, same DATA_DIR/INDEX_DIR) sends nothing again.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, startPolling, type Polling } from '../../src/bot/index.js';
import { loadConfig, type Config } from '../../src/config.js';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { runIndexer } from '../../src/indexer/run.js';
import { State } from '../../src/state/index.js';
import { BACKENDS, freshTarget, type TestTarget } from '../backends.js';
import { BotApiEmulator, type RecordedCall } from '../emulator/bot-api.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEEDS = path.join(ROOT, 'seeds');
const NEW_PAGE = '000_bdfee85d2e472dd3.txt'; // carries 德胜街道总工会组织职工开展植树活动
const NEW_TITLE = '德胜街道总工会组织职工开展植树活动';
const USER = 4242;

const log = pino({ level: process.env.E2E_LOG ?? 'silent' });

interface Running {
  engine: Engine;
  state: State;
  polling: Polling;
  scheduler: DigestScheduler;
}

async function startApp(config: Config): Promise<Running> {
  const engine = await createEngine(config, log, {
    embedder: { ok: false, modelId: config.EMBED_MODEL, reason: 'e2e: keyword-only' },
    pollMs: config.INDEX_POLL_MS,
  });
  const state = await State.open(config.stateTarget);
  const bot = createBot({ config, log, engine, state });
  const polling = startPolling(bot, { log, timeoutSeconds: 30 });
  const scheduler = new DigestScheduler({ engine, state, api: bot.api, log, config, debounceMs: 500 });
  scheduler.start();
  return { engine, state, polling, scheduler };
}

async function stopApp(app: Running): Promise<void> {
  await app.scheduler.stop();
  await app.polling.stop();
  await app.engine.close();
  await app.state.close();
}

/** A CLI of scripts/ in another process, as an operator would run it (async: the emulator keeps answering). */
function runCliProcess(config: Config, script: string, args: string[] = [], env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        SEEDS_DIR: config.seedsDir,
        INDEX_DIR: config.indexDir,
        EMBED_ALLOW_REMOTE: '0',
        EMBED_LOCAL_DIR: path.join(config.dataDir, 'no-models'),
        LOG_LEVEL: 'error',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited ${code}: ${err}`))));
  });
}

/** `npm run index` in another process. */
const runIndexProcess = (config: Config): Promise<void> => runCliProcess(config, 'scripts/index.ts');

const visible = (c: RecordedCall): string => c.parsed?.text ?? String(c.params.text ?? '');
const isDigest = (c: RecordedCall): boolean => /订阅摘要|topic digest/u.test(visible(c));

describe.skipIf(!fs.existsSync(path.join(SEEDS, NEW_PAGE))).each(BACKENDS)('digest e2e (emulator) on %s', (backend) => {
  let target: TestTarget;
  let emu: BotApiEmulator;
  let tmp: string;
  let config: Config;
  let app: Running | undefined;

  beforeAll(async () => {
    emu = await BotApiEmulator.start();
    target = freshTarget(backend);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-e2e-digest-'));
    const seeds = path.join(tmp, 'seeds');
    fs.mkdirSync(seeds);
    for (const f of fs.readdirSync(SEEDS)) if (f !== NEW_PAGE) fs.copyFileSync(path.join(SEEDS, f), path.join(seeds, f));
    config = loadConfig(
      {
        BOT_TOKEN: emu.token,
        TELEGRAM_API_ROOT: emu.apiRoot,
        SEEDS_DIR: seeds,
        INDEX_DIR: path.join(tmp, 'index'),
        DATA_DIR: path.join(tmp, 'data'),
        INDEX_POLL_MS: '250',
        EMBED_ALLOW_REMOTE: '0',
        BROADCAST_PER_SECOND: '20',
        LOG_LEVEL: 'silent',
        ...(backend === 'postgres' ? { DATABASE_URL: target.target } : {}),
      },
      ROOT,
    );
    await runIndexer({ config, log, embedder: null, modelError: 'e2e: keyword-only' });
  });

  afterAll(async () => {
    if (app) await stopApp(app);
    await emu?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    target?.cleanup();
  });

  it('/subscribe 植树 → new page indexed by another process → exactly one digest; restart → nothing again', async () => {
    app = await startApp(config);

    // Subscribe: confirmation + preview of the current best matches (the report already indexed).
    let since = emu.mark();
    emu.sendText(USER, USER, '/subscribe 植树', { languageCode: 'zh-hans' });
    const confirm = await emu.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === USER, {
      since,
      timeoutMs: 15_000,
    });
    expect(visible(confirm)).toContain('已订阅「植树」');
    expect(visible(confirm)).toContain('经开区总工会开展植树志愿活动');
    expect(visible(confirm)).not.toContain(NEW_TITLE);

    // A new page with a tree-planting report arrives and `npm run index` runs elsewhere.
    since = emu.mark();
    const t0 = Date.now();
    fs.copyFileSync(path.join(SEEDS, NEW_PAGE), path.join(config.seedsDir, NEW_PAGE));
    await runIndexProcess(config);
    const digest = await emu.waitForCall(
      (c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === USER && visible(c).includes(NEW_TITLE),
      { since, timeoutMs: 60_000 },
    );
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(isDigest(digest)).toBe(true);
    expect(visible(digest)).toContain('来源：记者 陈曦'); // the source: byline (the seed pages carry no front matter)
    expect(visible(digest)).not.toContain(NEW_PAGE); // never the page file name
    expect(visible(digest)).not.toContain('经开区总工会开展植树志愿活动'); // already previewed: not news
    // Sent by the scheduler, outside any update, through bot.api: HTML all the same (no tags shown).
    expect(digest.parsed!.entities.map((e) => e.type)).toEqual(expect.arrayContaining(['bold', 'blockquote']));
    expect(visible(digest)).not.toMatch(/<\/?(b|i|blockquote)>/u);
    await new Promise((r) => setTimeout(r, 1500));
    expect(emu.sentTo(USER, since).filter(isDigest)).toHaveLength(1);

    // Restart: same DATA_DIR and INDEX_DIR; force every kind of round — nothing is sent again.
    await stopApp(app);
    since = emu.mark();
    app = await startApp(config);
    await app.scheduler.indexRound();
    await app.scheduler.tick(new Date());
    await new Promise((r) => setTimeout(r, 1500));
    expect(emu.sentTo(USER, since)).toHaveLength(0);

    // /digest on demand: nothing new.
    emu.sendText(USER, USER, '/digest', { languageCode: 'zh-hans' });
    const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === USER, {
      since,
      timeoutMs: 15_000,
    });
    expect(visible(reply)).toContain('还没有新报道');
    expect(await app.state.stats()).toMatchObject({ subscriptions: 1, deliveries: 1 });
  });

  it('a blocked subscriber is marked inactive; the others still get their digest', async () => {
    const other = 4343;
    let since = emu.mark();
    emu.sendText(other, other, '/subscribe 植树', { languageCode: 'en' });
    await emu.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === other, { since, timeoutMs: 15_000 });
    emu.blockChat(USER);
    since = emu.mark();
    // Another tree-planting page: same report text under a new page name → new article ids.
    const copy = '005_e2e0000000000001.txt';
    fs.copyFileSync(path.join(SEEDS, NEW_PAGE), path.join(config.seedsDir, copy));
    await runIndexProcess(config);
    const digest = await emu.waitForCall(
      (c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === other && visible(c).includes(NEW_TITLE),
      { since, timeoutMs: 60_000 },
    );
    expect(visible(digest)).toContain('Topic: 植树');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await app!.state.getUser(USER))?.active).toBe(false);
    expect(emu.calls.slice(since).filter((c) => c.errorCode === 403)).toHaveLength(1);
    expect(emu.textsNotHtml().plain).toEqual([]); // replies and digests alike, over both tests
  });

  it.runIf(backend === 'sqlite')('`npm run digest -- --send` (its own Api, no bot running) sends the digest as HTML too', async () => {
    await stopApp(app!);
    app = undefined;
    const other = 4343;
    const since = emu.mark();
    fs.copyFileSync(path.join(SEEDS, NEW_PAGE), path.join(config.seedsDir, '006_e2e0000000000002.txt'));
    await runIndexProcess(config);
    await runCliProcess(config, 'scripts/digest.ts', ['--send', '--keyword'], { BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot, DATA_DIR: config.dataDir });
    const digests = emu.sentTo(other, since).filter(isDigest);
    expect(digests).toHaveLength(1);
    expect(visible(digests[0]!)).toContain(NEW_TITLE);
    expect(digests[0]!.parsed!.entities.map((e) => e.type)).toEqual(expect.arrayContaining(['bold', 'blockquote']));
    expect(emu.textsNotHtml(since).plain).toEqual([]);
  });
});
