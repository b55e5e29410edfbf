/**
 * Topic subscriptions and digests:
 * `/subscribe 话题` (also a `t.me/<bot>?start=sub_…` link, see ../deeplink.ts) · `/subscriptions` (❌ buttons) ·
 * `/unsubscribe [话题]` · `/digest` · `/digest_time 08:00|off|default`.
 *
 * Subscribing previews the 3 best current matches; digests then bring only reports indexed after
 * that (see findFresh in src/digest/deliver.ts). Replies are HTML: translations (locales/*\/digest.ftl) and
 * user/article text are escaped here. Callback data `unsub:<id>` (≤ 64 bytes, zod-validated).
 */
import { Composer, InlineKeyboard, type Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Engine, TopicMatch } from '../../engine.js';
import type { Logger } from '../../log.js';
import { normalizeTopic, type State, type Subscription } from '../../state/index.js';
import { runDeliveryRound } from '../../digest/deliver.js';
import { formatItem, toPayload } from '../../digest/format.js';
import { escapeHtml } from '../../text/html.js';
import { decodeStartPayload } from '../deeplink.js';
import { say } from '../i18n.js';

export interface SubscribeDeps {
  config: Config;
  log: Logger;
  engine: Engine;
  state: State;
}

/** Longest topic, in characters (code points). */
export const MAX_TOPIC_CHARS = 100;
/** Matches previewed on /subscribe. */
export const PREVIEW_MATCHES = 3;

const UnsubData = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const UNSUB_RE = /^unsub:(\d{1,15})$/u;

/** `unsub:<subscriptionId>` — always well under Telegram's 64 bytes. */
export function encodeUnsub(id: number): string {
  return `unsub:${id}`;
}

/** The subscription id of a ❌ button, or undefined for anything else. */
export function decodeUnsub(data: string | undefined): number | undefined {
  if (!data || Buffer.byteLength(data, 'utf8') > 64) return undefined;
  const m = UNSUB_RE.exec(data);
  const parsed = UnsubData.safeParse({ id: m?.[1] });
  return m && parsed.success ? parsed.data.id : undefined;
}

/** Trims a typed topic and drops one pair of surrounding quotes (`“植树”`, `「植树」`, `"tree"`). */
export function cleanTopic(raw: string): string {
  let s = raw.trim();
  const pairs: [string, string][] = [['“', '”'], ['「', '」'], ['『', '』'], ['"', '"'], ["'", "'"], ['《', '》']];
  for (const [open, close] of pairs) {
    if (s.length >= 2 && s.startsWith(open) && s.endsWith(close)) {
      s = s.slice(open.length, -close.length).trim();
      break;
    }
  }
  return s.replace(/\s+/gu, ' ');
}

/** Parses a /digest_time argument: 'HH:MM' (also H:MM, full-width, `：`), `null` for default, 'off', or undefined if junk. */
export function parseDigestTime(raw: string): string | null | 'off' | undefined {
  const s = raw.normalize('NFKC').trim().toLowerCase().replace(/：/gu, ':');
  if (['off', 'none', '关闭', '关', '停止'].includes(s)) return 'off';
  if (['default', 'reset', '默认', '恢复默认'].includes(s)) return null;
  const m = /^(\d{1,2})[:.](\d{2})$/u.exec(s);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

const short = (s: string, n: number): string => {
  const cps = Array.from(s);
  return cps.length > n ? `${cps.slice(0, n - 1).join('')}…` : s;
};

type Ctx = Context & I18nFlavor;

const NO_PREVIEW = { link_preview_options: { is_disabled: true } };
const argOf = (ctx: { match?: unknown }): string => (typeof ctx.match === 'string' ? ctx.match : '');

async function ensureUser(state: State, ctx: Ctx) {
  const from = ctx.from!;
  return (await state.getUser(from.id)) ?? (await state.upsertUser({ id: from.id, chatId: from.id, languageCode: from.language_code }));
}

/** The list of a user's topics, with a ❌ button each. */
function listView(ctx: Ctx, subs: Subscription[], titleKey: 'subs-title' | 'unsub-choose') {
  const kb = InlineKeyboard.from(subs.map((s) => [InlineKeyboard.text(`❌ ${short(s.topic, 30)}`, encodeUnsub(s.id))]));
  const lines = [`<b>${say(ctx, titleKey, { count: subs.length })}</b>`, ...subs.map((s) => `• ${escapeHtml(s.topic)}`), '', say(ctx, 'subs-hint')];
  return { text: lines.join('\n'), keyboard: kb };
}

/** All of the subscription commands, one Composer each. */
export function createSubscribeFeature<C extends Ctx>(deps: SubscribeDeps): Composer<C> {
  return new Composer<C>(
    subscribeCommand<C>(deps),
    subscriptionsCommand<C>(deps),
    unsubscribeCommand<C>(deps),
    unsubscribeButton<C>(deps),
    digestCommand<C>(deps),
    digestTimeCommand<C>(deps),
  );
}

/** Subscribes to a topic and replies with the best current matches. */
async function subscribe(deps: SubscribeDeps, ctx: Ctx, raw: string): Promise<void> {
  const { config, log, engine, state } = deps;
  if (!ctx.from || !ctx.chat) return;
  const topic = cleanTopic(raw);
  if (!topic) return void (await ctx.reply(say(ctx, 'sub-usage'), NO_PREVIEW));
  if (Array.from(topic).length > MAX_TOPIC_CHARS) return void (await ctx.reply(say(ctx, 'sub-too-long', { max: MAX_TOPIC_CHARS }), NO_PREVIEW));
  const user = await ensureUser(state, ctx);
  let matches: TopicMatch[] = [];
  let current: string[] = [];
  try {
    current = [...engine.index().articles.keys()];
    matches = await engine.matchTopic(topic);
  } catch (e) {
    log.warn({ err: e, topic }, 'subscribe: no matches for preview');
  }
  const res = await state.addSubscription({
    userId: ctx.from.id,
    chatId: ctx.chat.id,
    topic,
    limit: config.DIGEST_MAX_TOPICS,
    currentArticleIds: [...current, ...matches.map((m) => m.article.id)],
  });
  if (res.status === 'limit') return void (await ctx.reply(say(ctx, 'sub-limit', { limit: res.limit }), NO_PREVIEW));
  if (res.status === 'exists') return void (await ctx.reply(say(ctx, 'sub-exists', { topic: res.subscription.topic }), NO_PREVIEW));
  log.info({ userId: ctx.from.id, topic }, 'subscribed');
  const off = user.digestTime === 'off';
  const parts = [say(ctx, off ? 'sub-added-off' : 'sub-added', { topic, time: user.digestTime ?? config.DIGEST_TIME })];
  if (matches.length) {
    parts.push(`<b>${say(ctx, 'sub-preview-title')}</b>`);
    for (const m of matches.slice(0, PREVIEW_MATCHES)) parts.push(formatItem(ctx.t, toPayload(m)));
  } else {
    parts.push(say(ctx, 'sub-preview-none'));
  }
  await ctx.reply(parts.join('\n\n'), NO_PREVIEW);
}

/** `/subscribe 话题`, and a `?start=sub_…` link (same reply). */
function subscribeCommand<C extends Ctx>(deps: SubscribeDeps): Composer<C> {
  const composer = new Composer<C>();
  composer.command('subscribe', (ctx) => subscribe(deps, ctx, argOf(ctx)));
  composer.command('start', async (ctx, next) => {
    const link = decodeStartPayload(argOf(ctx));
    if (link?.kind !== 'sub') return next();
    await subscribe(deps, ctx, link.text);
  });
  return composer;
}

/** `/subscriptions`: the list, with ❌ buttons. */
function subscriptionsCommand<C extends Ctx>({ state }: SubscribeDeps): Composer<C> {
  const composer = new Composer<C>();
  composer.command('subscriptions', async (ctx) => {
    if (!ctx.from || !ctx.chat) return;
    const subs = await state.listSubscriptions({ chatId: ctx.chat.id, userId: ctx.from.id });
    if (!subs.length) return void (await ctx.reply(say(ctx, 'subs-empty'), NO_PREVIEW));
    const v = listView(ctx, subs, 'subs-title');
    await ctx.reply(v.text, { ...NO_PREVIEW, reply_markup: v.keyboard });
  });
  return composer;
}

/** `/unsubscribe 话题` removes that topic; bare `/unsubscribe` shows the list to choose from. */
function unsubscribeCommand<C extends Ctx>({ state }: SubscribeDeps): Composer<C> {
  const composer = new Composer<C>();
  composer.command('unsubscribe', async (ctx) => {
    if (!ctx.from || !ctx.chat) return;
    const topic = cleanTopic(argOf(ctx));
    const subs = await state.listSubscriptions({ chatId: ctx.chat.id, userId: ctx.from.id });
    if (topic) {
      const own = subs.find((s) => s.topicNorm === normalizeTopic(topic));
      const removed = own ? await state.removeSubscription(ctx.chat.id, own.id) : undefined;
      const key = removed ? 'unsub-done' : 'unsub-not-found';
      return void (await ctx.reply(say(ctx, key, { topic: removed?.topic ?? topic }), NO_PREVIEW));
    }
    if (!subs.length) return void (await ctx.reply(say(ctx, 'subs-empty'), NO_PREVIEW));
    const v = listView(ctx, subs, 'unsub-choose');
    await ctx.reply(v.text, { ...NO_PREVIEW, reply_markup: v.keyboard });
  });
  return composer;
}

/** A ❌ button: removes the topic (the asker's own only) and updates the list in place. */
function unsubscribeButton<C extends Ctx>({ state, log }: SubscribeDeps): Composer<C> {
  const composer = new Composer<C>();
  composer.callbackQuery(UNSUB_RE, async (ctx) => {
    const id = decodeUnsub(ctx.callbackQuery.data);
    const chatId = ctx.chat?.id;
    const sub = id === undefined ? undefined : await state.getSubscription(id);
    if (!sub || chatId === undefined || sub.chatId !== chatId || sub.userId !== ctx.from.id) {
      return void (await ctx.answerCallbackQuery({ text: ctx.t('unsub-gone') }));
    }
    await state.removeSubscription(chatId, sub.id);
    log.info({ userId: ctx.from.id, topic: sub.topic }, 'unsubscribed');
    await ctx.answerCallbackQuery({ text: ctx.t('unsub-done-toast', { topic: short(sub.topic, 40) }) });
    const subs = await state.listSubscriptions({ chatId, userId: ctx.from.id });
    try {
      if (!subs.length) await ctx.editMessageText(say(ctx, 'subs-empty'), NO_PREVIEW);
      else {
        const v = listView(ctx, subs, 'subs-title');
        await ctx.editMessageText(v.text, { ...NO_PREVIEW, reply_markup: v.keyboard });
      }
    } catch (e) {
      log.debug({ err: e }, 'unsubscribe: could not edit the list message');
    }
  });
  return composer;
}

/** `/digest`: one delivery round for this user now (the digest itself is the reply). */
function digestCommand<C extends Ctx>(deps: SubscribeDeps): Composer<C> {
  const { config, log, engine, state } = deps;
  const composer = new Composer<C>();
  composer.command('digest', async (ctx) => {
    if (!ctx.from || !ctx.chat) return;
    await ensureUser(state, ctx);
    const subs = await state.listSubscriptions({ userId: ctx.from.id });
    if (!subs.length) return void (await ctx.reply(say(ctx, 'digest-no-subs'), NO_PREVIEW));
    await ctx.replyWithChatAction('typing').catch(() => undefined);
    const report = await runDeliveryRound({ engine, state, api: ctx.api, log, config, userIds: [ctx.from.id], reason: 'command' });
    if (report.sent.length) return;
    if (report.failed.length) return void (await ctx.reply(say(ctx, 'digest-failed'), NO_PREVIEW));
    await ctx.reply(say(ctx, 'digest-nothing-new', { topics: subs.map((s) => s.topic).join('、') }), NO_PREVIEW);
  });
  return composer;
}

/** `/digest_time 08:00|off|default`, or bare to see the current time. */
function digestTimeCommand<C extends Ctx>({ config, state }: SubscribeDeps): Composer<C> {
  const composer = new Composer<C>();
  composer.command('digest_time', async (ctx) => {
    if (!ctx.from) return;
    const user = await ensureUser(state, ctx);
    const arg = argOf(ctx).trim();
    const tz = config.DIGEST_TZ;
    if (!arg) {
      const key = user.digestTime === 'off' ? 'digest-time-current-off' : 'digest-time-current';
      return void (await ctx.reply(say(ctx, key, { time: user.digestTime ?? config.DIGEST_TIME, tz }), NO_PREVIEW));
    }
    const parsed = parseDigestTime(arg);
    if (parsed === undefined) return void (await ctx.reply(say(ctx, 'digest-time-invalid', { input: short(arg, 40) }), NO_PREVIEW));
    await state.setDigestTime(ctx.from.id, parsed);
    if (parsed === 'off') return void (await ctx.reply(say(ctx, 'digest-time-off'), NO_PREVIEW));
    if (parsed === null) return void (await ctx.reply(say(ctx, 'digest-time-default', { time: config.DIGEST_TIME, tz }), NO_PREVIEW));
    await ctx.reply(say(ctx, 'digest-time-set', { time: parsed, tz }), NO_PREVIEW);
  });
  return composer;
}
