/**
 * `bot.catch`: log the failure (token and secrets redacted) and give the user a short apology —
 * except when Telegram answered 403 (blocked, removed from the group): then nothing more is sent
 * to that chat (see ../blocked.ts), and it is a warning, not an error.
 */
import { GrammyError, HttpError, type BotError } from 'grammy';
import { redactToken, type Logger } from '../../log.js';
import { isForbidden, type BlockedChats } from '../blocked.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../../text/html.js';

export function errorHandler(log: Logger, blocked?: BlockedChats) {
  return async (err: BotError<BotContext>): Promise<void> => {
    const { ctx, error } = err;
    const chatId = ctx.chat?.id;
    if (isForbidden(error)) {
      log.warn({ updateId: ctx.update.update_id, chatId }, `update ${ctx.update.update_id}: the chat blocked the bot; no reply`);
      return;
    }
    const kind = error instanceof GrammyError ? 'telegram' : error instanceof HttpError ? 'network' : 'handler';
    log.error({ err: error, kind, updateId: ctx.update.update_id }, redactToken(`update ${ctx.update.update_id} failed: ${String((error as Error)?.message ?? error)}`));
    if (chatId !== undefined && blocked?.has(chatId) && !ctx.callbackQuery && !ctx.inlineQuery) return; // no apology into a blocked chat
    const text = typeof ctx.t === 'function' ? ctx.t('error-generic') : '抱歉，出了点问题，请稍后再试。 / Sorry, something went wrong.';
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
      else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0 });
      else if (ctx.chat && ctx.message) await ctx.reply(escapeHtml(text));
    } catch {
      /* the apology itself failed (network): the log line is all we can do */
    }
  };
}
