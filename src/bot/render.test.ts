import { describe, expect, it } from 'vitest';
import { parseTelegramHtml } from '../../test/emulator/telegram-html.js';
import { ARTICLES, cannedAnswer, makeArticle, makeIndex } from '../../test/emulator/fakes.js';
import type { Answer, Citation } from '../types.js';
import { t } from './i18n.js';
import {
  MAX_MESSAGE, chunkText, escapeHtml, packBlocks, renderAnswer, renderInlineResults, renderPassage,
  renderRefusal, renderSources, renderStatus, renderWelcome, sourceLine, type Translate,
} from './render.js';

const zh: Translate = (k, v) => t('zh', k, v);
const en: Translate = (k, v) => t('en', k, v);

/** Every message must be valid Telegram HTML on its own and fit. */
function expectValid(messages: string[]) {
  for (const m of messages) {
    expect(m.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(() => parseTelegramHtml(m)).not.toThrow();
  }
}

describe('escapeHtml', () => {
  it('escapes & < > "', () => {
    expect(escapeHtml('<b>"A&B"</b>')).toBe('&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;');
    expect(parseTelegramHtml(escapeHtml('<b>"A&B"</b> &amp;')).text).toBe('<b>"A&B"</b> &amp;');
  });
});

describe('chunkText', () => {
  it('prefers sentence ends, then commas, then code points, and never breaks a surrogate pair', () => {
    const text = '甲乙丙丁。'.repeat(10);
    const pieces = chunkText(text, 12);
    expect(pieces.join('')).toBe(text);
    expect(pieces.every((p) => p.endsWith('。'))).toBe(true);
    const emoji = '😀'.repeat(20);
    const e = chunkText(emoji, 7);
    expect(e.join('')).toBe(emoji);
    for (const p of e) expect(p.length % 2).toBe(0);
  });
  it('cuts a long sentence at its ； before its commas (a ； joins clauses, it does not end a sentence)', () => {
    const text = '一是建立健全职工沟通机制，定期召开会议；二是强化服务阵地建设，打造暖心驿站。';
    expect(chunkText(text, 30, (s) => s.length)).toEqual(['一是建立健全职工沟通机制，定期召开会议；', '二是强化服务阵地建设，打造暖心驿站。']);
  });
  it('measures the escaped size', () => {
    const pieces = chunkText('&&&&&&&&&&', 10); // each & is 5 characters escaped
    expect(pieces).toEqual(['&&', '&&', '&&', '&&', '&&']);
  });
});

describe('renderAnswer', () => {
  it('quotes as blockquotes ending with [n], then the numbered sources, everything escaped', () => {
    const [html] = renderAnswer(cannedAnswer('会员', 'keyword'), zh);
    expect(html).toBeDefined();
    const parsed = parseTelegramHtml(html!);
    expect(parsed.text).toContain('吸纳工会会员14708人（含<新就业形态>劳动者）。 [1]');
    expect(parsed.text).toContain('“我们将继续推动 A&B 两类企业建会，”负责人说。 [1]');
    expect(parsed.text).toContain('[2] 顺义区总工会持续推动“双沟通”提质增效 — 记者 周美玉');
    expect(parsed.text).toContain('[1] 深入学习贯彻 <党的二十大> 精神 通州区工会“双沟通” & 会员发展 — 记者 王路曼 通讯员 于佳慧');
    expect(parsed.text).not.toContain('.txt');
    expect(parsed.entities.filter((e) => e.type === 'blockquote')).toHaveLength(3);
    expect(html).toContain('<b>来源</b>');
  });

  it('splits a long answer into several valid messages, only between blocks or at sentence ends', () => {
    const answer = cannedAnswer('长', 'keyword');
    const messages = renderAnswer(answer, zh);
    expect(messages.length).toBeGreaterThan(1);
    expectValid(messages);
    const visible = messages.map((m) => parseTelegramHtml(m).text).join('');
    for (const q of answer.quotes) expect(visible).toContain(q.text);
    expect(messages.at(-1)).toContain('<b>来源</b>');
  });

  it('splits a single over-long quote at sentence ends, each piece still ending with [n]', () => {
    const sentence = '职工说：“A<B & C>D。”';
    const long = sentence.repeat(400); // ~6,400 characters before escaping
    const a = makeArticle({ id: 'x-1', file: 'x.txt', title: 't', paragraphs: [long] });
    const answer: Answer = {
      question: 'q', answered: true, mode: 'hybrid',
      quotes: [{ text: long, source: 1, articleId: a.id, start: 0, end: long.length }],
      citations: [{ n: 1, articleId: a.id, file: a.file, title: a.title, kicker: null, byline: null, kind: 'report', probability: 1 }],
    };
    const messages = renderAnswer(answer, zh);
    expect(messages.length).toBeGreaterThan(1);
    expectValid(messages);
    for (const m of messages.slice(0, -1)) {
      const text = parseTelegramHtml(m).text;
      expect(text.endsWith('。” [1]')).toBe(true);
    }
  });

  it('never exceeds the limit for any size and content (fuzz)', () => {
    const alphabet = ['中', '文', '。', '！', '<', '>', '&', '"', '😀', ' ', '\n', 'a', '，'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 30; round++) {
      const limit = 200 + rnd(800);
      const quotes = Array.from({ length: 1 + rnd(6) }, (_, i) => {
        const text = Array.from({ length: 1 + rnd(1500) }, () => alphabet[rnd(alphabet.length)]).join('');
        return { text: text.trim() || '字', source: 1 + (i % 3), articleId: 'a', start: 0, end: 1 };
      });
      const citations: Citation[] = [1, 2, 3].map((n) => ({ n, articleId: 'a', file: `f${n}&.txt`, title: `<标题${n}>`, kicker: n === 2 ? '"引题"' : null, byline: '记者 &', kind: 'report', probability: 1 }));
      const messages = renderAnswer({ question: 'q', answered: true, mode: 'hybrid', quotes, citations }, zh, limit);
      for (const m of messages) {
        expect(m.length).toBeLessThanOrEqual(limit);
        expect(() => parseTelegramHtml(m)).not.toThrow();
      }
    }
  });
});

describe('packBlocks', () => {
  it('never splits a block and respects the limit', () => {
    expect(packBlocks(['aaaa', 'bbbb', 'cc'], 9)).toEqual(['aaaa\nbbbb', 'cc']);
  });
});

describe('renderPassage', () => {
  const a = ARTICLES[0]!;
  it('shows the paragraphs around the quote with the quote in bold, under headline, page and byline', () => {
    const sentence = '去年全区新建工会组织92家，吸纳工会会员14708人（含<新就业形态>劳动者）。';
    const start = a.text.indexOf(sentence);
    const html = renderPassage(a, start, start + sentence.length)!;
    const parsed = parseTelegramHtml(html);
    expect(parsed.text.startsWith('深入学习贯彻 <党的二十大> 精神 通州区工会“双沟通” & 会员发展\n记者 王路曼 通讯员 于佳慧\n')).toBe(true);
    expect(parsed.text).not.toContain('.txt');
    expect(parsed.text).toContain('本报讯'); // paragraph before
    expect(parsed.text).toContain('A&B'); // paragraph after
    const bold = parsed.entities.filter((e) => e.type === 'bold').map((e) => parsed.text.slice(e.offset, e.offset + e.length));
    expect(bold).toContain(sentence);
  });
  it('narrows to a window around the quote when the article is huge', () => {
    const big = ARTICLES[3]!;
    const html = renderPassage(big, 10, 40, 1000)!;
    expect(html.length).toBeLessThanOrEqual(1000);
    const parsed = parseTelegramHtml(html);
    expect(parsed.entities.some((e) => e.type === 'bold' && parsed.text.slice(e.offset, e.offset + e.length) === big.text.slice(10, 40))).toBe(true);
  });
  it('returns undefined for a range outside the article (stale button)', () => {
    expect(renderPassage(a, 5, 4)).toBeUndefined();
    expect(renderPassage(a, 0, a.text.length + 1)).toBeUndefined();
  });
});

describe('other renderers', () => {
  it('inline results: ≤ max, each a valid self-contained message', () => {
    const results = renderInlineResults(cannedAnswer('会员', 'hybrid'), 'p', 2);
    expect(results).toHaveLength(2);
    for (const r of results) {
      const c = r.input_message_content as { message_text: string };
      expect(() => parseTelegramHtml(c.message_text)).not.toThrow();
    }
    expect(new Set(results.map((r) => r.id)).size).toBe(2);
  });
  it('sources: grouped by page, split ≤ limit; page files for admins only', () => {
    const messages = renderSources(makeIndex(), en, 150);
    expect(messages.length).toBeGreaterThan(1);
    expectValid(messages);
    const all = messages.map((m) => parseTelegramHtml(m).text).join('\n');
    expect(all).toContain('4 articles indexed');
    expect(all).not.toContain('.txt');
    expect(all.indexOf('Page 1')).toBeLessThan(all.indexOf('Page 2'));
    expect(all).toContain('春日劳动美 (photo)');
    const admin = renderSources(makeIndex(), en, 150, { files: true }).map((m) => parseTelegramHtml(m).text).join('\n');
    expect(admin.indexOf('001_aaaa1111.txt')).toBeLessThan(admin.indexOf('002_bbbb2222.txt'));
  });
  it('status is loud in keyword mode and escapes the model error', () => {
    const html = renderStatus({ mode: 'keyword', model: 'm<1>', modelError: 'fetch failed <ENOTFOUND> & co', pages: 1, articles: 2, chunks: 3, indexedAt: null }, en);
    const parsed = parseTelegramHtml(html);
    expect(parsed.text).toContain('KEYWORD-ONLY');
    expect(parsed.text).toContain('fetch failed <ENOTFOUND> & co');
    expect(parsed.text).toContain('Model: m<1>');
  });
  it('refusal and welcome are valid and escaped', () => {
    const r = renderRefusal(zh, { examples: ['<x>&y'], reason: 'needs-model' });
    expect(parseTelegramHtml(r).text).toContain('• <x>&y');
    expect(parseTelegramHtml(r).text).toContain('请用中文提问');
    // Only the engine's reason brings the note: a Chinese refusal (or an English one with the model) has none.
    for (const reason of ['weak-evidence', 'no-match', 'empty', undefined] as const) {
      expect(parseTelegramHtml(renderRefusal(zh, { examples: [], reason })).text).not.toContain('请用中文提问');
    }
    expect(parseTelegramHtml(renderWelcome(en, { examples: ['a&b'], bot: 'b_bot' })).text).toContain('@b_bot');
  });
  it('source line: [n] headline — 《paper》date page · byline, headline linked; no file name without metadata', () => {
    expect(parseTelegramHtml(sourceLine({ n: 3, kicker: null, title: 'T', byline: null })).text).toBe('[3] T');
    expect(parseTelegramHtml(sourceLine({ n: 3, kicker: 'K', title: 'T', byline: '记者 宗晓畅' })).text).toBe('[3] K T — 记者 宗晓畅');
    const meta = { paper: '劳动午报', date: '2024-03-12', page: '3', url: 'https://example.org/a?x=1&y="2"' };
    const zhLine = parseTelegramHtml(sourceLine({ n: 1, kicker: null, title: '<T>', byline: '记者 宗晓畅', meta }));
    expect(zhLine.text).toBe('[1] <T> — 《劳动午报》2024年3月12日 第3版 · 记者 宗晓畅');
    const link = zhLine.entities.find((e) => e.type === 'text_link')!;
    expect(zhLine.text.slice(link.offset, link.offset + link.length)).toBe('<T>');
    expect(link.url).toBe(meta.url);
    expect(parseTelegramHtml(sourceLine({ n: 1, kicker: null, title: 'T', byline: null, meta }, 'en')).text).toBe('[1] T — 劳动午报, 12 March 2024, p. 3');
    expect(parseTelegramHtml(sourceLine({ n: 1, kicker: null, title: 'T', byline: null, meta: { page: 'A3' } })).text).toBe('[1] T — A3版');
  });
});
