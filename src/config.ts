/**
 * Every setting, parsed once from the environment with zod. `.env.example` documents each one.
 * Scripts that do not talk to Telegram never require BOT_TOKEN; `requireBotToken` does that for `npm start`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const idList = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const ids = s.split(/[\s,]+/u).filter(Boolean);
    const out: number[] = [];
    for (const id of ids) {
      if (!/^-?\d+$/u.test(id)) {
        ctx.addIssue({ code: 'custom', message: `ADMIN_IDS: "${id}" is not a numeric Telegram user id` });
        return z.NEVER;
      }
      out.push(Number(id));
    }
    return out;
  });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/u, 'expected HH:MM, e.g. 08:00');

export const ConfigSchema = z.object({
  BOT_TOKEN: z.string().trim().optional(),
  /** The bot's @username (without @) for `npm run link`; unset → asked from Telegram with getMe. */
  BOT_USERNAME: z.string().trim().regex(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/u, 'BOT_USERNAME: a Telegram bot username, e.g. baowen_bot').transform((s) => s.replace(/^@/u, '')).optional(),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  WEBHOOK_URL: z.url().optional(),
  WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/u, 'WEBHOOK_SECRET: 1-256 of A-Z a-z 0-9 _ -').optional(),
  /** `npm start` gives up when the Bot API does not answer getMe within this. */
  STARTUP_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  ADMIN_IDS: idList,

  SEEDS_DIR: z.string().default('seeds'),
  INDEX_DIR: z.string().default('index'),
  DATA_DIR: z.string().default('data'),

  EMBED_MODEL: z.string().default('Xenova/multilingual-e5-small'),
  EMBED_LOCAL_DIR: z.string().default('models'),
  EMBED_ALLOW_REMOTE: bool.default(true),
  HF_ENDPOINT: z.url().optional(),
  EMBED_DTYPE: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'auto']).default('q8'),
  EMBED_BATCH: z.coerce.number().int().min(1).max(256).default(16),
  /** onnxruntime intra-op threads for the model; 0 = one per core (onnxruntime's own default). */
  EMBED_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  EMBED_CACHE_DIR: z.string().optional(),
  /** Preset overrides for models without a preset (or to tune one). A prefix of "-" means none. */
  EMBED_QUERY_PREFIX: z.string().optional(),
  EMBED_PASSAGE_PREFIX: z.string().optional(),
  EMBED_POOLING: z.enum(['mean', 'cls']).optional(),
  EMBED_MAX_TOKENS: z.coerce.number().int().min(8).max(8192).optional(),
  EMBED_LOAD_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000),

  /** Override of the refusal threshold (a probability); unset = the one `npm run train` calibrated. */
  ANSWER_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  /** Override of the digest listing threshold (a probability); unset = the one `npm run train` chose. */
  TOPIC_THRESHOLD: z.coerce.number().min(0).max(1).optional(),

  HNSW_M: z.coerce.number().int().min(4).max(128).default(16),
  HNSW_EF_CONSTRUCTION: z.coerce.number().int().min(10).max(2000).default(100),
  /**
   * Query beam width up to 100k chunks; a larger graph is searched with it × (1 + 2·log10(chunks / 100k)),
   * 3× at 1M (store/hnsw.ts `efForSize`). 320: the smallest of 128, 256, 320, 384 whose recall@10 on the
   * bench's own graphs, questions included, is ≥ 0.95 at 1M (0.956 at 960; 256 gives 0.949 there).
   */
  HNSW_EF: z.coerce.number().int().min(10).max(2000).default(320),

  DEFAULT_LANG: z.enum(['zh', 'en']).default('zh'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Key of the question log's user hash (HMAC-SHA256); unset → questions are logged with no user key at all. */
  QUESTION_LOG_SECRET: z.string().min(16, 'QUESTION_LOG_SECRET: at least 16 characters (a random string, kept out of the database)').optional(),
  /** Days the question log keeps a question (pruned after); 0 = do not log questions. */
  QUESTION_LOG_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  /** A short follow-up ("还有吗？") within this many seconds of an answer asks for more of it. */
  FOLLOW_UP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  DIGEST_TIME: hhmm.default('08:00'),
  DIGEST_TZ: z.string().default('Asia/Shanghai'),
  DIGEST_MAX_TOPICS: z.coerce.number().int().min(1).max(200).default(20),
  BROADCAST_PER_SECOND: z.coerce.number().min(0.1).max(30).default(25),
  /** A digest worker's claimed rows go back to the pool when it has not renewed its lease for this long (crash). */
  DIGEST_WORKER_TTL_MS: z.coerce.number().int().min(1000).default(60_000),
  /** postgres://user:pass@host:5432/db[?schema=name] → PostgreSQL state (several instances); unset → SQLite in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/iu, 'DATABASE_URL: expected postgres://user:password@host:5432/database')
    .optional(),
  INDEX_POLL_MS: z.coerce.number().int().min(100).default(5000),
  /** Handled updates stay in the update journal this long (hours), then are pruned. */
  JOURNAL_RETENTION_HOURS: z.coerce.number().min(0.01).max(24 * 365).default(24),

  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

/** Every setting's default (what an empty environment gives): modules that take a partial config fall back to these. */
export const DEFAULTS: Readonly<RawConfig> = Object.freeze(ConfigSchema.parse({}));

export interface Config extends RawConfig {
  /** Absolute paths resolved against the working directory. */
  seedsDir: string;
  indexDir: string;
  dataDir: string;
  modelDir: string;
  /** What State.open takes: DATABASE_URL when set, else DATA_DIR. */
  stateTarget: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment (default `process.env`) into a Config, or throws ConfigError listing every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  // Empty strings in .env files mean "unset".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    ...c,
    seedsDir: path.resolve(cwd, c.SEEDS_DIR),
    indexDir: path.resolve(cwd, c.INDEX_DIR),
    dataDir: path.resolve(cwd, c.DATA_DIR),
    modelDir: path.resolve(cwd, c.EMBED_LOCAL_DIR),
    stateTarget: c.DATABASE_URL ?? path.resolve(cwd, c.DATA_DIR),
  };
}

/**
 * Loads `.env` from the working directory into process.env when present (Node's own loader;
 * variables already set in the environment win). Called by `npm start` and the CLIs, not by tests.
 */
export function loadDotEnv(file = '.env'): void {
  if (!existsSync(file)) return;
  const before = { ...process.env };
  process.loadEnvFile(file);
  for (const [k, v] of Object.entries(before)) process.env[k] = v;
}

const TOKEN_RE = /^\d{5,16}:[A-Za-z0-9_-]{30,}$/u;

/** Returns the bot token or throws one clear, actionable line (never echoing the token). */
export function requireBotToken(config: Config): string {
  const token = config.BOT_TOKEN;
  if (!token) {
    throw new ConfigError(
      'BOT_TOKEN is not set. Create a bot with @BotFather in Telegram (/newbot), put its token in .env as BOT_TOKEN=..., ' +
        'or try answers without Telegram: npm run ask -- "通州区去年新发展了多少工会会员？"',
    );
  }
  if (!TOKEN_RE.test(token)) {
    throw new ConfigError(
      'BOT_TOKEN does not look like a Telegram bot token (expected 123456789:AA... from @BotFather). ' +
        'Check .env, or try answers without Telegram: npm run ask -- "问题"',
    );
  }
  return token;
}
