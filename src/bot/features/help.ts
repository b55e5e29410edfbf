/** /help: how to ask (private, groups, inline) and the commands. */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { say } from '../i18n.js';

export function createHelpFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('help', (ctx) => ctx.reply(say(ctx, 'help', { bot: ctx.me.username, max: 1000 })));
  return feature;
}
