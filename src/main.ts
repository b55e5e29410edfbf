/**
 * `npm start`: config → engine → state → bot → long polling (default) or webhook (WEBHOOK_URL),
 * plus the digest scheduler; SIGINT/SIGTERM shut everything down in reverse order.
 *
 * Known start-up problems (no token, bad token, no index…) print ONE clear line to stderr and exit 1.
 */
import { GrammyError } from 'grammy';
import { ConfigError, loadConfig, loadDotEnv, requireBotToken, type Config } from './config.js';
import { createEngine, type Engine } from './engine.js';
import { createLogger, redactToken, registerSecret, type Logger } from './log.js';
import { State, describeStateTarget } from './state/index.js';
import { SqlUpdateJournal } from './state/journal.js';
import { IndexError } from './store/errors.js';
import { watchIndex } from './metrics.js';
import { DigestScheduler } from './digest/scheduler.js';
import { createBot, registerCommands, startPolling, startWebhook, UpdatePipeline } from './bot/index.js';

/** Commands the subscribe feature adds to the menu (described by cmd-<name> in locales/*\/digest.ftl). */
const SUBSCRIBE_COMMANDS = ['subscribe', 'subscriptions', 'unsubscribe', 'digest', 'digest_time'] as const;

class StartupError extends Error {
  override name = 'StartupError';
}

function fatal(e: unknown): never {
  const known = e instanceof ConfigError || e instanceof IndexError || e instanceof StartupError;
  const text = known ? (e as Error).message : e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`${redactToken(text)}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const config = startupConfig();
  const log: Logger = createLogger(config.LOG_LEVEL);
  const { engine, state } = await openEngineAndState(config, log);
  log.info({ backend: state.backend }, 'state opened');
  watchIndex(() => engine.status());
  const journal = new SqlUpdateJournal(state.db);
  const bot = createBot({ config, log, engine, state, journal });
  const pipeline = new UpdatePipeline(bot, { journal, log, retentionMs: config.JOURNAL_RETENTION_HOURS * 3_600_000 });
  await meetTelegram(bot, config, async () => {
    await engine.close();
    await state.close();
  });
  log.info({ bot: bot.botInfo.username, mode: engine.status().mode, articles: engine.status().articles }, 'bot ready');

  // Menus are cosmetic: failures are logged inside, never fatal.
  void registerCommands(bot.api, { adminIds: config.ADMIN_IDS, log, extra: SUBSCRIBE_COMMANDS });

  const scheduler = new DigestScheduler({ engine, state, api: bot.api, log, config });
  scheduler.start();

  // What a crashed run recorded and never finished is handled first, in order (src/bot/durable.ts).
  await pipeline.recover();
  pipeline.startPruning();

  const stopTransport = await startTransport(bot, { config, engine, log, pipeline, state });
  onSignals(log, async () => {
    await stopTransport();
    pipeline.stopPruning();
    await scheduler.stop();
    await engine.close();
    await state.close();
  });
}

/** The configuration, with a bot token that looks like one, and the secrets registered for scrubbing. */
function startupConfig(): Config {
  loadDotEnv();
  let config: Config;
  try {
    config = loadConfig();
    requireBotToken(config);
  } catch (e) {
    fatal(e);
  }
  registerSecret(config.BOT_TOKEN);
  registerSecret(config.WEBHOOK_SECRET);
  return config;
}

async function openEngineAndState(config: Config, log: Logger): Promise<{ engine: Engine; state: State }> {
  let engine: Engine;
  try {
    engine = await createEngine(config, log, { buildIfMissing: true });
  } catch (e) {
    fatal(e);
  }
  try {
    return { engine, state: await State.open(config.stateTarget) };
  } catch (e) {
    await engine.close();
    fatal(new StartupError(`Cannot open the state database (${describeStateTarget(config)}): ${(e as Error).message}`));
  }
}

/** getMe within STARTUP_TIMEOUT_MS, or one clear line and exit 1 (after `cleanup`). */
async function meetTelegram(bot: ReturnType<typeof createBot>, config: Config, cleanup: () => Promise<void>): Promise<void> {
  try {
    // auto-retry retries network errors forever; at start-up an unreachable API must fail clearly instead.
    bot.botInfo = await bot.api.getMe(AbortSignal.timeout(config.STARTUP_TIMEOUT_MS) as Parameters<typeof bot.api.getMe>[0]);
  } catch (e) {
    await cleanup();
    if (e instanceof GrammyError && e.error_code === 401) {
      fatal(new StartupError('Telegram rejected BOT_TOKEN (401 Unauthorized). Copy the token again from @BotFather (/token) into .env.'));
    }
    fatal(
      new StartupError(
        `Cannot reach the Telegram Bot API at ${config.TELEGRAM_API_ROOT} (no answer within ${config.STARTUP_TIMEOUT_MS / 1000} s). ` +
          'Check the network or TELEGRAM_API_ROOT; try answers offline with: npm run ask -- "问题"',
      ),
    );
  }
}

/** Webhook (WEBHOOK_URL) or long polling; returns how to stop it. */
async function startTransport(
  bot: ReturnType<typeof createBot>,
  deps: { config: Config; engine: Engine; log: Logger; pipeline: UpdatePipeline; state: State },
): Promise<() => Promise<void>> {
  const { config, log, pipeline } = deps;
  if (config.WEBHOOK_URL) {
    const hook = await startWebhook(bot, deps);
    log.info({ url: config.WEBHOOK_URL, port: hook.port }, 'webhook mode');
    return hook.stop;
  }
  await bot.api.deleteWebhook(); // getUpdates refuses to work while a webhook is set
  const polling = startPolling(bot, { log, pipeline });
  log.info('long polling');
  return polling.stop;
}

/** SIGINT/SIGTERM: `stop` once, within 15 s, then exit. */
function onSignals(log: Logger, stop: () => Promise<void>): void {
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await stop();
    } catch (err) {
      log.error({ err }, 'error during shutdown');
      process.exitCode = 1;
    }
    clearTimeout(force);
    process.exit();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch(fatal);
