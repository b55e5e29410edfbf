/** /sources: the pages and articles indexed, grouped by page. */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { renderSources } from '../render.js';

export function createSourcesFeature({ engine }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('sources', async (ctx) => {
    const index = engine.index();
    if (index.articles.size === 0) return void (await ctx.reply(ctx.t('sources-empty')));
    for (const html of renderSources(index, ctx.t)) await ctx.reply(html, { parse_mode: 'HTML' });
  });
  return feature;
}
