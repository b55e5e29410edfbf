/** /start: a welcome in the user's language with example questions from the index (deep links: see ../deeplink.ts). */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { exampleQuestions } from '../examples.js';
import { decodeStartPayload } from '../deeplink.js';
import { escapeHtml, renderWelcome } from '../render.js';

export function createStartFeature({ engine }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('start', async (ctx, next) => {
    const link = decodeStartPayload(ctx.match);
    // `sub_…` / `ask_…` links are handled by the subscribe and ask features.
    if (link && link.kind !== 'broken') return next();
    const examples = exampleQuestions(() => engine.index(), ctx.t);
    const welcome = renderWelcome(ctx.t, { examples, bot: ctx.me.username });
    const note = link?.kind === 'broken' ? `<i>${escapeHtml(ctx.t('start-link-broken'))}</i>\n\n` : '';
    await ctx.reply(note + welcome);
  });
  return feature;
}
