import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeedIndex, type SeedIndex } from '../../test/helpers.js';
import type { Answer } from '../types.js';
import { answerQuestion } from './compose.js';
import { confidenceModel } from '../rank/sentences.js';
import { EXTENSION_FEATURES, MAX_QUOTE_CHARS } from '../rank/extend.js';
import { LinearModel } from '../rank/model.js';
import { splitSentences } from '../text/sentences.js';

let seed: SeedIndex;
beforeAll(async () => {
  seed = await buildSeedIndex();
});
afterAll(() => seed?.cleanup());

const ask = (q: string): Promise<Answer> => answerQuestion(seed.index, null, q);
const quoted = (a: Answer): string => a.quotes.map((q) => q.text).join('\n');
const citedTitles = (a: Answer): string[] => a.citations.map((c) => c.title);

describe('answerQuestion (keyword mode, real seed index)', () => {
  it('quotes the sentence with the number asked for, citing its article first', async () => {
    const a = await ask('平谷区总工会五年来成功调解了多少件劳动争议案件？');
    expect(a.answered).toBe(true);
    expect(a.mode).toBe('keyword');
    expect(quoted(a)).toContain('1546件');
    expect(citedTitles(a)[0]).toContain('平谷');
  });

  it('every quote is verbatim from the article it cites, at the offsets it claims', async () => {
    for (const q of ['顺义区去年新建了多少家工会组织？', '德胜街道总工会组织职工到哪里植的树？', '中关村银行为女职工举办了什么健身活动？']) {
      const a = await ask(q);
      expect(a.quotes.length).toBeGreaterThan(0);
      for (const quote of a.quotes) {
        const c = a.citations.find((x) => x.n === quote.source);
        const article = seed.index.articles.get(c?.articleId ?? '');
        expect(article?.text.slice(quote.start, quote.end)).toBe(quote.text);
      }
    }
  });

  it('quotes text that was repaired across a page break as one sentence', async () => {
    // `北` + `京儿童医院工会相关负责人表示…` were split by a page break in the source page.
    const a = await ask('北京儿童医院工会相关负责人希望通过活动把什么送到职工心坎上？');
    expect(a.answered).toBe(true);
    expect(quoted(a)).toContain('北京儿童医院工会相关负责人表示');
  });

  it('says how confident it is: at or above the calibrated threshold when it answers, below when it refuses', async () => {
    const threshold = confidenceModel().threshold;
    const yes = await ask('平谷区总工会五年来成功调解了多少件劳动争议案件？');
    expect(yes.confidence).toBeGreaterThanOrEqual(threshold);
    const no = await ask('饺子馅怎么调才鲜嫩多汁？');
    expect(no.answered).toBe(false);
    expect(no.confidence ?? 0).toBeLessThan(threshold);
    // The threshold is the one knob: 0 answers what it can, 1 refuses everything.
    expect((await answerQuestion(seed.index, null, '饺子馅怎么调才鲜嫩多汁？', { threshold: 0 })).answered).toBe(true);
    expect((await answerQuestion(seed.index, null, '平谷区总工会五年来成功调解了多少件劳动争议案件？', { threshold: 1 })).answered).toBe(false);
  });

  it('quotes whole sentences that never overlap, and a "which …" question one sentence per report', async () => {
    for (const q of ['最近有哪些工会组织职工去植树？', '顺义区去年新建了多少家工会组织？', '北京公交集团的工会最近办了哪些活动']) {
      const a = await answerQuestion(seed.index, null, q, { threshold: 0 });
      const spans = a.quotes.map((x) => ({ id: x.articleId, start: x.start, end: x.end }));
      for (const [i, x] of spans.entries()) for (const y of spans.slice(i + 1)) expect(x.id !== y.id || x.end <= y.start || y.end <= x.start, q).toBe(true);
      for (const quote of a.quotes) {
        const text = seed.index.articles.get(quote.articleId)?.text ?? '';
        // A quote ends a sentence (。！？… or a closing quote), never at a ； clause.
        expect(quote.text, q).toMatch(/[。！？!?…”」]$/u);
        expect(text.slice(quote.end).trimStart().startsWith('；')).toBe(false);
      }
      if (q.includes('哪些')) expect(new Set(a.quotes.map((x) => x.articleId)).size).toBe(a.quotes.length);
    }
  });

  it('refuses questions the reports do not answer, quoting nothing', async () => {
    for (const q of ['北京今天天气怎么样，出门需要带伞吗？', '饺子馅怎么调才鲜嫩多汁？', '石景山区总工会今年计划新建多少家工会组织？']) {
      const a = await ask(q);
      expect(a.answered, q).toBe(false);
      expect(a.quotes).toEqual([]);
      expect(a.citations).toEqual([]);
    }
  });

  it('refuses a close match about another district: the same fact reported for 平谷 does not answer 门头沟', async () => {
    const other = await ask('门头沟区总工会五年来成功调解了多少件劳动争议案件？');
    expect(other.answered).toBe(false);
    const own = await ask('平谷区总工会五年来成功调解了多少件劳动争议案件？');
    expect(own.answered).toBe(true);
    expect(own.quotes[0]?.text).toContain('1546件');
    expect(own.confidence).toBeGreaterThan(other.confidence ?? 1);
  });

  it('does not answer from one shared word (今天天气如何 vs a report mentioning 天气)', async () => {
    const a = await ask('今天天气如何？');
    expect(a.answered).toBe(false);
    expect(a.quotes).toEqual([]);
  });

  it('quotes a quotation together with the sentence that says who spoke', async () => {
    // `“2023年，……吸纳工会会员14708人。”会上，顺义区总工会党组成员、副主席……介绍` — the speaker follows the quote.
    const a = await answerQuestion(seed.index, null, '顺义区去年新建了多少家工会组织？', { threshold: 0 });
    const q = a.quotes.find((x) => x.text.includes('14708人'));
    expect(q).toBeDefined();
    expect(q!.text.startsWith('2023年') || q!.text.startsWith('“2023年')).toBe(true);
    expect(q!.text).toMatch(/14708人。”会上/u);
    expect(q!.text).toContain('顺义区总工会');
  });

  it('refuses English questions in keyword-only mode and says why', async () => {
    const a = await ask('Where did the development area trade union plant trees?');
    expect(a).toMatchObject({ answered: false, refusal: 'needs-model', quotes: [] });
  });

  it('refuses empty and punctuation-only questions', async () => {
    expect((await ask('？？？')).refusal).toBe('empty');
    expect((await ask('   ')).answered).toBe(false);
  });

  it('trims the byline prefix off a quoted lead sentence', async () => {
    const a = await ask('台北市劳工总工会代表团哪天到北京康复医院参观交流？');
    expect(quoted(a)).toContain('8月29日');
    expect(quoted(a)).not.toMatch(/^本报讯/u);
  });

  it('keeps the byline for "who reported" questions: its names are the answer', async () => {
    const a = await ask('北京住总集团工会举办帮扶产品大集的报道，通讯员是谁？');
    expect(a.answered).toBe(true);
    expect(quoted(a)).toContain('通讯员 张慕群');
    for (const q of a.quotes) expect(seed.index.articles.get(q.articleId)?.text.slice(q.start, q.end)).toBe(q.text);
  });

  it('answers a "which …" question with every report about it, one quote each (the topic model lists them)', async () => {
    const a = await ask('哪些工会带职工子女参加了活动？');
    expect(a.answered).toBe(true);
    const titles = citedTitles(a).join(' | ');
    for (const t of ['小候鸟', '家庭日', '亲子活动']) expect(titles).toContain(t);
    expect(new Set(a.quotes.map((q) => q.articleId)).size).toBe(a.quotes.length);
  });
});

describe('quote extension (the best quote takes in a neighbouring sentence)', () => {
  // Models that always / never extend, to test the mechanism apart from the fitted weights.
  const forced = (bias: number): LinearModel =>
    new LinearModel(
      { kind: 'quote-extension', features: [...EXTENSION_FEATURES], output: 'sigmoid', weights: EXTENSION_FEATURES.map(() => 0), bias, threshold: 0.5, training: { dataHash: 't', sets: [], rows: 0, questions: 0, l2: 1 }, metrics: {} },
      EXTENSION_FEATURES,
    );
  const question = '平谷区总工会五年来成功调解了多少件劳动争议案件？';

  it('grows the best quote over whole neighbouring sentences of its paragraph, still verbatim', async () => {
    const one = await answerQuestion(seed.index, null, question, { extension: forced(-20) });
    const two = await answerQuestion(seed.index, null, question, { extension: forced(20) });
    const [a, b] = [one.quotes[0], two.quotes[0]];
    expect(a && b).toBeTruthy();
    if (!a || !b) return;
    expect(b.articleId).toBe(a.articleId);
    expect(b.text.length).toBeGreaterThan(a.text.length);
    expect(b.text).toContain(a.text);
    expect(b.text).not.toContain('\n');
    expect(b.text.length).toBeLessThanOrEqual(MAX_QUOTE_CHARS);
    const article = seed.index.articles.get(b.articleId);
    expect(article?.text.slice(b.start, b.end)).toBe(b.text);
    // No other quote repeats what the grown one now shows.
    for (const q of two.quotes.slice(1)) if (q.articleId === b.articleId) expect(q.start >= b.end || q.end <= b.start).toBe(true);
  });

  it('leaves the quote one sentence when the model says no', async () => {
    const a = await answerQuestion(seed.index, null, question, { extension: forced(-20) });
    const q = a.quotes[0];
    const article = seed.index.articles.get(q?.articleId ?? '');
    expect(q?.text).toContain('1546件');
    const sentences = splitSentences(article?.text ?? '').map((s) => (article?.text ?? '').slice(s.start, s.end));
    expect(sentences.some((s) => s.endsWith(q?.text ?? '-'))).toBe(true);
  });
});
