/**
 * Admin `/report [days]`: the short form of `npm run report` — questions asked, answered / refused
 * shares, the most frequent refused questions, 👎'd answers, most followed topics — then a chart of
 * questions per day (src/bot/chart.ts) as a photo.
 */
import { Composer, InputFile } from 'grammy';
import { perDayPng } from '../chart.js';
import type { QuestionReport } from '../../state/questions.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { say } from '../i18n.js';
import { escapeHtml, MAX_MESSAGE, type Translate } from '../render.js';

const SHORT_TOP = 5;
const cut = (s: string, n: number) => (Array.from(s).length > n ? `${Array.from(s).slice(0, n - 1).join('')}…` : s);
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The report as one Telegram HTML message (≤ 4096; long lines cut). */
export function renderReport(r: QuestionReport, tr: Translate): string {
  const lines = [
    `<b>${escapeHtml(tr('report-title', { days: r.days }))}</b>`,
    escapeHtml(tr('report-counts', { questions: r.questions, answered: pct(r.answered), refused: pct(r.refused) })),
  ];
  if (r.topRefused.length) {
    lines.push('', `<b>${escapeHtml(tr('report-refused'))}</b>`);
    for (const q of r.topRefused.slice(0, SHORT_TOP)) lines.push(`• ${escapeHtml(cut(q.question, 80))} ×${q.count}`);
  }
  lines.push('', escapeHtml(tr('report-feedback', { up: r.feedback.up, down: r.feedback.down })));
  for (const d of r.feedback.down_examples.slice(0, 3)) lines.push(`👎 ${escapeHtml(cut(d.question, 80))}${d.quote ? `\n   <i>${escapeHtml(cut(d.quote, 100))}</i>` : ''}`);
  if (r.topics.length) {
    lines.push('', `<b>${escapeHtml(tr('report-topics'))}</b>`);
    for (const t of r.topics.slice(0, SHORT_TOP)) lines.push(`• ${escapeHtml(cut(t.topic, 40))} (${t.subscribers})`);
  }
  lines.push('', `<i>${escapeHtml(tr('report-more'))}</i>`);
  let html = lines.join('\n');
  while (html.length > MAX_MESSAGE) html = html.slice(0, html.lastIndexOf('\n'));
  return html;
}

export function createReportFeature({ config, questions, log }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const admins = new Set(config.ADMIN_IDS);
  feature.command('report', async (ctx, next) => {
    if (!ctx.from || !admins.has(ctx.from.id)) return next(); // admin.ts answers others
    const arg = ctx.match.trim();
    const days = arg ? Number(arg) : 7;
    if (!Number.isInteger(days) || days < 1 || days > 3650) return void (await ctx.reply(say(ctx, 'report-usage')));
    if (!questions?.enabled) return void (await ctx.reply(say(ctx, 'report-off')));
    const r = await questions.report({ days });
    await ctx.reply(renderReport(r, ctx.t));
    if (r.questions === 0) return;
    // Where people would rather look than read: questions per day as a picture.
    try {
      await ctx.replyWithPhoto(new InputFile(perDayPng(r.perDay), 'questions-per-day.png'), { caption: say(ctx, 'report-chart', { days }) });
    } catch (err) {
      log.warn({ err }, '/report: chart not sent');
    }
  });
  return feature;
}
