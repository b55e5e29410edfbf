/**
 * Topic subscriptions and digests:
 * `/subscribe 话题` (also a `t.me/<bot>?start=sub_…` link, see ../deeplink.ts) · `/subscriptions` (❌ buttons) ·
 * `/unsubscribe [话题]` · `/digest` · `/digest_time 08:00|off|default`.
 *
 * Subscribing previews the 3 best current matches; digests then bring only reports indexed after
 * that (see src/digest/match.ts). Replies are HTML: translations (locales/*\/digest.ftl) and
 * user/article text are escaped here. Callback data `unsub:<id>` (≤ 64 bytes, zod-validated).
 */
import { Composer, InlineKeyboard } from 'grammy';
import { z } from 'zod';
import { normalizeTopic } from '../../state/index.js';
import { runDeliveryRound } from '../../digest/deliver.js';
import { escapeHtml, formatItem } from '../../digest/format.js';
import { toPayload } from '../../digest/match.js';
import { decodeStartPayload } from '../deeplink.js';
/** Longest topic, in characters (code points). */
export const MAX_TOPIC_CHARS = 100;
/** Matches previewed on /subscribe. */
export const PREVIEW_MATCHES = 3;
const UnsubData = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const UNSUB_RE = /^unsub:(\d{1,15})$/u;
/** `unsub:<subscriptionId>` — always well under Telegram's 64 bytes. */
export function encodeUnsub(id) {
    return `unsub:${id}`;
}
/** The subscription id of a ❌ button, or undefined for anything else. */
export function decodeUnsub(data) {
    if (!data || Buffer.byteLength(data, 'utf8') > 64)
        return undefined;
    const m = UNSUB_RE.exec(data);
    const parsed = UnsubData.safeParse({ id: m?.[1] });
    return m && parsed.success ? parsed.data.id : undefined;
}
/** Trims a typed topic and drops one pair of surrounding quotes (`“植树”`, `「植树」`, `"tree"`). */
export function cleanTopic(raw) {
    let s = raw.trim();
    const pairs = [['“', '”'], ['「', '」'], ['『', '』'], ['"', '"'], ["'", "'"], ['《', '》']];
    for (const [open, close] of pairs) {
        if (s.length >= 2 && s.startsWith(open) && s.endsWith(close)) {
            s = s.slice(open.length, -close.length).trim();
            break;
        }
    }
    return s.replace(/\s+/gu, ' ');
}
/** Parses a /digest_time argument: 'HH:MM' (also H:MM, full-width, `：`), `null` for default, 'off', or undefined if junk. */
export function parseDigestTime(raw) {
    const s = raw.normalize('NFKC').trim().toLowerCase().replace(/：/gu, ':');
    if (['off', 'none', '关闭', '关', '停止'].includes(s))
        return 'off';
    if (['default', 'reset', '默认', '恢复默认'].includes(s))
        return null;
    const m = /^(\d{1,2})[:.](\d{2})$/u.exec(s);
    if (!m)
        return undefined;
    const h = Number(m[1]);
    const min = Number(m[2]);
    if (h > 23 || min > 59)
        return undefined;
    return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}
const short = (s, n) => {
    const cps = Array.from(s);
    return cps.length > n ? `${cps.slice(0, n - 1).join('')}…` : s;
};
export function createSubscribeFeature(deps) {
    const { config, log, engine, state } = deps;
    const composer = new Composer();
    const html = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } };
    const say = (ctx, key, vars) => escapeHtml(ctx.t(key, vars));
    const ensureUser = async (ctx) => {
        const from = ctx.from;
        return (await state.getUser(from.id)) ?? (await state.upsertUser({ id: from.id, chatId: from.id, languageCode: from.language_code }));
    };
    const listView = (ctx, subs, titleKey) => {
        const kb = InlineKeyboard.from(subs.map((s) => [InlineKeyboard.text(`❌ ${short(s.topic, 30)}`, encodeUnsub(s.id))]));
        const lines = [
            `<b>${say(ctx, titleKey, { count: subs.length })}</b>`,
            ...subs.map((s) => `• ${escapeHtml(s.topic)}`),
            '',
            say(ctx, 'subs-hint'),
        ];
        return { text: lines.join('\n'), keyboard: kb };
    };
    /** `/subscribe 话题`, and a `?start=sub_…` link (same reply). */
    const subscribe = async (ctx, raw) => {
        if (!ctx.from || !ctx.chat)
            return;
        const topic = cleanTopic(raw);
        if (!topic)
            return void (await ctx.reply(say(ctx, 'sub-usage'), html));
        if (Array.from(topic).length > MAX_TOPIC_CHARS) {
            return void (await ctx.reply(say(ctx, 'sub-too-long', { max: MAX_TOPIC_CHARS }), html));
        }
        const user = await ensureUser(ctx);
        let matches = [];
        let current = [];
        try {
            current = [...engine.index().articles.keys()];
            matches = await engine.matchTopic(topic);
        }
        catch (e) {
            log.warn({ err: e, topic }, 'subscribe: no matches for preview');
        }
        const res = await state.addSubscription({
            userId: ctx.from.id,
            chatId: ctx.chat.id,
            topic,
            limit: config.DIGEST_MAX_TOPICS,
            currentArticleIds: [...current, ...matches.map((m) => m.article.id)],
        });
        if (res.status === 'limit')
            return void (await ctx.reply(say(ctx, 'sub-limit', { limit: res.limit }), html));
        if (res.status === 'exists') {
            return void (await ctx.reply(say(ctx, 'sub-exists', { topic: res.subscription.topic }), html));
        }
        log.info({ userId: ctx.from.id, topic }, 'subscribed');
        const off = user.digestTime === 'off';
        const parts = [say(ctx, off ? 'sub-added-off' : 'sub-added', { topic, time: user.digestTime ?? config.DIGEST_TIME })];
        if (matches.length) {
            parts.push(`<b>${say(ctx, 'sub-preview-title')}</b>`);
            for (const m of matches.slice(0, PREVIEW_MATCHES))
                parts.push(formatItem(ctx.t, toPayload(m)));
        }
        else {
            parts.push(say(ctx, 'sub-preview-none'));
        }
        await ctx.reply(parts.join('\n\n'), html);
    };
    composer.command('subscribe', (ctx) => subscribe(ctx, typeof ctx.match === 'string' ? ctx.match : ''));
    composer.command('start', async (ctx, next) => {
        const link = decodeStartPayload(typeof ctx.match === 'string' ? ctx.match : '');
        if (link?.kind !== 'sub')
            return next();
        await subscribe(ctx, link.text);
    });
    composer.command('subscriptions', async (ctx) => {
        if (!ctx.from || !ctx.chat)
            return;
        const subs = await state.listSubscriptions({ chatId: ctx.chat.id, userId: ctx.from.id });
        if (!subs.length)
            return void (await ctx.reply(say(ctx, 'subs-empty'), html));
        const v = listView(ctx, subs, 'subs-title');
        await ctx.reply(v.text, { ...html, reply_markup: v.keyboard });
    });
    composer.command('unsubscribe', async (ctx) => {
        if (!ctx.from || !ctx.chat)
            return;
        const topic = cleanTopic(typeof ctx.match === 'string' ? ctx.match : '');
        if (topic) {
            const own = (await state.listSubscriptions({ chatId: ctx.chat.id, userId: ctx.from.id })).find((s) => s.topicNorm === normalizeTopic(topic));
            const removed = own ? await state.removeSubscription(ctx.chat.id, own.id) : undefined;
            const key = removed ? 'unsub-done' : 'unsub-not-found';
            return void (await ctx.reply(say(ctx, key, { topic: removed?.topic ?? topic }), html));
        }
        const subs = await state.listSubscriptions({ chatId: ctx.chat.id, userId: ctx.from.id });
        if (!subs.length)
            return void (await ctx.reply(say(ctx, 'subs-empty'), html));
        const v = listView(ctx, subs, 'unsub-choose');
        await ctx.reply(v.text, { ...html, reply_markup: v.keyboard });
    });
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
            if (!subs.length)
                await ctx.editMessageText(say(ctx, 'subs-empty'), html);
            else {
                const v = listView(ctx, subs, 'subs-title');
                await ctx.editMessageText(v.text, { ...html, reply_markup: v.keyboard });
            }
        }
        catch (e) {
            log.debug({ err: e }, 'unsubscribe: could not edit the list message');
        }
    });
    composer.command('digest', async (ctx) => {
        if (!ctx.from || !ctx.chat)
            return;
        await ensureUser(ctx);
        const subs = await state.listSubscriptions({ userId: ctx.from.id });
        if (!subs.length)
            return void (await ctx.reply(say(ctx, 'digest-no-subs'), html));
        await ctx.replyWithChatAction('typing').catch(() => undefined);
        const report = await runDeliveryRound({
            engine,
            state,
            api: ctx.api,
            log,
            config,
            userIds: [ctx.from.id],
            reason: 'command',
        });
        if (report.sent.length)
            return; // the digest itself is the reply
        if (report.failed.length)
            return void (await ctx.reply(say(ctx, 'digest-failed'), html));
        await ctx.reply(say(ctx, 'digest-nothing-new', { topics: subs.map((s) => s.topic).join('、') }), html);
    });
    composer.command('digest_time', async (ctx) => {
        if (!ctx.from)
            return;
        const user = await ensureUser(ctx);
        const arg = typeof ctx.match === 'string' ? ctx.match.trim() : '';
        const tz = config.DIGEST_TZ;
        if (!arg) {
            const key = user.digestTime === 'off' ? 'digest-time-current-off' : 'digest-time-current';
            return void (await ctx.reply(say(ctx, key, { time: user.digestTime ?? config.DIGEST_TIME, tz }), html));
        }
        const parsed = parseDigestTime(arg);
        if (parsed === undefined) {
            return void (await ctx.reply(say(ctx, 'digest-time-invalid', { input: short(arg, 40) }), html));
        }
        await state.setDigestTime(ctx.from.id, parsed);
        if (parsed === 'off')
            return void (await ctx.reply(say(ctx, 'digest-time-off'), html));
        if (parsed === null) {
            return void (await ctx.reply(say(ctx, 'digest-time-default', { time: config.DIGEST_TIME, tz }), html));
        }
        await ctx.reply(say(ctx, 'digest-time-set', { time: parsed, tz }), html);
    });
    return composer;
}
//# sourceMappingURL=subscribe.js.map