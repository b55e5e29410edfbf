/**
 * Operator commands (ADMIN_IDS): /reindex runs in the background — the handler returns at once so
 * no chat waits on it — and reports the counts when done; /stats shows State and index counts.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { say } from '../i18n.js';
import { escapeHtml, renderReindexDone } from '../render.js';

export function createAdminFeature({ config, engine, state, log }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const admins = new Set(config.ADMIN_IDS);
  let running: Promise<void> | null = null;

  const operatorsOnly = feature.filter((ctx) => {
    return ctx.from !== undefined && admins.has(ctx.from.id);
  });

  operatorsOnly.command('reindex', async (ctx) => {
    if (running) return void (await ctx.reply(say(ctx, 'reindex-running')));
    await ctx.reply(say(ctx, 'reindex-started'));
    const chatId = ctx.chat.id;
    const tr = ctx.t;
    running = engine
      .reindex()
      .then((summary) => ctx.api.sendMessage(chatId, renderReindexDone(summary, tr)))
      .catch(async (err: unknown) => {
        log.error({ err }, 'reindex failed');
        const error = err instanceof Error ? err.message : String(err);
        await ctx.api.sendMessage(chatId, escapeHtml(tr('reindex-failed', { error: error.slice(0, 500) }))).catch(() => undefined);
      })
      .then(() => undefined)
      .finally(() => {
        running = null;
      });
  });

  operatorsOnly.command('stats', async (ctx) => {
    const s = await state.stats();
    const st = engine.status();
    await ctx.reply(say(ctx, 'stats', { ...s, mode: st.mode, pages: st.pages, articles: st.articles, chunks: st.chunks }));
  });

  feature.command(['reindex', 'stats', 'report'], async (ctx, next) => {
    if (ctx.from !== undefined && admins.has(ctx.from.id)) return next(); // /report: features/report.ts
    await ctx.reply(say(ctx, 'admin-only'));
  });
  return feature;
}
