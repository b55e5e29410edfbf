/**
 * Questions → answers. Private chat: any text. Groups: `/ask 问题`, `@bot 问题`, or a reply to the bot.
 * The answer replies to the question, with 原文 n, 更多 (when it has more good quotes) and 👍/👎 buttons;
 * a refusal suggests what to ask. A short follow-up naming nothing new ("还有吗？", ../follow-up.ts)
 * within FOLLOW_UP_SECONDS of the person's last answer in this chat gets more of that answer.
 */
import { randomBytes } from 'node:crypto';
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import * as metrics from '../../metrics.js';
import { RecentAnswers, type AnswerCache } from '../answer-cache.js';
import { exampleQuestions } from '../examples.js';
import { commandOf, isGroup, repliesToBot, slashQuestion, withoutMention } from '../filters.js';
import { decodeStartPayload } from '../deeplink.js';
import { isFollowUp } from '../follow-up.js';
import { say } from '../i18n.js';
import { answerKeyboard } from '../keyboards.js';
import { termStatsOf } from '../../search/stats.js';
import { sendMore } from './more.js';
import { withTyping } from '../middleware/typing.js';
import { renderAnswer, renderRefusal } from '../render.js';

export const MAX_QUESTION_CHARS = 1000;

export function createAskFeature(deps: BotDeps, cache: AnswerCache, recent: RecentAnswers = new RecentAnswers(deps.state)): Composer<BotContext> {
  const { engine, config } = deps;
  const feature = new Composer<BotContext>();
  const knows = (w: string) => termStatsOf(engine.index()).df(w) > 0;

  async function answer(ctx: BotContext, raw: string): Promise<void> {
    const reply_parameters = { message_id: ctx.message!.message_id, allow_sending_without_reply: true };
    const question = raw.trim();
    if (!question) return void (await ctx.reply(say(ctx, 'ask-empty'), { reply_parameters }));
    if ([...question].length > MAX_QUESTION_CHARS) {
      return void (await ctx.reply(say(ctx, 'ask-too-long', { max: MAX_QUESTION_CHARS, length: [...question].length }), { reply_parameters }));
    }
    if (!/[\p{L}\p{N}]/u.test(question)) return void (await ctx.reply(say(ctx, 'ask-no-words'), { reply_parameters }));

    // "还有吗？" shortly after an answer: more for that question (only the asker's own answer).
    const chatId = ctx.chat!.id;
    const userId = ctx.from?.id ?? chatId;
    const previous = await recent.get(chatId, userId, config.FOLLOW_UP_SECONDS * 1000);
    if (previous && isFollowUp(question, knows) && (await sendMore(ctx, cache, previous, ctx.message!.message_id))) return;

    metrics.questions.inc();
    const stopTimer = metrics.answerSeconds.startTimer();
    const result = await withTyping(ctx, () => engine.ask(question));
    stopTimer();
    const answered = result.answered && result.quotes.length > 0;
    metrics.answers.inc({ outcome: answered ? 'answered' : 'refused' });
    const logIt = (answerKey: string) =>
      deps.questions?.record({ userId, chatType: ctx.chat!.type, answer: result, answerKey }).catch((err: unknown) => deps.log.warn({ err }, 'question log: not recorded'));
    if (!answered) {
      await logIt(randomBytes(6).toString('base64url'));
      const html = renderRefusal(ctx.t, { examples: exampleQuestions(() => engine.index(), ctx.t), reason: result.refusal });
      return void (await ctx.reply(html, { reply_parameters }));
    }
    const more = result.more?.quotes.length ? result.more : undefined;
    const key = await cache.put({ question, quotes: result.quotes, citations: result.citations, mode: result.mode, askerId: userId, ...(more ? { more, moreShown: 0 } : {}) });
    await recent.set(chatId, userId, key);
    await logIt(key);
    const messages = renderAnswer(result, ctx.t);
    for (const [i, html] of messages.entries()) {
      const last = i === messages.length - 1;
      await ctx.reply(html, {
        ...(i === 0 ? { reply_parameters } : {}),
        ...(last ? { reply_markup: answerKeyboard(result, key, ctx.t, more ? key : undefined) } : {}),
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
    if (!ctx.match.trim()) return void (await ctx.reply(say(ctx, 'ask-usage', { bot: ctx.me.username })));
    await answer(ctx, ctx.match);
  });

  feature.chatType('private').on('message:text', async (ctx, next) => {
    if (commandOf(ctx)) return next(); // commands, known or not, are handled elsewhere
    const text = ctx.msg.text;
    if (!text.startsWith('/')) return answer(ctx, text);
    // A slash that is not a command (`/ 问题`, `/开始`, `//`): the question after it, else the short help.
    const question = slashQuestion(text);
    if (question) return answer(ctx, question);
    await ctx.reply(say(ctx, 'short-help'), { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } });
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
