/**
 * Per-user sliding-window rate limit (in memory). Over the limit, the user hears about it once per
 * window — a reply, a callback toast or an empty inline answer — and nothing is searched.
 */
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.js';
import { isAddressedToBot } from '../filters.js';

export interface RateDecision {
  allowed: boolean;
  /** True once per window for a limited user: tell them, then stay quiet. */
  notify: boolean;
  /** Seconds until the oldest counted request leaves the window. */
  retryAfter: number;
}

export class SlidingWindowLimiter {
  private readonly hits = new Map<number, number[]>();
  private readonly notifiedUntil = new Map<number, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: number): RateDecision {
    const t = this.now();
    const since = t - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((x) => x > since);
    if (list.length < this.limit) {
      list.push(t);
      this.hits.set(key, list);
      this.sweep(t);
      return { allowed: true, notify: false, retryAfter: 0 };
    }
    this.hits.set(key, list);
    const until = list[0]! + this.windowMs;
    const notify = (this.notifiedUntil.get(key) ?? 0) <= t;
    if (notify) this.notifiedUntil.set(key, until);
    return { allowed: false, notify, retryAfter: Math.max(1, Math.ceil((until - t) / 1000)) };
  }

  /** Drops idle users now and then so memory stays bounded. */
  private sweep(t: number): void {
    if (this.hits.size < 5000) return;
    for (const [k, v] of this.hits) if ((v[v.length - 1] ?? 0) <= t - this.windowMs) this.hits.delete(k);
    for (const [k, v] of this.notifiedUntil) if (v <= t) this.notifiedUntil.delete(k);
  }
}

export function rateLimit(limiter: SlidingWindowLimiter): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined || !isAddressedToBot(ctx)) return next();
    const d = limiter.hit(userId);
    if (d.allowed) return next();
    const text = ctx.t('rate-limited', { seconds: d.retryAfter });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: d.notify ? text : undefined });
    else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
    else if (d.notify && ctx.chat) await ctx.reply(text, { reply_parameters: { message_id: ctx.message?.message_id ?? 0, allow_sending_without_reply: true } });
  };
}
