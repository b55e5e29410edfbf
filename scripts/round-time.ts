/**
 * How long a digest round takes at Telegram's real limit (not a test: a measurement).
 *
 *   npm run round-time -- [--users 300,10000] [--workers 1,2] [--rate 30] [--backend postgres|sqlite]
 *
 * For each users × workers: a fresh database (PostgreSQL: a throwaway server from Debian's package,
 * or DATABASE_URL; SQLite: a temp dir) with that many subscribers of one topic, one new matching
 * article, and `workers` delivery rounds at once on separate connections (as separate instances
 * would run them), sending through grammY to the Bot API emulator, which answers 429 beyond 30
 * sendMessage per second. Prints one line per run and a JSON summary; checks every subscriber got
 * exactly one message.
 */
import { Api } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { htmlByDefault } from '../src/bot/html-default.js';
import { pino } from 'pino';
import { runDeliveryRound } from '../src/digest/deliver.js';
import { FakeEngine, fakeArticle } from '../test/digest/fakes.js';
import { State } from '../src/state/index.js';
import { freshTarget } from '../test/backends.js';
import { BotApiEmulator } from '../test/emulator/bot-api.js';
import { startThrowawayPostgres } from '../test/postgres.js';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
};
const usersList = arg('users', '300,10000').split(',').map(Number);
const workersList = arg('workers', '1,2').split(',').map(Number);
const rate = Number(arg('rate', '30'));
const backend = arg('backend', 'postgres') as 'postgres' | 'sqlite';
const log = pino({ level: 'silent' });

async function seed(state: State, n: number, engine: FakeEngine): Promise<void> {
  await state.recordArticles(engine.articles.keys());
  const now = new Date().toISOString();
  for (let i = 0; i < n; i += 500) {
    const ids = Array.from({ length: Math.min(500, n - i) }, (_, k) => 1_000_000 + i + k);
    await state.db.run(
      `INSERT INTO users (id, chat_id, created_at, updated_at) VALUES ${ids.map(() => '(?, ?, ?, ?)').join(', ')}`,
      ids.flatMap((id) => [id, id, now, now]),
    );
    await state.db.run(
      `INSERT INTO subscriptions (chat_id, user_id, topic, topic_norm, since_seq, created_at) VALUES ${ids.map(() => "(?, ?, '植树', '植树', 1, ?)").join(', ')}`,
      ids.flatMap((id) => [id, id, now]),
    );
  }
}

async function main(): Promise<void> {
  let stopPg: (() => Promise<void>) | undefined;
  if (backend === 'postgres' && !process.env.BAOWEN_TEST_DATABASE_URL) {
    const pg = await startThrowawayPostgres();
    process.env.BAOWEN_TEST_DATABASE_URL = pg.url;
    stopPg = () => pg.stop();
  }
  const results: Record<string, unknown>[] = [];
  try {
    for (const users of usersList) {
      for (const workers of workersList) {
        const emu = await BotApiEmulator.start();
        emu.sendLimitPerSecond = 30;
        const target = freshTarget(backend);
        const states = await Promise.all(Array.from({ length: workers }, () => target.open()));
        const engine = new FakeEngine([fakeArticle('old', '旧的植树报道')]);
        await seed(states[0]!, users, engine);
        for (let i = 0; i < users; i++) emu.addChat({ id: 1_000_000 + i, type: 'private', first_name: `User${i}` });
        engine.add(fakeArticle('new', '经开区总工会开展植树志愿活动'));
        const apis = states.map(() => {
          const api = new Api(emu.token, { apiRoot: emu.apiRoot });
          api.config.use(htmlByDefault());
          api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
          return api;
        });
        const t0 = Date.now();
        const reports = await Promise.all(
          states.map((state, i) =>
            runDeliveryRound({ engine, state, api: apis[i]!, log, config: { BROADCAST_PER_SECOND: rate, DEFAULT_LANG: 'zh' }, reason: 'index-change' }),
          ),
        );
        const ms = Date.now() - t0;
        const sent = emu.calls.filter((c) => c.method === 'sendMessage' && c.ok);
        const perChat = new Map<number, number>();
        for (const c of sent) perChat.set(Number(c.params.chat_id), (perChat.get(Number(c.params.chat_id)) ?? 0) + 1);
        const exactlyOnce = perChat.size === users && [...perChat.values()].every((n) => n === 1);
        const r = {
          backend,
          users,
          workers,
          rate,
          seconds: +(ms / 1000).toFixed(1),
          perSecond: +(sent.length / (ms / 1000)).toFixed(1),
          sentBy: reports.map((x) => x.sent.length),
          got429: emu.calls.filter((c) => c.method === 'sendMessage' && c.errorCode === 429).length,
          exactlyOnce,
        };
        results.push(r);
        process.stdout.write(`${JSON.stringify(r)}\n`);
        for (const s of states) await s.close();
        target.cleanup();
        await emu.close();
      }
    }
  } finally {
    await stopPg?.();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
