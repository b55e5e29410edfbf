/** /sources: the pages and articles indexed, grouped by page (page files shown to admins only). */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { renderSources } from '../render.js';

export function createSourcesFeature({ engine, config }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const admins = new Set(config.ADMIN_IDS);
  feature.command('sources', async (ctx) => {
    const index = engine.index();
    if (index.articles.size === 0) return void (await ctx.reply(ctx.t('sources-empty')));
    for (const html of renderSources(index, ctx.t, undefined, { files: ctx.from !== undefined && admins.has(ctx.from.id) })) await ctx.reply(html);
  });
  return feature;
}
