/** /start: a welcome in the user's language with example questions from the index (deep links: see ../deeplink.ts). */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { exampleQuestions, exampleTopics } from '../examples.js';
import { decodeStartPayload } from '../deeplink.js';
import { escapeHtml, renderWelcome } from '../render.js';

export function createStartFeature({ engine, log }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  // Listing the headlines reads every article's head from disk (≈ 2 s at 1M chunks): do it when an
  // index loads, beside the load itself, rather than on the first reader's /start.
  const warm = (): void => {
    try {
      exampleTopics(engine.index());
    } catch (e) {
      log.debug({ err: e }, 'example topics not prepared; /start will list them itself');
    }
  };
  warm();
  engine.onIndexChange(warm);
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
