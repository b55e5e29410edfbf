/**
 * createBot: the ONE place where the middleware stack is assembled, in this order:
 *
 *  1. error boundary (`bot.catch`: redacted log line + a short apology; none into a chat that blocked us)
 *  2. the API: every text is HTML unless a send says otherwise (html-default.ts); auto-retry
 *     (429 retry_after, 5xx, network errors); a 403 on any send marks the user inactive and mutes
 *     the chat (blocked.ts)
 *  3. sequentialize per chat (ordered within a chat, concurrent across chats under @grammyjs/runner)
 *  4. i18n (ctx.t, ctx.lang)          5. user upsert (ctx.user)          6. rate limit
 *  7. features: start, help, lang, sources, status, admin, subscribe, ask, 更多, inline, 原文, 👍/👎, fallback
 *
 * ```ts
 * const bot = createBot({ config, log, engine, state });
 * const polling = startPolling(bot, { log });   // or startWebhook(...)
 * ```
 */
import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { requireBotToken } from '../config.js';
import { AnswerCache, RecentAnswers } from './answer-cache.js';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';
import { createI18nMiddleware } from './i18n.js';
import { BlockedChats, blockedChatGuard, liftBlockOnNewMessage } from './blocked.js';
import { htmlByDefault } from './html-default.js';
import { replayGuard } from './durable.js';
import { errorHandler } from './middleware/error-boundary.js';
import { rateLimit, StateRateLimiter } from './middleware/rate-limit.js';
import { upsertUser } from './middleware/user.js';
import { createAdminFeature } from './features/admin.js';
import { createAskFeature } from './features/ask.js';
import { createFallbackFeature } from './features/fallback.js';
import { createFeedbackFeature } from './features/feedback.js';
import { createHelpFeature } from './features/help.js';
import { createInlineFeature } from './features/inline.js';
import { createLangFeature } from './features/lang.js';
import { createMoreFeature } from './features/more.js';
import { createReportFeature } from './features/report.js';
import { questionLogFor } from '../state/index.js';
import { createPassageFeature } from './features/passage.js';
import { createSourcesFeature } from './features/sources.js';
import { createStartFeature } from './features/start.js';
import { createStatusFeature } from './features/status.js';
import { createSubscribeFeature } from './features/subscribe.js';

export type { BotContext } from './context.js';
export type { BotDeps, BotState } from './deps.js';

export { ALLOWED_UPDATES } from './updates.js';

export interface CreateBotOptions {
  /** Skip getMe (tests that never call the API). */
  botInfo?: UserFromGetMe;
}

export function createBot(given: BotDeps, opts: CreateBotOptions = {}): Bot<BotContext> {
  const deps: BotDeps = { ...given, questions: given.questions ?? questionLogFor(given.state, given.config) };
  const { config } = deps;
  const bot = new Bot<BotContext>(requireBotToken(config), {
    client: { apiRoot: config.TELEGRAM_API_ROOT },
    ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
  });

  // 1. error boundary (no apology into a chat that blocked the bot)
  const blocked = new BlockedChats();
  bot.catch(errorHandler(deps.log, blocked));
  // 2. API: every message is HTML (said once here, not per send); retry what Telegram asks us to
  //    retry, give up on anything longer than a minute. A 403 on any send marks the user inactive
  //    and mutes the chat (src/bot/blocked.ts).
  bot.api.config.use(htmlByDefault());
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  bot.api.config.use(blockedChatGuard({ blocked, state: deps.state, log: deps.log }));
  // Replies are recorded per update, so one handled again after a crash is not answered twice.
  if (deps.journal) bot.use(replayGuard(deps.journal, deps.log));
  bot.use(liftBlockOnNewMessage(blocked));
  // 3. one update at a time per chat (inline queries: per user)
  bot.use(sequentialize<BotContext>((ctx) => String(ctx.chat?.id ?? ctx.from?.id ?? '')));
  // 4.-6.
  bot.use(createI18nMiddleware(deps.state, config.DEFAULT_LANG));
  bot.use(upsertUser(deps));
  bot.use(rateLimit(new StateRateLimiter(deps.state, config.RATE_LIMIT_PER_MINUTE)));

  // 7. features
  const answers = new AnswerCache(deps.state);
  const recent = new RecentAnswers(deps.state);
  bot.use(createStartFeature(deps));
  bot.use(createHelpFeature());
  bot.use(createLangFeature(deps));
  bot.use(createSourcesFeature(deps));
  bot.use(createStatusFeature(deps));
  bot.use(createAdminFeature(deps));
  bot.use(createReportFeature(deps));
  // ── subscriptions & digests (src/bot/features/subscribe.ts) ──────────────────────────────
  // Must come BEFORE ask (ask treats every private text as a question) and before fallback.
  bot.use(createSubscribeFeature<BotContext>(deps));
  // ──────────────────────────────────────────────────────────────────────────────────────────
  bot.use(createAskFeature(deps, answers, recent));
  bot.use(createMoreFeature(deps, answers));
  bot.use(createInlineFeature(deps));
  bot.use(createPassageFeature(deps, answers));
  bot.use(createFeedbackFeature(deps, answers));
  bot.use(createFallbackFeature());

  return bot;
}

export { startPolling, type Polling } from './polling.js';
export { startWebhook, type Webhook } from './webhook.js';
export { UpdatePipeline } from './durable.js';
export { registerCommands } from './commands.js';
export { t } from './i18n.js';
