/**
 * End to end: the real bot (createBot + @grammyjs/runner, real State in memory) against the Bot API
 * emulator on 127.0.0.1, with a fake Engine of canned answers (see test/emulator/fakes.ts).
 * Every message the bot sends is validated by the emulator like Telegram would (HTML, lengths, buttons).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from 'grammy';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { State } from '../../src/state/index.js';
import { createBot, registerCommands, startPolling, startWebhook, type BotContext, type Polling } from '../../src/bot/index.js';
import { BotApiEmulator, FAKE_TOKEN, type RecordedCall } from '../emulator/bot-api.js';
import { FakeEngine } from '../emulator/fakes.js';

const ADMIN = 9001;
const RATE = 6;

type Button = { text: string; callback_data?: string };
const keyboardOf = (c: RecordedCall): Button[][] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []);
const buttons = (c: RecordedCall) => keyboardOf(c).flat();
const textOf = (c: RecordedCall) => c.parsed?.text ?? String(c.params.text ?? '');

describe('bot end to end (fake engine, emulator)', () => {
  let emu: BotApiEmulator;
  let engine: FakeEngine;
  let state: State;
  let config: Config;
  let bot: Bot<BotContext>;
  let polling: Polling;
  const log = createLogger('silent');
  let nextId = 100;
  const newUser = () => nextId++;

  const start = () => {
    bot = createBot({ config, log, engine, state });
    polling = startPolling(bot, { log, timeoutSeconds: 5 });
  };

  /** Injects a text and waits for the bot's `n`-th sendMessage to that chat. */
  async function say(chatId: number, userId: number, text: string, opts: Parameters<BotApiEmulator['sendText']>[3] & { replies?: number } = {}) {
    const since = emu.mark();
    const msg = emu.sendText(chatId, userId, text, opts);
    const replies = await emu.waitForCalls((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === chatId, opts.replies ?? 1, { since });
    return { msg, replies, reply: replies[0]!, since };
  }

  beforeAll(async () => {
    emu = await BotApiEmulator.start();
    engine = new FakeEngine();
    state = await State.open(':memory:');
    config = loadConfig({ BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, ADMIN_IDS: String(ADMIN), RATE_LIMIT_PER_MINUTE: String(RATE), LOG_LEVEL: 'silent' });
    start();
  });

  afterAll(async () => {
    await polling?.stop();
    await state.close();
    await emu.close();
  });

  it('private question → quotes in blockquotes with [n], sources list, buttons; typing shown; valid HTML', async () => {
    const u = newUser();
    const { msg, reply, since } = await say(u, u, '通州区去年新发展了多少工会会员？');
    expect(emu.callsTo('sendChatAction', since).some((c) => c.params.action === 'typing' && Number(c.params.chat_id) === u)).toBe(true);
    const text = textOf(reply);
    expect(text).toContain('吸纳工会会员14708人（含<新就业形态>劳动者）。 [1]');
    expect(text).toContain('“我们将继续推动 A&B 两类企业建会，”负责人说。 [1]');
    expect(text).toContain('顺义区总工会积极深入基层参加职工沟通会。 [2]');
    expect(text).toMatch(/来源\n\[1\] 深入学习贯彻 <党的二十大> 精神 通州区工会“双沟通” & 会员发展 — 记者 王路曼 通讯员 于佳慧\n\[2\] /u);
    expect(reply.parsed!.entities.filter((e) => e.type === 'blockquote')).toHaveLength(3);
    expect((reply.params.reply_parameters as { message_id: number }).message_id).toBe(msg.message_id);
    expect(buttons(reply).map((b) => b.text)).toEqual(['原文 1', '原文 2', '👍', '👎']);
    for (const b of buttons(reply)) expect(Buffer.byteLength(b.callback_data!)).toBeLessThanOrEqual(64);
  });

  it('原文 n → the passage in context with the quote in bold; 👍 → feedback stored once', async () => {
    const u = newUser();
    const { reply } = await say(u, u, '会员有多少？');
    const answerId = (reply.result as { message_id: number }).message_id;
    const [src1, , up] = buttons(reply);

    let since = emu.mark();
    emu.pressButton(u, u, answerId, src1!.callback_data!);
    const passage = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === u, { since });
    await emu.waitForCall((c) => c.method === 'answerCallbackQuery' && c.ok, { since });
    const ptext = textOf(passage);
    expect(ptext.startsWith('深入学习贯彻 <党的二十大> 精神 通州区工会“双沟通” & 会员发展\n记者 王路曼 通讯员 于佳慧\n')).toBe(true);
    expect(ptext).toContain('本报讯'); // the paragraph before
    const bold = passage.parsed!.entities.filter((e) => e.type === 'bold').map((e) => ptext.slice(e.offset, e.offset + e.length));
    expect(bold).toContain('去年全区新建工会组织92家，吸纳工会会员14708人（含<新就业形态>劳动者）。');

    const before = (await state.stats()).feedbackUp;
    since = emu.mark();
    emu.pressButton(u, u, answerId, up!.callback_data!);
    const ack = await emu.waitForCall((c) => c.method === 'answerCallbackQuery', { since });
    expect(ack.ok).toBe(true);
    expect(String(ack.params.text)).toContain('👍');
    expect((await state.stats()).feedbackUp).toBe(before + 1);

    since = emu.mark();
    emu.pressButton(u, u, answerId, up!.callback_data!);
    const again = await emu.waitForCall((c) => c.method === 'answerCallbackQuery', { since });
    expect(String(again.params.text)).toContain('已经评价过');
    expect((await state.stats()).feedbackUp).toBe(before + 1);
  });

  it('junk and stale callback data get a polite toast, never a crash', async () => {
    const u = newUser();
    await say(u, u, '/help');
    for (const data of ['garbage', 'fb:ZZZZZZZZ:up', 'src:nope-1:1-2', 'srq:ZZZZZZZZ:1', 'lang:xx']) {
      const since = emu.mark();
      emu.pressButton(u, u, 1, data);
      const ack = await emu.waitForCall((c) => c.method === 'answerCallbackQuery', { since });
      expect(ack.ok).toBe(true);
      expect(String(ack.params.text ?? '')).not.toBe('');
    }
    expect(emu.calls.filter((c) => !c.ok && c.method !== 'getUpdates' && c.method !== 'setMyCommands')).toEqual([]);
  });

  it('groups: /ask, @mention and replies to the bot are questions; plain chatter and other bots’ commands are not', async () => {
    const g = -100500;
    const u = newUser();
    const asked = await say(g, u, '/ask 工会会员发展情况', { chatType: 'supergroup' });
    expect(textOf(asked.reply)).toContain('[1]');
    const mention = await say(g, u, '@baowen_test_bot 会员发展得怎么样', { chatType: 'supergroup', entities: [{ type: 'mention', offset: 0, length: 16 }] });
    expect(engine.asked.at(-1)).toBe('会员发展得怎么样');
    expect(textOf(mention.reply)).toContain('[2]');
    const answerId = (mention.reply.result as { message_id: number }).message_id;
    await say(g, u, '那会员呢', { chatType: 'supergroup', replyTo: answerId });
    expect(engine.asked.at(-1)).toBe('那会员呢');
    const empty = await say(g, u, '/ask', { chatType: 'supergroup' });
    expect(textOf(empty.reply)).toContain('/ask');

    const since = emu.mark();
    const asks = engine.asked.length;
    emu.sendText(g, u, '大家好，今天开会吗？会员都来', { chatType: 'supergroup' });
    emu.sendText(g, u, '/ask@other_bot 会员', { chatType: 'supergroup' });
    emu.sendText(g, u, '/foo', { chatType: 'supergroup' });
    emu.sendNonText(g, u, 'sticker', { chatType: 'supergroup' });
    await emu.idle(400);
    expect(emu.sentTo(g, since)).toEqual([]);
    expect(engine.asked.length).toBe(asks);
  });

  it('inline mode: ≤ 5 valid article results; empty query → a hint button; nothing found → a hint', async () => {
    const u = newUser();
    let since = emu.mark();
    emu.inlineQuery(u, '会员');
    const ans = await emu.waitForCall((c) => c.method === 'answerInlineQuery', { since });
    expect(ans.ok).toBe(true);
    const results = ans.params.results as { type: string; input_message_content: { message_text: string } }[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(5);
    expect(results[0]!.input_message_content.message_text).toContain('<blockquote>');
    expect(Number(ans.params.cache_time)).toBeLessThanOrEqual(300);

    for (const q of ['', '   ', '今天天气如何']) {
      since = emu.mark();
      emu.inlineQuery(u, q);
      const a = await emu.waitForCall((c) => c.method === 'answerInlineQuery', { since });
      expect(a.ok).toBe(true);
      expect(a.params.results).toEqual([]);
      expect((a.params.button as { text: string }).text).toBeTruthy();
    }
  });

  it('refusal: friendly, with example questions from the index and how to rephrase; English in keyword mode gets the model note', async () => {
    const u = newUser();
    const { reply } = await say(u, u, '今天天气如何？');
    const text = textOf(reply);
    expect(text).toContain('没有找到');
    expect(text).toMatch(/• .+，具体是怎么做的？/u);
    expect(text).toContain('换个说法');
    expect(text).not.toContain('多语言模型');

    const en = await say(u, u, 'How many new union members were there?');
    expect(textOf(en.reply)).toContain('多语言模型');
    engine.mode = 'hybrid';
    try {
      const hybrid = await say(u, u, 'How many new union members were there?');
      expect(textOf(hybrid.reply)).not.toContain('多语言模型');
    } finally {
      engine.mode = 'keyword';
    }
  });

  it('bad input: non-text, empty, too long, HTML-like, emoji-only, junk arguments, unknown commands', async () => {
    const u = newUser();
    for (const kind of ['sticker', 'photo', 'voice', 'document', 'location'] as const) {
      const since = emu.mark();
      emu.sendNonText(u, u, kind);
      const r = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === u, { since });
      expect(textOf(r)).toContain('文字');
    }
    const u2 = newUser();
    const asks = engine.asked.length;
    expect(textOf((await say(u2, u2, '   ')).reply)).toContain('请');
    expect(textOf((await say(u2, u2, '问'.repeat(1001))).reply)).toContain('太长');
    expect(textOf((await say(u2, u2, '😀😀😀')).reply)).toContain('文字');
    expect(engine.asked.length).toBe(asks); // none of these searched

    const html = await say(u2, u2, '<b>x</b> 是什么？');
    expect(engine.asked.at(-1)).toBe('<b>x</b> 是什么？');
    expect(textOf(html.reply)).toContain('网页里写着 <b>加粗</b> 这样的字样也要原样显示。 [1]');
    expect(html.reply.parsed!.entities.some((e) => e.type === 'bold' && textOf(html.reply).slice(e.offset, e.offset + e.length) === '加粗')).toBe(false);

    const u3 = newUser();
    const lang = await say(u3, u3, '/lang klingon');
    expect(textOf(lang.reply)).toContain('klingon');
    expect(buttons(lang.reply).map((b) => b.text)).toEqual(['中文', 'English']);
    const tags = await say(u3, u3, '/lang <b>x</b> & y');
    expect(textOf(tags.reply)).toContain('<b>x</b> & y'); // shown as typed: escaped inside the HTML message
    expect(textOf((await say(u3, u3, '/nosuchcommand 123')).reply)).toContain('/nosuchcommand');
    expect(textOf((await say(u3, u3, '/status <script>&')).reply)).toContain('仅关键词检索');
    expect(emu.calls.filter((c) => !c.ok && c.method === 'sendMessage')).toEqual([]);
  });

  it('engine failure → a short apology, and the bot keeps working', async () => {
    const u = newUser();
    const { reply } = await say(u, u, 'boom 会员');
    expect(textOf(reply)).toContain('抱歉');
    expect(textOf((await say(u, u, '会员')).reply)).toContain('[1]');
  });

  it('survives a 429 (retry_after 1) and a 500 from Telegram: the answer still arrives', async () => {
    const u = newUser();
    emu.failNext('sendMessage', 1, { code: 429, retryAfter: 1 });
    const t0 = Date.now();
    const first = await say(u, u, '会员');
    expect(textOf(first.reply)).toContain('[1]');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(emu.callsTo('sendMessage', first.since).some((c) => c.errorCode === 429)).toBe(true);

    emu.failNext('sendMessage', 1, { code: 500 });
    const second = await say(u, u, '会员', { replies: 1 });
    expect(textOf(second.reply)).toContain('[1]');
    expect(emu.callsTo('sendMessage', second.since).some((c) => c.errorCode === 500)).toBe(true);
  }, 20_000);

  it('a user who blocked the bot does not break anything for others', async () => {
    const blocked = newUser();
    const other = newUser();
    emu.addChat({ id: blocked, type: 'private' });
    emu.blockChat(blocked);
    const since = emu.mark();
    emu.sendText(blocked, blocked, '会员');
    await emu.waitForCall((c) => c.errorCode === 403, { since });
    emu.blockChat(blocked, false);
    expect(textOf((await say(other, other, '会员')).reply)).toContain('[1]');
  });

  it('rate limit: over RATE_LIMIT_PER_MINUTE a user is told once, without searching', async () => {
    const u = newUser();
    const since = emu.mark();
    const asks = engine.asked.length;
    for (let i = 0; i < RATE + 3; i++) emu.sendText(u, u, `天气 ${i}？`);
    await emu.waitForCalls((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === u, RATE + 1, { since });
    await emu.idle(400);
    const sent = emu.sentTo(u, since).map(textOf);
    expect(sent).toHaveLength(RATE + 1);
    expect(sent.filter((t) => t.includes('太频繁'))).toHaveLength(1);
    expect(engine.asked.length - asks).toBe(RATE);
  });

  it('/start /help /sources /status, then /lang en switches to English (and the button back)', async () => {
    const u = newUser();
    const startMsg = textOf((await say(u, u, '/start')).reply);
    expect(startMsg).toContain('报问');
    expect(startMsg).toMatch(/• .+，具体是怎么做的？/u);
    const again = textOf((await say(u, u, '/start')).reply);
    expect(again).toBe(startMsg); // examples are stable for an index
    expect(textOf((await say(u, u, '/help')).reply)).toContain('/ask');
    const sources = await say(u, u, '/sources');
    expect(textOf(sources.reply)).toContain('已收录 3 个版面、4 篇文章');
    expect(textOf(sources.reply)).not.toContain('001_aaaa1111.txt'); // page files are for admins
    expect(textOf(sources.reply)).toContain('版面 1');
    const status = textOf((await say(u, u, '/status')).reply);
    expect(status).toContain('⚠️ 仅关键词检索');
    expect(status).toContain('<offline> & no cache');

    expect((await state.getUser(u))?.lang ?? null).toBeNull();
    // a fresh user for the language round trip (RATE_LIMIT_PER_MINUTE is small in this suite)
    const v = newUser();
    const set = await say(v, v, '/lang en');
    expect(textOf(set.reply)).toContain('English');
    expect(textOf((await say(v, v, '/help')).reply)).toContain('How to use');
    expect(textOf((await say(v, v, 'what is the weather')).reply)).toContain('keyword-only');
    expect((await state.getUser(v))?.lang).toBe('en');

    const menu = await say(v, v, '/lang');
    const zhButton = buttons(menu.reply).find((b) => b.text === '中文')!;
    const since = emu.mark();
    emu.pressButton(v, v, (menu.reply.result as { message_id: number }).message_id, zhButton.callback_data!);
    const edit = await emu.waitForCall((c) => c.method === 'editMessageText', { since });
    expect(edit.ok).toBe(true);
    expect(textOf(edit)).toContain('中文');
    expect((await state.getUser(v))?.lang).toBe('zh');
    expect(textOf((await say(v, v, '/help')).reply)).toContain('怎么用');

    const enUser = newUser();
    expect(textOf((await say(enUser, enUser, '/help', { languageCode: 'en-GB' })).reply)).toContain('How to use');
  });

  it('admins: non-admins are refused; /reindex runs in the background, reports counts, refuses a second run; /stats', async () => {
    const u = newUser();
    expect(textOf((await say(u, u, '/reindex')).reply)).toContain('运营人员');
    expect(textOf((await say(u, u, '/stats')).reply)).toContain('运营人员');
    expect(engine.reindexCalls).toBe(0);

    let release!: () => void;
    engine.reindexGate = new Promise<void>((r) => (release = r));
    try {
      expect(textOf((await say(ADMIN, ADMIN, '/reindex')).reply)).toContain('开始重建索引');
      // the admin's own chat is not blocked while it runs, nor are others
      expect(textOf((await say(ADMIN, ADMIN, '/reindex')).reply)).toContain('正在重建');
      const other = newUser();
      expect(textOf((await say(other, other, '会员')).reply)).toContain('[1]');
      const since = emu.mark();
      release();
      const done = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === ADMIN, { since });
      expect(textOf(done)).toContain('索引已更新（keyword）：4 篇文章');
      expect(textOf(done)).toContain('新增 1 · 变更 2');
      expect(textOf(done)).toContain('跳过 bad<page>.txt：no headline & no body');
      expect(engine.reindexCalls).toBe(1);
    } finally {
      engine.reindexGate = null;
    }
    const stats = textOf((await say(ADMIN, ADMIN, '/stats')).reply);
    expect(stats).toMatch(/用户 \d+/u);
    expect(stats).toContain('👍 1');
  });

  it('command menus: zh default, en, and per admin chat; a failing one is logged, not fatal', async () => {
    const since = emu.mark();
    await registerCommands(bot.api, { adminIds: [ADMIN, 777_777], log });
    const calls = emu.callsTo('setMyCommands', since);
    expect(calls).toHaveLength(6);
    expect(calls.filter((c) => c.ok)).toHaveLength(4); // 777777 never talked to the bot: chat not found
    const en = calls.find((c) => c.params.language_code === 'en' && !c.params.scope)!;
    expect((en.params.commands as { command: string; description: string }[]).find((c) => c.command === 'sources')?.description).toMatch(/articles/u);
    const admin = calls.find((c) => (c.params.scope as { chat_id?: number } | undefined)?.chat_id === ADMIN && c.ok)!;
    expect((admin.params.commands as { command: string }[]).map((c) => c.command)).toContain('reindex');
  });

  it('an answer longer than 4096 characters arrives as several valid messages, buttons on the last', async () => {
    const u = newUser();
    const { replies, msg } = await say(u, u, '讲讲会站家（长）', { replies: 2 });
    await emu.idle(300);
    const all = emu.sentTo(u, 0).filter((c) => c.at >= replies[0]!.at);
    expect(all.length).toBeGreaterThan(1);
    for (const c of all) expect(c.parsed!.text.length).toBeLessThanOrEqual(4096);
    expect((all[0]!.params.reply_parameters as { message_id: number }).message_id).toBe(msg.message_id);
    expect(keyboardOf(all.at(-1)!).length).toBeGreaterThan(0);
    for (const c of all.slice(0, -1)) expect(c.params.reply_markup).toBeUndefined();
    expect(textOf(all.at(-1)!)).toContain('来源');
  });

  it('restart: stop the runner, start again → offset confirmed, no update processed twice', async () => {
    const u = newUser();
    const first = await say(u, u, '会员');
    await polling.stop();
    // while the bot is down
    const queued = emu.sendText(u, u, '会员还有吗');
    await new Promise((r) => setTimeout(r, 200));
    expect(emu.sentTo(u, first.since)).toHaveLength(1);
    const since = emu.mark();
    start();
    const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === u, { since });
    expect((reply.params.reply_parameters as { message_id: number }).message_id).toBe(queued.message_id);
    await emu.idle(500);
    // the first question was not answered again
    const answeredFirst = emu.sentTo(u).filter((c) => (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === first.msg.message_id);
    expect(answeredFirst).toHaveLength(1);
    // every update handed out by getUpdates exactly once over the whole suite
    const delivered = emu.calls.filter((c) => c.method === 'getUpdates' && c.ok).flatMap((c) => c.params._delivered as number[]);
    expect(new Set(delivered).size).toBe(delivered.length);
  });

  it('every text the bot sent in this suite was HTML: replies, edits, inline results, the background /reindex report', () => {
    const { checked, plain } = emu.textsNotHtml();
    expect(plain).toEqual([]);
    expect(checked.sendMessage).toBeGreaterThan(40);
    expect(checked.editMessageText).toBeGreaterThan(0);
    expect(checked.answerInlineQuery).toBeGreaterThan(0);
  });
});

describe('webhook mode', () => {
  it('serves updates at the WEBHOOK_URL path with the secret, and /healthz', async () => {
    const emu = await BotApiEmulator.start();
    const state = await State.open(':memory:');
    const engine = new FakeEngine();
    const log = createLogger('silent');
    const config = loadConfig({ BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, WEBHOOK_URL: 'http://127.0.0.1:1/tg/hook', WEBHOOK_SECRET: 's3cret_-x', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' });
    const bot = createBot({ config, log, engine, state });
    // PORT=0 picks a free port; point the emulator's webhook there once we know it.
    const hook = await startWebhook(bot, { config, engine, log, state });
    try {
      const setHook = emu.callsTo('setWebhook')[0]!;
      expect(setHook.params.secret_token).toBe('s3cret_-x');
      emu.webhook = { url: `http://127.0.0.1:${hook.port}/tg/hook`, secretToken: 's3cret_-x' };

      const health = await fetch(`http://127.0.0.1:${hook.port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        ok: true, mode: 'keyword', transport: 'webhook', articles: 4, database: { ok: true, backend: 'sqlite' }, index: { ok: true },
      });

      const wrong = await fetch(`http://127.0.0.1:${hook.port}/tg/hook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'nope' }, body: '{}' });
      expect(wrong.status).toBe(401);

      const since = emu.mark();
      emu.sendText(4242, 4242, '会员');
      const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === 4242, { since });
      expect(reply.parsed!.text).toContain('[1]');

      // Prometheus metrics count what just happened.
      const metrics = await (await fetch(`http://127.0.0.1:${hook.port}/metrics`)).text();
      expect(metrics).toMatch(/^baowen_answers_total\{outcome="answered"\} [1-9]/mu);
      expect(metrics).toMatch(/^baowen_answer_seconds_count [1-9]/mu);

      // The database becomes unusable: /healthz says so with a 503 (a load balancer stops sending here).
      await state.close();
      const down = await fetch(`http://127.0.0.1:${hook.port}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ ok: false, database: { ok: false }, index: { ok: true } });
    } finally {
      const t1 = Date.now();
      await hook.stop();
      expect(Date.now() - t1).toBeLessThan(2000);
      await state.close();
      await emu.close();
    }
  });
});
