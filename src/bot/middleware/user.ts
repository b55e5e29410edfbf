/** Stores (or refreshes) the sender in State and puts the record on `ctx.user`. A State failure is logged, never fatal. */
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

export function upsertUser({ state, log }: Pick<BotDeps, 'state' | 'log'>): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    if (from && !from.is_bot) {
      try {
        // A user's private chat has the user's id, which is where digests go.
        ctx.user = await state.upsertUser({ id: from.id, chatId: from.id, ...(from.language_code ? { languageCode: from.language_code } : {}) });
      } catch (err) {
        log.warn({ err, userId: from.id }, 'could not store user');
      }
    }
    await next();
  };
}
