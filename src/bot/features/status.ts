/** /status: search mode (loud when keyword-only), model, counts, when indexed. */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { renderStatus } from '../render.js';

export function createStatusFeature({ engine }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('status', (ctx) => ctx.reply(renderStatus(engine.status(), ctx.t)));
  return feature;
}
