/**
 * End to end with the REAL engine (createEngine on a temp index built from the seed pages,
 * keyword-only because the model is not available offline) and the real State, against the emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { BotApiEmulator, RecordedCall } from '../emulator/bot-api.js';
import { startRealBot, type RealBot } from '../helpers.js';

type Button = { text: string; callback_data?: string };
const buttons = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const textOf = (c: RecordedCall) => c.parsed?.text ?? '';

describe('bot end to end (real engine on a temp index, emulator)', () => {
  let emu: BotApiEmulator;
  let engine: Engine;
  let real: RealBot;
  let nextId = 5000;
  const newUser = () => nextId++;

  async function say(chatId: number, userId: number, text: string, replies = 1) {
    const since = emu.mark();
    const msg = emu.sendText(chatId, userId, text);
    const calls = await emu.waitForCalls((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === chatId, replies, { since, timeoutMs: 30_000 });
    return { msg, calls, reply: calls[0]!, since };
  }

  beforeAll(async () => {
    real = await startRealBot('baowen-bot-e2e-', { RATE_LIMIT_PER_MINUTE: '100' });
    ({ emu, engine } = real);
  });

  afterAll(async () => {
    await real?.stop();
  });

  it('answers a seed question with verbatim quotes, [n] and the source (headline, page, reporter)', async () => {
    const u = newUser();
    const { reply } = await say(u, u, '顺义区去年吸纳了多少工会会员？');
    const text = textOf(reply);
    expect(text).toContain('14708');
    expect(text).toMatch(/ \[1\]/u);
    expect(text).toMatch(/\n\[1\] (.+ )?顺义区总工会持续推动“双沟通”提质增效 — 记者 王路曼/u);
    expect(text).not.toContain('.txt'); // without page metadata the headline and byline stand alone
    expect(reply.parsed!.entities.some((e) => e.type === 'blockquote')).toBe(true);

    // 原文 1: the quoted sentence, located by its offsets, is bold in the passage
    const src = buttons(reply).find((b) => b.text === '原文 1')!;
    const since = emu.mark();
    emu.pressButton(u, u, (reply.result as { message_id: number }).message_id, src.callback_data!);
    const passage = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === u, { since });
    const ptext = textOf(passage);
    expect(ptext.split('\n')[0]).toContain('顺义区总工会持续推动“双沟通”提质增效');
    expect(ptext.split('\n')[1]).toBe('记者 王路曼');
    const bold = passage.parsed!.entities.filter((e) => e.type === 'bold').map((e) => ptext.slice(e.offset, e.offset + e.length));
    expect(bold.some((b) => b.includes('吸纳工会会员14708人'))).toBe(true);
  });

  it('renders the engine’s reason for a refusal: an English question in keyword-only mode is told to ask in Chinese', async () => {
    const u = newUser();
    const english = await engine.ask('How many union members did Tongzhou recruit?');
    expect(english.refusal).toBe('needs-model');
    expect(textOf((await say(u, u, 'How many union members did Tongzhou recruit?')).reply)).toContain('请用中文提问');
    const chinese = textOf((await say(u, u, '北京今天天气怎么样，出门需要带伞吗？')).reply);
    expect(chinese).toContain('没有找到能回答这个问题的原句');
    expect(chinese).not.toContain('请用中文提问');
  });

  it('every quote the engine returns is exactly its article text at [start, end) (what 原文 relies on)', async () => {
    for (const q of ['顺义区去年吸纳了多少工会会员？', '通州区去年新发展了多少工会会员？', '植树']) {
      const answer = await engine.ask(q);
      for (const quote of answer.quotes) {
        const article = engine.index().articles.get(quote.articleId)!;
        expect(article.text.slice(quote.start, quote.end)).toBe(quote.text);
      }
    }
  });

  it('/sources lists every page and article; /status is loud about keyword-only; /start has examples', async () => {
    const u = newUser();
    const status = engine.status();
    const first = await say(u, u, '/sources');
    await emu.idle(300);
    const all = emu.sentTo(u, first.since).map(textOf).join('\n');
    expect(all).toContain(`已收录 ${status.pages} 个版面、${status.articles} 篇文章`);
    expect(all).not.toContain('.txt'); // page files are for admins
    for (const p of ['版面 1', '版面 5']) expect(all).toContain(p);
    expect(textOf((await say(u, u, '/status')).reply)).toContain('⚠️ 仅关键词检索');
    const start = textOf((await say(u, u, '/start')).reply);
    expect(start.match(/• .+，具体是怎么做的？/gu)?.length).toBe(3);
  });

  it('an English question in keyword-only mode is refused with the multilingual-model note', async () => {
    const u = newUser();
    const { reply } = await say(u, u, 'How many new union members did Shunyi recruit?');
    expect(textOf(reply)).toContain('多语言模型');
  });

  it('inline query returns ≤ 5 valid results', async () => {
    const since = emu.mark();
    emu.inlineQuery(newUser(), '通州区去年新发展了多少工会会员？');
    const ans = await emu.waitForCall((c) => c.method === 'answerInlineQuery', { since, timeoutMs: 30_000 });
    expect(ans.ok).toBe(true);
    const results = ans.params.results as unknown[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(5);
  });
});
