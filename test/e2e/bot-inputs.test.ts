/**
 * The inputs a fuzzer found (issue 14), end to end through the emulator with the fake engine:
 * slash texts that are not commands, command arguments named like built-in object properties,
 * mentions of another bot whose username starts with ours, and a chat that blocked the bot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from 'grammy';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { State } from '../../src/state/index.js';
import { createBot, startPolling, type BotContext, type Polling } from '../../src/bot/index.js';
import { BotApiEmulator, FAKE_TOKEN, type RecordedCall } from '../emulator/bot-api.js';
import { FakeEngine } from '../emulator/fakes.js';

const textOf = (c: RecordedCall) => c.parsed?.text ?? String(c.params.text ?? '');

describe('inputs the fuzzer found', () => {
  let emu: BotApiEmulator;
  let engine: FakeEngine;
  let state: State;
  let bot: Bot<BotContext>;
  let polling: Polling;
  let nextId = 5000;
  const newUser = () => nextId++;

  async function say(chatId: number, userId: number, text: string, opts: Parameters<BotApiEmulator['sendText']>[3] = {}) {
    const since = emu.mark();
    const msg = emu.sendText(chatId, userId, text, opts);
    const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === chatId, { since });
    return { msg, reply, text: textOf(reply), since };
  }

  beforeAll(async () => {
    emu = await BotApiEmulator.start();
    engine = new FakeEngine();
    state = await State.open(':memory:');
    const config = loadConfig({ BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, RATE_LIMIT_PER_MINUTE: '100', LOG_LEVEL: 'silent' });
    bot = createBot({ config, log: createLogger('silent'), engine, state });
    polling = startPolling(bot, { log: createLogger('silent'), timeoutSeconds: 5 });
  });

  afterAll(async () => {
    await polling?.stop();
    await state.close();
    await emu.close();
  });

  it('a question typed after a slash is answered; slash junk gets the short help', async () => {
    const u = newUser();
    const q = await say(u, u, '/ 通州区去年新发展了多少工会会员？');
    expect(engine.asked.at(-1)).toBe('通州区去年新发展了多少工会会员？');
    expect(q.text).toContain('[1]');
    expect((q.reply.params.reply_parameters as { message_id: number }).message_id).toBe(q.msg.message_id);

    const asks = engine.asked.length;
    for (const junk of ['/', '/ ', '//', '/🙂', '/@bot', '/@baowen_test_bot']) {
      const r = await say(u, u, junk);
      expect(r.text, junk).toContain('不用加 /');
    }
    expect(engine.asked.length).toBe(asks); // none of them searched
    // a slash before Chinese words is no command (Telegram attaches no bot_command entity): a question
    expect((await say(u, u, '/开始')).text).toContain('没有找到');
    expect(engine.asked.at(-1)).toBe('开始');
    // real commands still work, unknown ones are named
    expect((await say(u, u, '/help')).text).toContain('/ask');
    expect((await say(u, u, '/nosuch')).text).toContain('/nosuch');
    const en = newUser();
    expect((await say(en, en, '//', { languageCode: 'en' })).text).toContain('without a leading /');
  });

  it('/lang with built-in property names is an unknown language, not a crash', async () => {
    const u = newUser();
    for (const arg of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const r = await say(u, u, `/lang ${arg}`);
      expect(r.text).toContain(arg);
      expect(r.text).not.toContain('抱歉');
    }
    expect((await state.getUser(u))?.lang ?? null).toBeNull();
    expect((await say(u, u, '/lang EN')).text).toContain('English');
    expect((await state.getUser(u))?.lang).toBe('en');
  });

  it('a language button pressed twice edits once (Telegram refuses an edit that changes nothing)', async () => {
    const u = newUser();
    const menu = await say(u, u, '/lang');
    const zh = (menu.reply.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat().find((b) => b.text === '中文')!;
    const messageId = (menu.reply.result as { message_id: number }).message_id;
    const since = emu.mark();
    emu.pressButton(u, u, messageId, zh.callback_data);
    await emu.waitForCall((c) => c.method === 'editMessageText', { since });
    const again = emu.mark();
    emu.pressButton(u, u, messageId, zh.callback_data); // the message now says "中文" already
    expect((await emu.waitForCall((c) => c.method === 'answerCallbackQuery', { since: again })).ok).toBe(true);
    await emu.idle(200);
    expect(emu.callsTo('editMessageText', since).map((c) => c.ok)).toEqual([true]);
  });

  it('/digest_time and /subscribe with property-like arguments get their usual replies', async () => {
    const u = newUser();
    expect((await say(u, u, '/digest_time constructor')).text).toContain('constructor');
    expect((await say(u, u, '/digest_time __proto__')).text).toContain('__proto__');
    expect((await say(u, u, '/unsubscribe constructor')).text).toContain('constructor');
  });

  it('groups: another bot whose username starts with ours is not us; mentions are read from entities', async () => {
    const g = -100777;
    const u = newUser();
    const since = emu.mark();
    const asks = engine.asked.length;
    // Telegram attaches a mention entity covering the whole "@baowen_test_bot_helper"
    emu.sendText(g, u, '@baowen_test_bot_helper 会员有多少', { chatType: 'supergroup' });
    // a typed prefix without an entity (no client sends that for us) is not a mention either
    emu.sendText(g, u, '@baowen_test_bot会员', { chatType: 'supergroup', entities: [] });
    emu.sendText(g, u, '/ask@baowen_test_bot_helper 会员', { chatType: 'supergroup' });
    await emu.idle(400);
    expect(emu.sentTo(g, since)).toEqual([]);
    expect(engine.asked.length).toBe(asks);

    const ours = await say(g, u, '@baowen_test_bot 会员有多少', { chatType: 'supergroup' });
    expect(engine.asked.at(-1)).toBe('会员有多少');
    expect(ours.text).toContain('[1]');
    // a text_mention (a mention by name, for users without a username) of our bot counts too
    const byName = await say(g, u, '报问 会员怎么样', {
      chatType: 'supergroup',
      entities: [{ type: 'text_mention', offset: 0, length: 2, user: { id: emu.bot.id, is_bot: true, first_name: '报问' } }],
    });
    expect(engine.asked.at(-1)).toBe('会员怎么样');
    expect(byName.text).toContain('[1]');
  });

  it('a 403 on an ordinary reply marks the user inactive and nothing more (no apology) goes to that chat', async () => {
    const u = newUser();
    await say(u, u, '/start');
    expect((await state.getUser(u))?.active).toBe(true);
    emu.blockChat(u);
    const since = emu.mark();
    emu.sendText(u, u, '会员有多少？');
    await emu.waitForCall((c) => c.errorCode === 403, { since });
    await emu.idle(400);
    const toChat = emu.calls.slice(since).filter((c) => Number(c.params.chat_id) === u);
    // the first attempt ("typing…") answers 403 — then silence: no answer, no apology
    expect(toChat.map((c) => `${c.method} ${c.errorCode}`)).toEqual(['sendChatAction 403']);
    expect((await state.getUser(u))?.active).toBe(false);

    // the error path too: an engine failure for a blocked user sends no apology
    const since2 = emu.mark();
    emu.sendText(u, u, 'boom 会员');
    await emu.idle(400);
    expect(emu.calls.slice(since2).filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === u)).toEqual([]);

    // unblocked: a later message lifts it, the user is active again and answered
    emu.blockChat(u, false);
    await new Promise((r) => setTimeout(r, 1100)); // Telegram dates are in seconds
    expect((await say(u, u, '会员有多少？')).text).toContain('[1]');
    expect((await state.getUser(u))?.active).toBe(true);
  });
});
