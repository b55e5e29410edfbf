/** Inline mode: `@bot 问题` → up to 5 quotes, each with its source; empty query → a hint button. */
import { Composer } from 'grammy';
import { createHash } from 'node:crypto';
import { MAX_QUESTION_CHARS } from './ask.js';
import { renderInlineResults } from '../render.js';
export const INLINE_CACHE_SECONDS = 60;
export function createInlineFeature({ engine }) {
    const feature = new Composer();
    feature.on('inline_query', async (ctx) => {
        const query = ctx.inlineQuery.query.trim();
        const hint = (key) => ({ button: { text: ctx.t(key), start_parameter: 'inline' }, cache_time: INLINE_CACHE_SECONDS });
        if (!query || !/[\p{L}\p{N}]/u.test(query) || [...query].length > MAX_QUESTION_CHARS) {
            return void (await ctx.answerInlineQuery([], hint('inline-hint')));
        }
        const answer = await engine.ask(query);
        if (!answer.answered || answer.quotes.length === 0)
            return void (await ctx.answerInlineQuery([], hint('inline-nothing')));
        const prefix = createHash('sha1').update(query).digest('base64url').slice(0, 12);
        await ctx.answerInlineQuery(renderInlineResults(answer, prefix, 5, ctx.lang), { cache_time: INLINE_CACHE_SECONDS });
    });
    return feature;
}
//# sourceMappingURL=inline.js.map