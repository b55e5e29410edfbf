/**
 * Held-out questions through Telegram: the real bot (real engine on a keyword-only index of the seed
 * pages, emulator on 127.0.0.1) is asked questions that `npm run train` never saw, and each reply
 * must quote the right sentence — or refuse, when the reports do not answer the question.
 *
 * Which questions: the validation split of the dev-kind sets (src/rank/datasets.ts DEV_FORMAT_FILES,
 * split by src/rank/train.ts splitOf, as training and `npm run eval -- --split validation` split
 * them), English ones left out (keyword-only refuses them by design), ordered by id, the first 8.
 * The rule picks them, not whether they pass.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalQuestion, readJsonl } from '../../src/eval/dataset.js';
import { answerable, fromEvalQuestion, isExpectedArticle, type LabeledQuestion } from '../../src/eval/labeled.js';
import { DEV_FORMAT_FILES } from '../../src/rank/datasets.js';
import { splitOf } from '../../src/rank/train.js';
import { headlineOf, type Article } from '../../src/types.js';
import type { RecordedCall } from '../emulator/bot-api.js';
import { MAX_MESSAGE_LENGTH } from '../emulator/telegram-html.js';
import { startRealBot, type RealBot } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HELD_OUT = 8;

/** The first 8 validation questions of the dev-kind sets by id (English excluded). */
function heldOutQuestions(n = HELD_OUT): LabeledQuestion[] {
  return DEV_FORMAT_FILES.flatMap((f) => readJsonl(path.join(ROOT, f), EvalQuestion))
    .filter((q) => q.type !== 'english')
    .map(fromEvalQuestion)
    .filter((q) => splitOf(q, 'seeds') === 'validation')
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, n);
}

const questions = heldOutQuestions();

/**
 * The held-out questions the bot gets wrong today (issue 9's done-when asks for all 8; README,
 * "Results"). They run as expected failures, so the day one is answered right this list must shrink:
 * dev-11 — the quotation naming 北京银行 falls below the quote ratio; dev-30 — unanswerable, but the
 * monthly-meeting report naming 北京市职工互助保障服务中心 clears the threshold.
 */
const KNOWN_MISSES = new Set(['dev-11', 'dev-30']);

interface Reply {
  /** Every message the bot sent to the chat for this question, in order. */
  calls: RecordedCall[];
  text: string;
  /** Each quote's text (a blockquote, without its trailing ` [n]`) and the source number it cites. */
  quotes: { text: string; n: number }[];
  /** Source number → the source line's text (`[n] headline — byline`). */
  sources: Map<number, string>;
}

describe('held-out questions through the Bot API emulator (real bot, keyword-only seed index)', () => {
  let real: RealBot;
  let chat = 7700;

  beforeAll(async () => {
    real = await startRealBot('baowen-held-out-', { RATE_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(async () => {
    await real?.stop();
  });

  async function ask(question: string): Promise<Reply> {
    const { emu } = real;
    const id = chat++;
    const since = emu.mark();
    emu.sendText(id, id, question);
    await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === id, { since, timeoutMs: 30_000 });
    await emu.idle(300); // a split answer arrives as several messages
    const calls = emu.calls.filter((c) => c.at >= since && c.method === 'sendMessage' && Number(c.params.chat_id) === id);
    const quotes: Reply['quotes'] = [];
    const sources = new Map<number, string>();
    for (const c of calls) {
      const parsed = c.parsed;
      if (!parsed) continue;
      for (const e of parsed.entities.filter((x) => x.type === 'blockquote')) {
        const m = /^([\s\S]*) \[(\d+)\]$/u.exec(parsed.text.slice(e.offset, e.offset + e.length).trim());
        if (m) quotes.push({ text: m[1] as string, n: Number(m[2]) });
      }
      for (const line of parsed.text.split('\n')) {
        const m = /^\[(\d+)\] (.+)$/u.exec(line);
        if (m) sources.set(Number(m[1]), m[2] as string);
      }
    }
    return { calls, text: calls.map((c) => c.parsed?.text ?? '').join('\n'), quotes, sources };
  }

  /** The article a source line names: the one whose headline (kicker + main line) it starts with. */
  function articleOf(line: string | undefined): Article | undefined {
    if (line === undefined) return undefined;
    const hits = [...real.engine.index().articles.values()].filter((a) => line === headlineOf(a) || line.startsWith(`${headlineOf(a)} — `));
    return hits.length === 1 ? hits[0] : undefined;
  }

  it('asks 8 questions, answerable and not, chosen by the stated rule', () => {
    expect(questions).toHaveLength(HELD_OUT);
    expect(questions.some((q) => !answerable(q))).toBe(true);
    expect(questions.filter(answerable).length).toBeGreaterThanOrEqual(5);
  });

  for (const q of questions) {
    const what = answerable(q) ? `quotes ${q.answers.join(' + ')}` : 'refuses';
    const test = KNOWN_MISSES.has(q.id) ? it.fails : it;
    test(`${q.id} ${q.question} → ${what}${KNOWN_MISSES.has(q.id) ? ' (known miss)' : ''}`, async () => {
      const r = await ask(q.question);
      expect(r.calls.length).toBeGreaterThan(0);
      for (const c of r.calls) {
        // The emulator parses Telegram HTML as Telegram does and answers 400 on anything it would reject.
        expect(c.ok, `${c.error ?? ''}`).toBe(true);
        expect(c.parsed!.text.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      }
      if (!answerable(q)) {
        expect(r.text).toContain('没有找到能回答这个问题的原句');
        expect(r.quotes).toEqual([]);
        return;
      }
      expect(r.text).not.toContain('没有找到能回答这个问题的原句');
      for (const gold of q.answers) {
        const right = r.quotes.filter((x) => x.text.includes(gold));
        expect(right.map((x) => x.text), `a quote containing ${gold}; quoted:\n${r.quotes.map((x) => `[${x.n}] ${x.text}`).join('\n')}`).not.toEqual([]);
        const cited = right.map((x) => articleOf(r.sources.get(x.n)));
        expect(
          cited.some((a) => a !== undefined && isExpectedArticle(q, a)),
          `the quote with ${gold} cites ${right.map((x) => r.sources.get(x.n)).join(' | ')}, expected ${q.expected.map((e) => e.title).join(' | ')}`,
        ).toBe(true);
      }
    });
  }
});
