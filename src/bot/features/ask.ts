/**
 * Questions → answers. Private chat: any text. Groups: `/ask 问题`, `@bot 问题`, or a reply to the bot.
 * The answer replies to the question, with 原文 n and 👍/👎 buttons; a refusal suggests what to ask.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import type { AnswerCache } from '../answer-cache.js';
import { exampleQuestions } from '../examples.js';
import { commandOf, isGroup, repliesToBot, slashQuestion, withoutMention } from '../filters.js';
import { decodeStartPayload } from '../deeplink.js';
import { answerKeyboard } from '../keyboards.js';
import { withTyping } from '../middleware/typing.js';
import { renderAnswer, renderRefusal } from '../render.js';

export const MAX_QUESTION_CHARS = 1000;

/** Latin letters and no Chinese: an English question. */
export const looksEnglish = (q: string): boolean => /[A-Za-z]{2,}/u.test(q) && !/\p{Script=Han}/u.test(q);

export function createAskFeature(deps: BotDeps, cache: AnswerCache): Composer<BotContext> {
  const { engine } = deps;
  const feature = new Composer<BotContext>();

  async function answer(ctx: BotContext, raw: string): Promise<void> {
    const reply_parameters = { message_id: ctx.message!.message_id, allow_sending_without_reply: true };
    const question = raw.trim();
    if (!question) return void (await ctx.reply(ctx.t('ask-empty'), { reply_parameters }));
    if ([...question].length > MAX_QUESTION_CHARS) {
      return void (await ctx.reply(ctx.t('ask-too-long', { max: MAX_QUESTION_CHARS, length: [...question].length }), { reply_parameters }));
    }
    if (!/[\p{L}\p{N}]/u.test(question)) return void (await ctx.reply(ctx.t('ask-no-words'), { reply_parameters }));

    const result = await withTyping(ctx, () => engine.ask(question));
    if (!result.answered || result.quotes.length === 0) {
      const html = renderRefusal(ctx.t, {
        examples: exampleQuestions(() => engine.index(), ctx.t),
        englishNeedsModel: engine.status().mode === 'keyword' && looksEnglish(question),
      });
      return void (await ctx.reply(html, { parse_mode: 'HTML', reply_parameters }));
    }
    const key = cache.put({ question, quotes: result.quotes, citations: result.citations });
    const messages = renderAnswer(result, ctx.t);
    for (const [i, html] of messages.entries()) {
      const last = i === messages.length - 1;
      await ctx.reply(html, {
        parse_mode: 'HTML',
        ...(i === 0 ? { reply_parameters } : {}),
        ...(last ? { reply_markup: answerKeyboard(result, key, ctx.t) } : {}),
      });
    }
  }

  // `t.me/<bot>?start=ask_…` (a QR code beside a report): the question, answered.
  feature.command('start', async (ctx, next) => {
    const link = decodeStartPayload(ctx.match);
    if (link?.kind !== 'ask') return next();
    await answer(ctx, link.text);
  });

  feature.command('ask', async (ctx) => {
    if (!ctx.match.trim()) return void (await ctx.reply(ctx.t('ask-usage', { bot: ctx.me.username })));
    await answer(ctx, ctx.match);
  });

  feature.chatType('private').on('message:text', async (ctx, next) => {
    if (commandOf(ctx)) return next(); // commands, known or not, are handled elsewhere
    const text = ctx.msg.text;
    if (!text.startsWith('/')) return answer(ctx, text);
    // A slash that is not a command (`/ 问题`, `/开始`, `//`): the question after it, else the short help.
    const question = slashQuestion(text);
    if (question) return answer(ctx, question);
    await ctx.reply(ctx.t('short-help'), { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } });
  });

  feature.filter(isGroup).on('message:text', async (ctx, next) => {
    if (commandOf(ctx)) return next();
    const mentioned = withoutMention(ctx);
    if (mentioned !== undefined) return answer(ctx, mentioned);
    if (repliesToBot(ctx)) return answer(ctx, ctx.msg.text);
    return next(); // group chatter is not for us
  });

  return feature;
}
