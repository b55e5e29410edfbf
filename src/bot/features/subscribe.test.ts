import { Bot, type Context } from 'grammy';
import { I18n, type I18nFlavor } from '@grammyjs/i18n';
import type { Update } from 'grammy/types';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { State } from '../../state/index.js';
import { FakeEngine, fakeArticle } from '../../../test/digest/fakes.js';
import { LOCALES_DIR } from '../i18n.js';
import { cleanTopic, createSubscribeFeature, decodeUnsub, encodeUnsub, parseDigestTime } from './subscribe.js';

type C = Context & I18nFlavor;

interface Call {
  method: string;
  payload: Record<string, unknown>;
}

async function setup(maxTopics = 3) {
  const config = { ...loadConfig({ DIGEST_MAX_TOPICS: String(maxTopics), BROADCAST_PER_SECOND: '30' }), DATA_DIR: ':memory:' };
  const state = await State.open(':memory:');
  const engine = new FakeEngine([
    fakeArticle('a1', '德胜街道总工会组织职工开展植树活动'),
    fakeArticle('a2', '经开区总工会开展植树志愿活动'),
    fakeArticle('a3', '女职工普法讲座'),
  ]);
  const bot = new Bot<C>('123456:test-token-test-token-test-token-xx', {
    botInfo: {
      id: 1, is_bot: true, first_name: 'baowen', username: 'baowen_bot', can_join_groups: true,
      can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false,
      has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false,
    } as never,
  });
  const calls: Call[] = [];
  let messageId = 1000;
  bot.api.config.use(async (_prev, method, payload) => {
    calls.push({ method, payload: payload as Record<string, unknown> });
    const result = method === 'sendMessage' || method === 'editMessageText' ? { message_id: messageId++, date: 0, chat: { id: 0, type: 'private' } } : true;
    return { ok: true, result } as never;
  });
  const i18n = new I18n<C>({
    defaultLocale: 'zh',
    directory: LOCALES_DIR,
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => (ctx.from?.language_code?.startsWith('en') ? 'en' : 'zh'),
  });
  bot.use(i18n.middleware());
  bot.use(createSubscribeFeature<C>({ config, log: pino({ level: 'silent' }), engine: engine.asEngine(), state }));
  let updateId = 1;
  const from = (id: number, lang = 'zh-hans') => ({ id, is_bot: false, first_name: 'u', language_code: lang });
  const send = async (userId: number, text: string, lang?: string) => {
    const cmd = text.split(' ')[0]!;
    const update: Update = {
      update_id: updateId++,
      message: {
        message_id: updateId, date: 0, chat: { id: userId, type: 'private', first_name: 'u' }, from: from(userId, lang), text,
        ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: cmd.length }] } : {}),
      },
    };
    const before = calls.length;
    await bot.handleUpdate(update);
    return calls.slice(before);
  };
  const click = async (userId: number, data: string) => {
    const before = calls.length;
    await bot.handleUpdate({
      update_id: updateId++,
      callback_query: {
        id: String(updateId), from: from(userId), chat_instance: 'x', data,
        message: { message_id: 5, date: 0, chat: { id: userId, type: 'private', first_name: 'u' }, text: 'list' },
      },
    });
    return calls.slice(before);
  };
  return { state, engine, send, click, calls };
}

const text = (cs: Call[]) => cs.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text)).join('\n---\n');

describe('/subscribe', () => {
  it('without a topic explains usage with examples', async () => {
    const { send } = await setup();
    expect(text(await send(7, '/subscribe'))).toContain('/subscribe 植树');
    expect(text(await send(7, '/subscribe   ', 'en'))).toContain('Usage');
  });

  it('confirms, previews the best current matches, merges duplicates and enforces the limit', async () => {
    const { send, state } = await setup(2);
    const reply = text(await send(7, '/subscribe 植树'));
    expect(reply).toContain('已订阅「植树」');
    expect(reply).toContain('德胜街道总工会组织职工开展植树活动');
    expect(reply).toContain('<blockquote>');
    expect(reply).not.toContain('女职工');
    expect(text(await send(7, '/subscribe “植树”'))).toContain('已经订阅了「植树」');
    expect(text(await send(7, '/subscribe Ｔｒｅｅ'))).toContain('已订阅');
    expect(text(await send(7, '/subscribe tree'))).toContain('已经订阅了「Ｔｒｅｅ」');
    expect(text(await send(7, '/subscribe 女职工'))).toContain('最多可以订阅 2 个话题');
    expect(text(await send(7, `/subscribe ${'长'.repeat(101)}`))).toContain('最多 100 个字');
    expect((await state.listSubscriptions({ userId: 7 })).map((s) => s.topic)).toEqual(['植树', 'Ｔｒｅｅ']);
  });

  it('lists with ❌ buttons, unsubscribes by button and by topic', async () => {
    const { send, click, state } = await setup();
    await send(7, '/subscribe 植树');
    await send(7, '/subscribe 女职工');
    const list = (await send(7, '/subscriptions')).find((c) => c.method === 'sendMessage')!;
    const kb = (list.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(kb.map((r) => r[0]!.text)).toEqual(['❌ 植树', '❌ 女职工']);
    for (const row of kb) expect(Buffer.byteLength(row[0]!.callback_data)).toBeLessThanOrEqual(64);
    const after = await click(7, kb[0]![0]!.callback_data);
    expect(after.find((c) => c.method === 'answerCallbackQuery')?.payload.text).toContain('植树');
    expect(after.find((c) => c.method === 'editMessageText')?.payload.text).toContain('女职工');
    // Someone else's button / stale button
    const stale = await click(7, kb[0]![0]!.callback_data);
    expect(stale.find((c) => c.method === 'answerCallbackQuery')?.payload.text).toContain('已经取消');
    expect(text(await send(7, '/unsubscribe 不存在'))).toContain('没有找到订阅');
    expect(text(await send(7, '/unsubscribe 女职工'))).toContain('已取消订阅「女职工」');
    expect(await state.listSubscriptions({ userId: 7 })).toEqual([]);
    expect(text(await send(7, '/unsubscribe'))).toContain('还没有订阅');
  });

  it('/digest sends only what is new, then says nothing new', async () => {
    const { send, engine } = await setup();
    expect(text(await send(7, '/digest'))).toContain('还没有订阅话题');
    await send(7, '/subscribe 植树');
    expect(text(await send(7, '/digest'))).toContain('还没有新报道');
    engine.add(fakeArticle('a4', '新的植树报道'));
    const digest = text(await send(7, '/digest'));
    expect(digest).toContain('新的植树报道');
    expect(digest).not.toContain('德胜街道');
    expect(text(await send(7, '/digest'))).toContain('还没有新报道');
  });

  it('/digest_time sets, turns off, resets and rejects junk', async () => {
    const { send, state } = await setup();
    expect(text(await send(7, '/digest_time'))).toContain('08:00');
    expect(text(await send(7, '/digest_time 7：30'))).toContain('07:30');
    expect((await state.getUser(7))?.digestTime).toBe('07:30');
    expect(text(await send(7, '/digest_time off'))).toContain('已关闭');
    expect((await state.getUser(7))?.digestTime).toBe('off');
    expect(text(await send(7, '/digest_time default'))).toContain('08:00');
    expect((await state.getUser(7))?.digestTime).toBeNull();
    expect(text(await send(7, '/digest_time 25:99 <b>'))).toContain('「25:99 &lt;b&gt;」');
    expect(text(await send(7, '/digest_time soon', 'en'))).toContain('HH:MM');
  });
});

describe('helpers', () => {
  it('parse digest times, topics and callback data', () => {
    expect(parseDigestTime('8:05')).toBe('08:05');
    expect(parseDigestTime('２０：００')).toBe('20:00');
    expect(parseDigestTime('24:00')).toBeUndefined();
    expect(parseDigestTime('关闭')).toBe('off');
    expect(cleanTopic('  「冬季 送温暖」 ')).toBe('冬季 送温暖');
    expect(decodeUnsub(encodeUnsub(42))).toBe(42);
    expect(decodeUnsub('unsub:abc')).toBeUndefined();
    expect(decodeUnsub('unsub:0')).toBeUndefined();
    expect(decodeUnsub(undefined)).toBeUndefined();
  });
});
