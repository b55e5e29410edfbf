/** `bot.catch`: log the failure (token redacted) and give the user a short apology. */
import { GrammyError, HttpError, type BotError } from 'grammy';
import { redactToken, type Logger } from '../../log.js';
import type { BotContext } from '../context.js';

export function errorHandler(log: Logger) {
  return async (err: BotError<BotContext>): Promise<void> => {
    const { ctx, error } = err;
    const kind = error instanceof GrammyError ? 'telegram' : error instanceof HttpError ? 'network' : 'handler';
    log.error({ err: error, kind, updateId: ctx.update.update_id }, redactToken(`update ${ctx.update.update_id} failed: ${String((error as Error)?.message ?? error)}`));
    const text = typeof ctx.t === 'function' ? ctx.t('error-generic') : '抱歉，出了点问题，请稍后再试。 / Sorry, something went wrong.';
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
      else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0 });
      else if (ctx.chat && ctx.message) await ctx.reply(text);
    } catch {
      /* the apology itself failed (blocked, network): the log line is all we can do */
    }
  };
}
