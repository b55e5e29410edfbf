import { isAddressedToBot } from '../filters.js';
export class StateRateLimiter {
    state;
    limit;
    windowMs;
    now;
    constructor(state, limit, windowMs = 60_000, now = Date.now) {
        this.state = state;
        this.limit = limit;
        this.windowMs = windowMs;
        this.now = now;
    }
    hit(userId) {
        return this.state.rateHit(userId, this.limit, this.windowMs, this.now());
    }
}
export function rateLimit(limiter) {
    return async (ctx, next) => {
        const userId = ctx.from?.id;
        if (userId === undefined || !isAddressedToBot(ctx))
            return next();
        const d = await limiter.hit(userId);
        if (d.allowed)
            return next();
        const text = ctx.t('rate-limited', { seconds: d.retryAfter });
        if (ctx.callbackQuery)
            await ctx.answerCallbackQuery({ text: d.notify ? text : undefined });
        else if (ctx.inlineQuery)
            await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
        else if (d.notify && ctx.chat)
            await ctx.reply(text, { reply_parameters: { message_id: ctx.message?.message_id ?? 0, allow_sending_without_reply: true } });
    };
}
//# sourceMappingURL=rate-limit.js.map