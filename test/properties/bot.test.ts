/**
 * Property (fast-check, seeded): any text a user can send, in a private chat or a group, through
 * the bot's real update handler (whole middleware stack, fake engine, Telegram faked at the API
 * transformer — on the payload as the wire carries it, the bot's HTML default applied — with
 * Telegram's own text validation) yields no thrown error, no error logged, no
 * message Telegram would reject, and at most the replies it should: in private at least one and a
 * few at most; in a group none unless the bot is asked (/ask, a mention of it, a reply to it).
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { State } from '../../src/state/index.js';
import { createBot } from '../../src/bot/index.js';
import { htmlPayload } from '../../src/bot/html-default.js';
import { telegramEntities } from '../emulator/bot-api.js';
import { FakeEngine } from '../emulator/fakes.js';
import { validateMessageText } from '../emulator/telegram-html.js';

const SEED = 1414;
const BOT = { id: 424242, is_bot: true as const, first_name: '报问', username: 'baowen_test_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true, can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false, can_manage_bots: false, supports_join_request_queries: false };
const COMMANDS = ['start', 'help', 'ask', 'sources', 'status', 'lang', 'subscribe', 'subscriptions', 'unsubscribe', 'digest', 'digest_time', 'reindex', 'stats', 'nosuch', 'START', 'ask@baowen_test_bot', 'ask@other_bot', 'lang@baowen_test_bot_helper'];
const JUNK = ['constructor', '__proto__', 'toString', 'hasOwnProperty', '<b>x</b>', '&amp;', '**bold**', '_x_', '[a](http://x)', '`code`', '25:99', 'off', 'en', 'zh', '中文', '🙂', '', ' ', '\u0000', '\u202e', '会员', '长', 'long'];
const QUESTION_BITS = ['通州区去年新发展了多少工会会员？', '会员', '天气', '长', '<script>', '&', '"', '/', '//', '@baowen_test_bot', '@baowen_test_bot_helper', '@other_bot', ' ', '\n', '🙂', '👩‍👩‍👧', '#', '*', '_', '`', '~', '|', '\\'];

const userText: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.array(fc.constantFrom(...QUESTION_BITS), { minLength: 1, maxLength: 12 }).map((a) => a.join('')),
    fc.tuple(fc.constantFrom(...COMMANDS), fc.constantFrom(...JUNK), fc.string({ unit: 'grapheme', maxLength: 10 })).map(([c, j, s]) => `/${c} ${j}${s}`),
    fc.tuple(fc.constantFrom('/', '//', '/ ', '/@', '/开始', '/🙂'), fc.string({ unit: 'grapheme', maxLength: 20 })).map(([p, s]) => p + s),
    fc.constantFrom('问'.repeat(1001), '长'.repeat(5000), `${'会员'.repeat(499)}？`),
  )
  .filter((s) => s.length > 0 && !s.includes('boom')); // "boom" makes the fake engine throw on purpose

describe('bot update handler properties', () => {
  const lines: string[] = [];
  const log = createLogger('warn', new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }) as unknown as { write(s: string): void });
  const config = loadConfig({ BOT_TOKEN: `${BOT.id}:AA${'x'.repeat(33)}`, RATE_LIMIT_PER_MINUTE: '100000', LOG_LEVEL: 'warn' });
  const sent: { method: string; payload: Record<string, unknown>; rejected?: string }[] = [];
  let messageId = 1;
  let state: State;
  let bot: ReturnType<typeof createBot>;
  beforeAll(async () => {
    state = await State.open(':memory:');
    bot = createBot({ config, log, engine: new FakeEngine(), state }, { botInfo: BOT });
    bot.api.config.use(fakeTelegram);
  });
  // Installed last, so it runs first: it applies the bot's HTML default itself, as the wire would see it.
  const fakeTelegram: Parameters<ReturnType<typeof createBot>['api']['config']['use']>[0] = async (_prev, method, payload) => {
    const p = htmlPayload(method, payload as Record<string, unknown>);
    const call: (typeof sent)[number] = { method, payload: p };
    sent.push(call);
    if (method === 'sendMessage' || method === 'editMessageText') {
      try {
        validateMessageText(p.text, p.parse_mode, p.entities);
      } catch (e) {
        call.rejected = (e as Error).message;
        return { ok: false, error_code: 400, description: call.rejected } as never;
      }
      return { ok: true, result: { message_id: messageId++, date: 0, chat: { id: p.chat_id, type: 'private' }, text: String(p.text) } } as never;
    }
    return { ok: true, result: true } as never;
  };
  afterAll(() => state.close());

  let updateId = 1;
  let userId = 1_000_000;
  const update = (text: string, chat: 'private' | 'group'): Update => {
    const uid = userId++;
    const chatObj = chat === 'private' ? { id: uid, type: 'private' as const, first_name: 'u' } : { id: -100_123, type: 'supergroup' as const, title: 'g' };
    const entities = telegramEntities(text);
    return { update_id: updateId++, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: chatObj, from: { id: uid, is_bot: false, first_name: 'u' }, text, ...(entities.length ? { entities } : {}) } } as unknown as Update;
  };

  it('any text: no error, no rejected message, and only the replies it should get', async () => {
    await fc.assert(
      fc.asyncProperty(userText, fc.constantFrom('private' as const, 'group' as const), async (text, chat) => {
        const before = sent.length;
        const logBefore = lines.length;
        await bot.handleUpdate(update(text, chat)); // rejects if any middleware throws
        const calls = sent.slice(before);
        const replies = calls.filter((c) => c.method === 'sendMessage');
        expect(calls.filter((c) => c.rejected)).toEqual([]);
        for (const r of replies) expect(String(r.payload.text).length).toBeLessThanOrEqual(4096);
        expect(lines.slice(logBefore).filter((l) => /"level":(50|60)/u.test(l))).toEqual([]);
        if (chat === 'private') {
          expect(replies.length).toBeGreaterThanOrEqual(1);
          expect(replies.length).toBeLessThanOrEqual(4);
        } else {
          const cmd = /^\/([A-Za-z0-9_]+)(@baowen_test_bot)?(?![A-Za-z0-9_@])/u.exec(text);
          const mentioned = telegramEntities(text).some((e) => e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === '@baowen_test_bot');
          if (!cmd && !mentioned) expect(replies).toEqual([]);
          else expect(replies.length).toBeLessThanOrEqual(4);
        }
      }),
      { seed: SEED, numRuns: 250 },
    );
  });
});
