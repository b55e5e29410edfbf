/**
 * Last in the stack: unknown commands, non-text messages and stale buttons get a short helpful
 * reply in private chats (groups stay quiet unless the bot was named).
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { commandOf, isPrivate } from '../filters.js';
import { say } from '../i18n.js';

export function createFallbackFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('callback-stale') }));

  feature.on('message', async (ctx) => {
    const cmd = commandOf(ctx);
    if (cmd) {
      const named = /^\/[A-Za-z0-9_]+@/u.test(ctx.msg.text ?? '');
      if (isPrivate(ctx) || (named && !cmd.forOtherBot)) await ctx.reply(say(ctx, 'unknown-command', { command: cmd.command }));
      return;
    }
    if (!isPrivate(ctx)) return;
    if (ctx.msg.text !== undefined) return; // text in private is always handled by ask
    await ctx.reply(say(ctx, 'non-text'));
  });

  return feature;
}
