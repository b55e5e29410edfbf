/**
 * Properties (fast-check, seeded): any Answer renders to Telegram-valid HTML, ≤ 4096 per message,
 * with every quote intact across splits; callback data round-trips or is rejected cleanly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { t } from '../../src/bot/i18n.js';
import { decodeCallback, encodeCallback, MAX_CALLBACK_BYTES, tryEncodeCallback, type CallbackData } from '../../src/bot/callback-data.js';
import { renderAnswer, renderPassage } from '../../src/bot/render.js';
import type { Answer, Citation, Quote } from '../../src/types.js';
import { makeArticle } from '../emulator/fakes.js';
import { validateMessageText } from '../emulator/telegram-html.js';

const SEED = 1414;
const RUNS = { seed: SEED, numRuns: 150 };

/** Text a page or a user could contain: Chinese, ASCII, HTML-ish and entity-ish bits, emoji, whitespace. */
const PIECES = ['通州区总工会', '。', '，', '“', '”', '<', '>', '&', '&amp;', '<b>', '</blockquote>', '"', ' ', '\n', '🙂', '👩‍👩‍👧', 'é', '\u200b', 'A', 'z', '1', '[1]', '……', '！', '？', '；', '\u3000', '北京', '劳动者'];
const text = (maxPieces: number) => fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'grapheme', maxLength: 5 })), { minLength: 1, maxLength: maxPieces }).map((a) => a.join(''));
const nonBlank = (maxPieces: number) => text(maxPieces).filter((s) => s.trim().length > 0);

const answerArb: fc.Arbitrary<Answer> = fc
  .tuple(
    fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: nonBlank(300) }, { weight: 1, arbitrary: nonBlank(2500) }), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 6 }),
    fc.array(fc.tuple(text(10), fc.option(text(6), { nil: null }), fc.option(text(8), { nil: null })), { minLength: 4, maxLength: 4 }),
  )
  .map(([qs, cs]) => {
    const quotes: Quote[] = qs.map(([q, n]) => ({ text: q, source: n, articleId: `a${n}`, start: 0, end: q.length }));
    const citations: Citation[] = cs.map(([title, kicker, byline], i) => ({ n: i + 1, articleId: `a${i + 1}`, file: `00${i}_x.txt`, title: title || '题', kicker, byline, kind: 'report', probability: 1 }));
    return { question: '问', answered: true, mode: 'keyword', quotes, citations } as unknown as Answer;
  });

const squash = (s: string) => s.replace(/\s+/gu, '');

describe('render properties', () => {
  it('any Answer → messages that Telegram accepts, each ≤ 4096, every quote intact and in order', () => {
    const tr = (k: string, v?: Record<string, string | number>) => t('zh', k, v);
    fc.assert(
      fc.property(answerArb, (answer) => {
        const messages = renderAnswer(answer, tr);
        if (answer.quotes.some((q) => q.text.length > 5000)) expect(messages.length).toBeGreaterThan(1);
        const quoted: string[] = [];
        for (const html of messages) {
          expect(html.length).toBeLessThanOrEqual(4096);
          const parsed = validateMessageText(html, 'HTML', undefined); // throws like Telegram's 400
          for (const e of parsed.entities.filter((x) => x.type === 'blockquote')) {
            quoted.push(parsed.text.slice(e.offset, e.offset + e.length));
          }
        }
        // each blockquote ends with its [n]; joined in order they give back every quote's text
        const expected = answer.quotes.map((q) => squash(q.text)).join('');
        const got = quoted.map((b) => squash(b.replace(/ \[\d+\]$/u, ''))).join('');
        expect(got).toBe(expected);
        const ns = quoted.map((b) => Number(/\[(\d+)\]$/u.exec(b)?.[1]));
        expect(new Set(ns).size).toBeLessThanOrEqual(new Set(answer.quotes.map((q) => q.source)).size);
      }),
      RUNS,
    );
  });

  it('any passage of any article renders to one valid message ≤ 4096 that bolds (the start of) the quote', () => {
    fc.assert(
      fc.property(fc.array(nonBlank(300), { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), (paragraphs, a, b) => {
        const article = makeArticle({ id: 'x-1', file: '001_x.txt', title: '标题 <b>&', paragraphs });
        const n = article.text.length;
        const start = a % n;
        const end = start + 1 + (b % (n - start));
        const html = renderPassage(article, start, end);
        if (html === undefined) return; // only when even the headline cannot fit (never with these sizes)
        expect(html.length).toBeLessThanOrEqual(4096);
        const parsed = validateMessageText(html, 'HTML', undefined);
        const bold = parsed.entities.filter((e) => e.type === 'bold').at(-1); // the first bold is the headline
        const quote = article.text.slice(start, end);
        if (quote.trim()) {
          expect(bold).toBeDefined();
          const shown = parsed.text.slice(bold!.offset, bold!.offset + bold!.length).replace(/…$/u, '').replace(/\n\n/gu, '\n');
          expect(quote.startsWith(shown)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('callback data properties', () => {
  const key = fc.stringMatching(/^[A-Za-z0-9_-]{4,16}$/u);
  const data: fc.Arbitrary<CallbackData> = fc.oneof(
    fc.record({ kind: fc.constant('src' as const), articleId: fc.stringMatching(/^[^\s:]{1,48}$/u), start: fc.integer({ min: 0, max: 5_000_000 }), end: fc.integer({ min: 1, max: 10_000_000 }) }).filter((d) => d.end > d.start),
    fc.record({ kind: fc.constant('srq' as const), key, n: fc.integer({ min: 1, max: 99 }) }),
    fc.record({ kind: fc.constant('fb' as const), key, vote: fc.constantFrom('up' as const, 'down' as const) }),
    fc.record({ kind: fc.constant('lang' as const), lang: fc.constantFrom('zh' as const, 'en' as const) }),
  );

  it('every valid payload round-trips within 64 bytes, or is refused at encoding', () => {
    fc.assert(
      fc.property(data, (d) => {
        const s = tryEncodeCallback(d);
        if (s === undefined) return void expect(() => encodeCallback(d)).toThrow();
        expect(Buffer.byteLength(s, 'utf8')).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
        expect(decodeCallback(s)).toEqual(d);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('any string decodes to undefined or to a payload that encodes back to the same meaning, never throws', () => {
    const junk = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.tuple(fc.constantFrom('src:', 'srq:', 'fb:', 'lang:', 'unsub:'), fc.string({ maxLength: 70 })).map(([p, s]) => p + s),
      fc.constantFrom('__proto__', 'constructor', 'lang:__proto__', 'lang:constructor', 'src:x:0-0', 'fb:toString:up'),
    );
    fc.assert(
      fc.property(junk, (s) => {
        const d = decodeCallback(s);
        if (d === undefined) return;
        const again = tryEncodeCallback(d);
        expect(again).toBeDefined();
        expect(decodeCallback(again!)).toEqual(d);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
