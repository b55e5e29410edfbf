/**
 * "更多 / More": the next quotes of an answer (`Answer.more`, see src/answer/more.ts), a page at a
 * time, as a reply rendered like an answer — [n] numbered from 1 on every page, its own 原文 and 👍/👎
 * buttons, and a More button while anything is left. Nothing is shown twice; when nothing is left
 * the bot says so. In groups only the person who asked gets more (button and follow-ups).
 *
 * Reached by the More button (`more:<answerKey>`) and by a follow-up ("还有吗？", see ../follow-up.ts)
 * within FOLLOW_UP_SECONDS of an answer, which the ask feature routes here via {@link sendMore}.
 */
import { Composer } from 'grammy';
import { moreSlice } from '../../answer/more.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import type { AnswerCache } from '../answer-cache.js';
import { decodeCallback } from '../callback-data.js';
import { say } from '../i18n.js';
import { answerKeyboard } from '../keyboards.js';
import { escapeHtml, MAX_MESSAGE, renderAnswer } from '../render.js';

/** Quotes per More page (an answer shows at most four). */
export const MORE_PAGE = 4;

const isGroupChat = (ctx: BotContext) => ctx.chat?.type === 'group' || ctx.chat?.type === 'supergroup';

/**
 * Sends the next page of more quotes of the cached answer `key` (or "nothing more"), replying to
 * `replyTo`. Returns false when the answer is no longer cached.
 */
export async function sendMore(ctx: BotContext, cache: AnswerCache, key: string, replyTo: number | undefined): Promise<boolean> {
  const entry = await cache.get(key);
  if (!entry) return false;
  const reply_parameters = replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {};
  const page = moreSlice({ question: entry.question, mode: entry.mode ?? 'keyword', more: entry.more }, entry.moreShown ?? 0, MORE_PAGE);
  if (!page) {
    await ctx.reply(say(ctx, 'more-none', { question: entry.question }), reply_parameters);
    return true;
  }
  entry.moreShown = (entry.moreShown ?? 0) + page.quotes.length;
  await cache.update(key, entry);
  const left = (entry.more?.quotes.length ?? 0) - entry.moreShown;
  const pageKey = await cache.put({
    question: entry.question,
    quotes: page.quotes,
    citations: page.citations,
    logKey: entry.logKey ?? key,
    ...(entry.askerId !== undefined ? { askerId: entry.askerId } : {}),
  });
  const heading = `<i>${escapeHtml(ctx.t('more-heading', { question: entry.question }))}</i>`;
  const messages = renderAnswer(page, ctx.t);
  if (`${heading}\n${messages[0]!}`.length <= MAX_MESSAGE) messages[0] = `${heading}\n${messages[0]!}`;
  else messages.unshift(heading);
  for (const [i, html] of messages.entries()) {
    const last = i === messages.length - 1;
    await ctx.reply(html, {
      ...(i === 0 ? reply_parameters : {}),
      ...(last ? { reply_markup: answerKeyboard(page, pageKey, ctx.t, left > 0 ? key : undefined) } : {}),
    });
  }
  return true;
}

export function createMoreFeature(_deps: BotDeps, cache: AnswerCache): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on('callback_query:data', async (ctx, next) => {
    const data = decodeCallback(ctx.callbackQuery.data);
    if (data?.kind !== 'more') return next();
    const entry = await cache.get(data.key);
    if (!entry) return void (await ctx.answerCallbackQuery({ text: ctx.t('more-stale') }));
    if (isGroupChat(ctx) && entry.askerId !== undefined && entry.askerId !== ctx.from.id) {
      return void (await ctx.answerCallbackQuery({ text: ctx.t('more-not-yours') }));
    }
    await ctx.answerCallbackQuery();
    await sendMore(ctx, cache, data.key, ctx.callbackQuery.message?.message_id);
  });
  return feature;
}
