/** 👍 / 👎 under an answer: stored in State once per user and answer, acknowledged with a toast. */
import { Composer } from 'grammy';
import { citedArticleIds } from '../answer-cache.js';
import { decodeCallback } from '../callback-data.js';
export function createFeedbackFeature({ state, questions, log }, cache) {
    const feature = new Composer();
    feature.on('callback_query:data', async (ctx, next) => {
        const data = decodeCallback(ctx.callbackQuery.data);
        if (data?.kind !== 'fb')
            return next();
        const cached = await cache.get(data.key);
        if (!cached)
            return void (await ctx.answerCallbackQuery({ text: ctx.t('feedback-stale') }));
        const userId = ctx.from.id;
        if (!(await cache.vote(data.key, userId)))
            return void (await ctx.answerCallbackQuery({ text: ctx.t('feedback-already') }));
        await state.addFeedback({
            userId,
            chatId: ctx.chat?.id ?? userId,
            question: cached.question,
            vote: data.vote === 'up' ? 1 : -1,
            articleIds: citedArticleIds(cached),
        });
        // The question log keys votes by the answer (a 更多 page votes for the answer it continues).
        await questions?.recordVote(cached.logKey ?? data.key, data.vote === 'up' ? 1 : -1).catch((err) => log.warn({ err }, 'question log: vote not recorded'));
        await ctx.answerCallbackQuery({ text: ctx.t(data.vote === 'up' ? 'feedback-thanks-up' : 'feedback-thanks-down') });
    });
    return feature;
}
//# sourceMappingURL=feedback.js.map