/**
 * Properties (fast-check, seeded): the page parser never throws anything but its own
 * PageParseError (a page with no article), and never drops a character of body text — every
 * non-space character of every body paragraph comes out, in order, in the articles' headlines or
 * texts (a body line that looks like a headline may start an article; its text is then the title).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditKind } from '../../src/ingest/blocks.js';
import { PageParseError, parsePage } from '../../src/ingest/parse.js';

const SEED = 1414;

const PIECES = ['通州区总工会', '开展', '活动', '。', '，', '、', '“', '”', '（', '）', '(', ')', '！', '？', '；', '……', ' ', '\u3000', '#', '##', '-', '*', '<b>', '&', '1', '2024年', 'A', '🙂', '本报讯', '记者', '摄', '摄影报道', '通讯员', '：', '\t', '北京'];
const line = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) }), { minLength: 1, maxLength: 40 }).map((a) => a.join('').replace(/[\r\n]/gu, ''));
/**
 * A body line: any text that is not, by the page format, something else — a markdown heading
 * (`#…`) or a photo credit line (`… 摄` / `… 摄影报道`, whose names go to the byline fields).
 */
const bodyLine = line.filter((l) => l.trim().length > 0 && !l.trim().startsWith('#') && creditKind(l.trim()) === null);

interface Page {
  content: string;
  bodies: string[];
}

/** A page shaped like the paper's (banner, headline, byline, body paragraphs) with arbitrary body text. */
const pageArb: fc.Arbitrary<Page> = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(bodyLine, fc.array(bodyLine, { minLength: 1, maxLength: 5 })), { minLength: 1, maxLength: 4 }))
  .map(([banner, arts]) => {
    const parts: string[] = banner ? ['# 劳动午报 2024年3月1日 星期五'] : [];
    const bodies: string[] = [];
    arts.forEach(([first, rest], i) => {
      parts.push(`## 第${i + 1}区总工会开展职工服务活动`, `本报讯（记者 张${i}）${first}`, ...rest);
      bodies.push(first, ...rest);
    });
    return { content: `${parts.join('\n\n')}\n`, bodies };
  });

const squash = (s: string) => s.replace(/^#+/u, '').replace(/\s+/gu, '');

/** Is `needle` a subsequence of `hay` (in order, gaps allowed)? Returns the index after the match, or -1. */
function subsequenceEnd(hay: string, needle: string, from = 0): number {
  let i = from;
  for (const c of needle) {
    i = hay.indexOf(c, i);
    if (i === -1) return -1;
    i += c.length;
  }
  return i;
}

describe('page parser properties', () => {
  it('never throws on arbitrary text except PageParseError', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 400 }),
      fc.array(line, { maxLength: 30 }).map((ls) => ls.join('\n')),
      fc.array(fc.oneof(line, fc.constant(''), fc.constant('#')), { maxLength: 30 }).map((ls) => ls.join('\r\n')),
    );
    fc.assert(
      fc.property(anyText, (content) => {
        try {
          const { articles } = parsePage('001_p.txt', content);
          for (const a of articles) expect(a.text).toBe(a.paragraphs.join('\n'));
        } catch (e) {
          expect(e).toBeInstanceOf(PageParseError);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('never drops a character of body text', () => {
    fc.assert(
      fc.property(pageArb, ({ content, bodies }) => {
        const { articles } = parsePage('001_p.txt', content);
        const out = articles.map((a) => squash(`${a.kicker ?? ''}${a.title}${a.paragraphs.join('')}${a.photographers.join('')}`)).join('');
        let pos = 0;
        for (const b of bodies) {
          const end = subsequenceEnd(out, squash(b), pos);
          expect(end, `body paragraph lost: ${JSON.stringify(b)}\n--- page:\n${content}`).toBeGreaterThanOrEqual(0);
          pos = end;
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
