/** /start: a welcome in the user's language with example questions from the index. */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { exampleQuestions } from '../examples.js';
import { renderWelcome } from '../render.js';

export function createStartFeature({ engine }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('start', async (ctx) => {
    const examples = exampleQuestions(() => engine.index(), ctx.t);
    await ctx.reply(renderWelcome(ctx.t, { examples, bot: ctx.me.username }), { parse_mode: 'HTML' });
  });
  return feature;
}
