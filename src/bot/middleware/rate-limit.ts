/**
 * Per-user sliding-window rate limit, kept in the state store so it holds across every instance
 * behind one webhook URL (`State.rateHit`). Over the limit, the user hears about it once per
 * window — a reply, a callback toast or an empty inline answer — and nothing is searched.
 */
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../../text/html.js';
import { isAddressedToBot } from '../filters.js';
import type { RateDecision, State } from '../../state/index.js';

export type { RateDecision } from '../../state/index.js';

export class StateRateLimiter {
  constructor(
    private readonly state: Pick<State, 'rateHit'>,
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  hit(userId: number): Promise<RateDecision> {
    return this.state.rateHit(userId, this.limit, this.windowMs, this.now());
  }
}

export function rateLimit(limiter: Pick<StateRateLimiter, 'hit'>): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined || !isAddressedToBot(ctx)) return next();
    const d = await limiter.hit(userId);
    if (d.allowed) return next();
    const text = ctx.t('rate-limited', { seconds: d.retryAfter });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: d.notify ? text : undefined });
    else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
    else if (d.notify && ctx.chat) await ctx.reply(escapeHtml(text), { reply_parameters: { message_id: ctx.message?.message_id ?? 0, allow_sending_without_reply: true } });
  };
}
