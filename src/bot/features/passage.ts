/** 原文 n: the quoted source passage in context, as a reply to the answer. */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import type { AnswerCache } from '../answer-cache.js';
import { decodeCallback } from '../callback-data.js';
import { renderPassage } from '../render.js';

export function createPassageFeature({ engine }: BotDeps, cache: AnswerCache): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.on('callback_query:data', async (ctx, next) => {
    const data = decodeCallback(ctx.callbackQuery.data);
    if (data?.kind !== 'src' && data?.kind !== 'srq') return next();
    let ref: { articleId: string; start: number; end: number } | undefined;
    if (data.kind === 'src') ref = data;
    else ref = (await cache.get(data.key))?.quotes.find((q) => q.source === data.n);
    const article = ref ? engine.index().articles.get(ref.articleId) : undefined;
    const html = article && ref ? renderPassage(article, ref.start, ref.end, undefined, ctx.lang) : undefined;
    const chatId = ctx.chat?.id;
    if (!html || chatId === undefined) return void (await ctx.answerCallbackQuery({ text: ctx.t('passage-stale') }));
    await ctx.answerCallbackQuery();
    const messageId = ctx.callbackQuery.message?.message_id;
    await ctx.api.sendMessage(chatId, html, messageId ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } } : {});
  });

  return feature;
}
