/**
 * End to end for issue 12 (chat-native): the real engine on seed pages WITH front matter, the real
 * State, the bot long-polling the Bot API emulator. Sources read as the paper is cited, the
 * headline links to the report, and no page file name reaches a reader.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotApiEmulator, RecordedCall } from '../emulator/bot-api.js';
import { createHmac } from 'node:crypto';
import { PNG } from 'pngjs';
import os from 'node:os';
import { runScript, startRealBot, type RealBot } from '../helpers.js';

type Button = { text: string; callback_data?: string };
const buttons = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const textOf = (c: RecordedCall) => c.parsed?.text ?? '';
const links = (c: { text: string; entities: { type: string; offset: number; length: number; url?: string }[] }) =>
  c.entities.filter((e) => e.type === 'text_link').map((e) => ({ text: c.text.slice(e.offset, e.offset + e.length), url: e.url }));

const ADMIN = 777;
const PAGE_URL = (n: number) => `https://example.org/ldwb/2024-03/12/0${n}.html`;
const OWN_URL = 'https://example.org/ldwb/shunyi.html';
const SHUNYI = '顺义区总工会持续推动“双沟通”提质增效';

/** Front matter on every seed page (page n+1), and an own link under the 顺义 headline. */
function addFrontMatter(seedsDir: string): void {
  for (const [i, f] of fs.readdirSync(seedsDir).sort().entries()) {
    const p = path.join(seedsDir, f);
    let text = fs.readFileSync(p, 'utf8');
    text = text.replace(new RegExp(`(${SHUNYI}[^\\n]*\\n)`, 'u'), `$1url: ${OWN_URL}\n`);
    fs.writeFileSync(p, `---\npaper: 劳动午报\ndate: 2024-03-12\npage: ${i + 1}\nurl: ${PAGE_URL(i + 1)}\n---\n${text}`);
  }
}

describe('chat-native: citations people recognise (front matter on the seed pages)', () => {
  let real: RealBot;
  let emu: BotApiEmulator;
  let nextId = 12_000;
  const newUser = () => nextId++;

  async function say(chatId: number, userId: number, text: string, opts: { languageCode?: string } = {}) {
    const since = emu.mark();
    const msg = emu.sendText(chatId, userId, text, opts);
    const calls = await emu.waitForCalls((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === chatId, 1, { since, timeoutMs: 30_000 });
    return { msg, reply: calls[0]!, since };
  }

  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-chat-data-'));
    real = await startRealBot('baowen-chat-e2e-', { RATE_LIMIT_PER_MINUTE: '200', ADMIN_IDS: String(ADMIN), DATA_DIR: dataDir, QUESTION_LOG_SECRET: 'e2e-secret-0123456789' }, addFrontMatter);
    emu = real.emu;
  });
  afterAll(async () => {
    await real?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answer: 《劳动午报》2024年3月12日 第N版 · byline, headline linked to the article’s own url; 原文 too; English form in English', async () => {
    const u = newUser();
    const { reply } = await say(u, u, '顺义区去年吸纳了多少工会会员？');
    const text = textOf(reply);
    expect(text).toMatch(new RegExp(`\\n\\[1\\] (.+ )?${SHUNYI} — 《劳动午报》2024年3月12日 第1版 · 记者 王路曼`, 'u'));
    expect(text).not.toContain('.txt');
    expect(links(reply.parsed!)).toContainEqual({ text: expect.stringContaining(SHUNYI), url: OWN_URL });

    const src = buttons(reply).find((b) => b.text === '原文 1')!;
    const since = emu.mark();
    emu.pressButton(u, u, (reply.result as { message_id: number }).message_id, src.callback_data!);
    const passage = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === u, { since });
    expect(textOf(passage).split('\n')[1]).toBe('《劳动午报》2024年3月12日 第1版 · 记者 王路曼');
    expect(links(passage.parsed!)[0]?.url).toBe(OWN_URL);

    const en = newUser();
    await say(en, en, '/lang');
    const s2 = emu.mark();
    emu.pressButton(en, en, 1, 'lang:en');
    await emu.waitForCall((c) => c.method === 'answerCallbackQuery', { since: s2 });
    const enText = textOf((await say(en, en, '通州区去年新发展了多少工会会员？')).reply);
    expect(enText).toMatch(/\n\[1\] .+ — 劳动午报, 12 March 2024, p\. 2 · 记者 宗晓畅/u);
  });

  it('inline results cite the same way, with the link', async () => {
    const since = emu.mark();
    emu.inlineQuery(newUser(), '通州区去年新发展了多少工会会员？');
    const ans = await emu.waitForCall((c) => c.method === 'answerInlineQuery', { since, timeoutMs: 30_000 });
    const results = ans.params.results as { input_message_content: { message_text: string } }[];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      const m = r.input_message_content.message_text;
      expect(m).toContain('— 《劳动午报》2024年3月12日 第2版');
      expect(m).toContain(`<a href="${PAGE_URL(2)}">`);
      expect(m).not.toContain('.txt');
    }
  });

  it('/subscribe preview and the digest cite paper, date and page; /sources shows pages as cited, files to admins only', async () => {
    const u = newUser();
    const sub = await say(u, u, '/subscribe 植树');
    expect(textOf(sub.reply)).toContain('来源：《劳动午报》2024年3月12日 第');
    expect(textOf(sub.reply)).not.toContain('.txt');
    expect(links(sub.reply.parsed!).length).toBeGreaterThan(0);

    // A new page about tree planting arrives; the digest names it as the paper would.
    const page = fs.readFileSync(path.join(real.seedsDir, fs.readdirSync(real.seedsDir).sort()[0]!), 'utf8');
    const fresh = page.replace(/^---[\s\S]*?\n---\n/u, '---\npaper: 劳动午报\ndate: 2024-03-13\npage: 6\n---\n').replace(/德胜街道总工会组织职工开展植树活动/gu, '什刹海街道总工会组织职工开展植树活动');
    fs.writeFileSync(path.join(real.seedsDir, '900_new.txt'), fresh);
    await real.engine.reindex();
    const digest = await say(u, u, '/digest');
    const dtext = textOf(digest.reply);
    expect(dtext).toContain('什刹海街道总工会组织职工开展植树活动');
    expect(dtext).toContain('来源：《劳动午报》2024年3月13日 第6版');
    expect(dtext).not.toContain('.txt');

    const reader = await say(u, u, '/sources');
    await emu.idle(300);
    const all = emu.sentTo(u, reader.since).map(textOf).join('\n');
    expect(all).toContain('《劳动午报》2024年3月12日 第1版');
    expect(all).not.toContain('.txt');
    const admin = await say(ADMIN, ADMIN, '/sources');
    await emu.idle(300);
    expect(emu.sentTo(ADMIN, admin.since).map(textOf).join('\n')).toContain('000_bdfee85d2e472dd3.txt · 《劳动午报》2024年3月12日 第1版');
  });

  it('/start sub_<base64url("植树")> subscribes with the normal /subscribe reply; ask_ answers; a broken link says so', async () => {
    const u = newUser();
    const sub = textOf((await say(u, u, `/start sub_${Buffer.from('植树').toString('base64url')}`)).reply);
    expect(sub).toContain('✅ 已订阅「植树」');
    expect(sub).toContain('目前最相关的报道');
    expect((await real.state.listSubscriptions({ userId: u })).map((s) => s.topic)).toEqual(['植树']);
    const again = textOf((await say(u, u, `/start sub_${Buffer.from('植树').toString('base64url')}`)).reply);
    expect(again).toContain('你已经订阅了「植树」');

    const asked = await say(u, u, `/start ask_${Buffer.from('顺义区去年吸纳了多少工会会员？').toString('base64url')}`);
    expect(textOf(asked.reply)).toContain('14708');
    expect(buttons(asked.reply).map((b) => b.text)).toContain('👍');

    const broken = textOf((await say(u, u, `/start sub_${Buffer.from('植树').toString('base64url').slice(0, -1)}`)).reply);
    expect(broken).toContain('这个链接不完整或已损坏');
    expect(broken).toContain('报问'); // and the welcome
    expect(await real.state.listSubscriptions({ userId: u })).toHaveLength(1);
  });

  /** The quoted sentences of a rendered answer (the blockquotes, without their [n]). */
  const quotesOf = (c: RecordedCall) =>
    c.parsed!.entities.filter((e) => e.type === 'blockquote').map((e) => c.parsed!.text.slice(e.offset, e.offset + e.length).replace(/ \[\d+\]$/u, ''));
  const idOf = (c: RecordedCall) => (c.result as { message_id: number }).message_id;
  async function press(chatId: number, userId: number, msg: RecordedCall, text: string) {
    const b = buttons(msg).find((x) => x.text === text);
    if (!b) throw new Error(`no button ${text} in ${JSON.stringify(buttons(msg))}`);
    const since = emu.mark();
    emu.pressButton(chatId, userId, idOf(msg), b.callback_data!);
    const toast = await emu.waitForCall((c) => c.method === 'answerCallbackQuery', { since });
    await emu.idle(200);
    return { toast, sent: emu.sentTo(chatId, since) };
  }

  it('更多 sends the next quotes, numbered from [1], never repeating; then says there is nothing more', async () => {
    const u = newUser();
    // (Not a tree-planting question: an earlier test reprinted that report on a new page, and two
    // near-identical reports rightly lower the confidence that one of them is *the* answer.)
    const { reply } = await say(u, u, '最近有哪些工会为女职工举办了活动？');
    const seen = new Set(quotesOf(reply));
    expect(buttons(reply).map((b) => b.text)).toContain('更多');
    let page = reply;
    let pages = 0;
    for (; pages < 5 && buttons(page).some((b) => b.text === '更多'); pages++) {
      const { sent } = await press(u, u, page, '更多');
      expect(sent).toHaveLength(1);
      page = sent[0]!;
      const text = textOf(page);
      expect(text.startsWith('关于「最近有哪些工会为女职工举办了活动？」的更多原句：')).toBe(true);
      expect(text).toMatch(/ \[1\]\n/u);
      expect(text).toMatch(/来源\n\[1\] .+ — 《劳动午报》/u);
      for (const q of quotesOf(page)) {
        expect(seen.has(q), q).toBe(false);
        seen.add(q);
      }
      expect(buttons(page).some((b) => b.text === '原文 1')).toBe(true);
    }
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThan(5);
    // The first answer's button again: everything was shown.
    const again = await press(u, u, reply, '更多');
    expect(textOf(again.sent[0]!)).toBe('关于「最近有哪些工会为女职工举办了活动？」没有更多可引用的原句了。');
  });

  it('Answer.more: verbatim slices, best first, never overlapping a shown quote or each other, citations numbered from 1', async () => {
    let withMore = 0;
    for (const q of ['最近有哪些工会组织职工去植树？', '通州区去年新发展了多少工会会员？', '工会给女职工办了哪些活动？', '哪些地方建了暖心驿站？', '顺义区去年吸纳了多少工会会员？']) {
      const a = await real.engine.ask(q);
      const more = a.more ?? { quotes: [], citations: [] };
      if (more.quotes.length) withMore++;
      const spans = [...a.quotes, ...more.quotes];
      for (const [i, x] of spans.entries()) {
        expect(real.engine.index().articles.get(x.articleId)!.text.slice(x.start, x.end)).toBe(x.text);
        for (const y of spans.slice(i + 1)) expect(x.articleId === y.articleId && x.start < y.end && y.start < x.end, `${q}: ${x.text} / ${y.text}`).toBe(false);
      }
      expect(more.citations.map((c) => c.n)).toEqual(more.citations.map((_, i) => i + 1));
      for (const m of more.quotes) expect(more.citations.find((c) => c.n === m.source)?.articleId).toBe(m.articleId);
    }
    expect(withMore).toBeGreaterThanOrEqual(3);
  });

  it('a follow-up (还有吗？, and unseen phrasings) within the window means more for the previous question', async () => {
    const u = newUser();
    const first = await say(u, u, '通州区去年新发展了多少工会会员？');
    const shown = new Set(quotesOf(first.reply));
    const more = await say(u, u, '能再多说几句吗？');
    expect(textOf(more.reply).startsWith('关于「通州区去年新发展了多少工会会员？」的更多原句：')).toBe(true);
    for (const q of quotesOf(more.reply)) expect(shown.has(q)).toBe(false);
    expect(quotesOf(more.reply).length).toBeGreaterThan(0);
    // Naming something the reports know is a new question, not a follow-up.
    const fresh = await say(u, u, '顺义区去年吸纳了多少工会会员？');
    expect(textOf(fresh.reply)).toContain('14708');
    expect(buttons(fresh.reply).map((b) => b.text)).not.toContain('更多'); // nothing else answers it
    const none = await say(u, u, '还有呢');
    expect(textOf(none.reply)).toBe('关于「顺义区去年吸纳了多少工会会员？」没有更多可引用的原句了。');
  });

  it('in a group only the asker gets more (button and follow-up)', async () => {
    const group = -100_012;
    const [a, b] = [newUser(), newUser()];
    const inGroup = async (user: number, text: string, replyTo?: number) => {
      const since = emu.mark();
      emu.sendText(group, user, text, { chatType: 'supergroup', ...(replyTo ? { replyTo } : {}) });
      return emu.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === group, { since, timeoutMs: 30_000 });
    };
    const asked = await inGroup(a, '/ask 最近有哪些工会为女职工举办了活动？');
    const theirs = await press(group, b, asked, '更多');
    expect(theirs.toast.params.text).toBe('只有提问的人可以查看更多。');
    expect(theirs.sent).toHaveLength(0);
    // B's "还有吗？" (a reply to the bot) is B's own question: B has no answer to continue.
    expect(textOf(await inGroup(b, '还有吗？', idOf(asked)))).not.toContain('的更多原句');
    // A's is a follow-up.
    expect(textOf(await inGroup(a, '还有吗？', idOf(asked)))).toContain('关于「最近有哪些工会为女职工举办了活动？」的更多原句：');
  });

  it('what readers asked: refused and 👎 questions reach `npm run report -- --json` and the admin /report; no user id stored', async () => {
    const u = 987_654_321;
    await say(u, u, '北京今天天气怎么样，出门需要带伞吗？');
    await say(u, u, '北京今天天气怎么样，出门需要带伞吗');
    await say(u, u, '石景山区工会今年有什么活动？');
    const answered = await say(u, u, '通州区去年新发展了多少工会会员？');
    const down = await press(u, u, answered.reply, '👎');
    expect(down.toast.params.text).toBeTruthy();

    const r = runScript('scripts/report.ts', ['--json', '--days', '7'], { DATA_DIR: dataDir, LOG_LEVEL: 'error' });
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    for (const k of ['questions', 'answered', 'refused', 'topRefused', 'feedback', 'topics']) expect(rep).toHaveProperty(k);
    expect(rep.questions).toBeGreaterThanOrEqual(4);
    expect(rep.refused).toBeGreaterThan(0);
    expect(rep.topRefused[0]).toEqual({ question: expect.stringContaining('北京今天天气怎么样'), count: 2 });
    expect(rep.topRefused.map((q: { question: string }) => q.question)).toContain('石景山区工会今年有什么活动？');
    expect(rep.feedback.down).toBe(1);
    expect(rep.feedback.down_examples[0].question).toBe('通州区去年新发展了多少工会会员？');
    expect(rep.topics).toContainEqual({ topic: '植树', subscribers: 2 });
    const rows = await real.state.db.all<{ user_hash: string }>('SELECT * FROM question_log');
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(rows)).not.toContain(String(u));
    expect(rows.filter((x) => x.user_hash === createHmac('sha256', 'e2e-secret-0123456789').update(String(u)).digest('hex')).length).toBe(4);
    const text = runScript('scripts/report.ts', [], { DATA_DIR: dataDir, LOG_LEVEL: 'error' }).stdout;
    expect(text).toContain('Most frequent refused questions');

    const sinceReport = emu.mark();
    const admin = textOf((await say(ADMIN, ADMIN, '/report')).reply);
    const photo = await emu.waitForCall((c) => c.method === 'sendPhoto' && Number(c.params.chat_id) === ADMIN, { since: sinceReport });
    expect(photo.ok).toBe(true);
    expect(photo.parsed?.text).toBe('最近 7 天每天的提问数（蓝）及其中未能回答的（红）');
    const png = PNG.sync.read(photo.file!);
    expect([png.width, png.height]).toEqual([960, 400]);
    // Today's bar (rightmost) has its refused part: red pixels near the bottom right of the plot.
    const red = (x: number, y: number) => {
      const i = (y * png.width + x) * 4;
      return png.data[i]! > 200 && png.data[i + 1]! < 100 && png.data[i + 2]! < 100;
    };
    expect(Array.from({ length: 120 }, (_, k) => red(960 - 24 - 1 - k, 400 - 44 - 3)).some(Boolean)).toBe(true);
    expect(admin).toContain('读者提问报告 · 最近 7 天');
    expect(admin).toMatch(/• 北京今天天气怎么样.* ×2/u);
    expect(admin).toContain('👎 通州区去年新发展了多少工会会员？');
    expect(textOf((await say(u, u, '/report')).reply)).toBe('这个命令只供运营人员使用。');
  });

  it('everything sent here was HTML: answers, 原文, 更多, inline results, digests, the /report chart caption', () => {
    const { checked, plain } = emu.textsNotHtml();
    expect(plain).toEqual([]);
    expect(checked.answerInlineQuery).toBeGreaterThan(0);
    expect(checked.sendPhoto).toBeGreaterThan(0);
  });
});
