import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeedIndex, type SeedIndex } from '../../test/helpers.js';
import type { Answer } from '../types.js';
import { answerQuestion, leadStart } from './compose.js';

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

  it('answers a "where" question with the sentence naming the place, not the lead that repeats the question', async () => {
    const a = await ask('德胜街道总工会组织职工到哪里植的树？');
    expect(quoted(a)).toContain('怀柔灵慧山');
  });

  it('cites every article that answers a "which …" question', async () => {
    const a = await ask('最近有哪些工会组织职工去植树？');
    const titles = citedTitles(a).join('|');
    expect(titles).toContain('德胜街道总工会');
    expect(titles).toContain('经开区总工会开展植树');
    // Each cited article contributes a quote naming who did it.
    expect(quoted(a)).toContain('德胜街道总工会');
    expect(quoted(a)).toContain('经开区总工会');
  });

  it('refuses questions the reports do not answer, quoting nothing', async () => {
    for (const q of ['北京今天天气怎么样，出门需要带伞吗？', '饺子馅怎么调才鲜嫩多汁？', '石景山区总工会今年计划新建多少家工会组织？']) {
      const a = await ask(q);
      expect(a.answered, q).toBe(false);
      expect(a.quotes).toEqual([]);
      expect(a.citations).toEqual([]);
    }
  });

  it('does not answer from one shared word (今天天气如何 vs a report mentioning 天气)', async () => {
    const a = await ask('今天天气如何？');
    expect(a.answered).toBe(false);
    expect(a.quotes).toEqual([]);
  });

  it('refuses a "how many" question when the right article gives no number in that unit', async () => {
    const a = await ask('窦店镇的户外劳动者暖心驿站每天几点开门？');
    expect(a.answered).toBe(false);
  });

  it('drops a closing quote whose opening quote belongs to an earlier sentence', async () => {
    const a = await ask('顺义区去年新建了多少家工会组织？');
    const q = a.quotes.find((x) => x.text.includes('14708人'));
    expect(q?.text.endsWith('14708人。')).toBe(true);
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
    const a = await ask('台北市劳工总工会代表团到北京康复医院交流，带队的理事长叫什么？');
    expect(quoted(a)).toContain('古明禾');
    expect(quoted(a)).not.toMatch(/^本报讯/u);
  });
});

describe('leadStart', () => {
  it('skips an opening quotation to the sentence that names the union', () => {
    const miyun = [...seed.index.articles.values()].find((a) => a.title.startsWith('密云工会'));
    expect(miyun).toBeDefined();
    const text = miyun!.text;
    expect(text.slice(leadStart(miyun!))).toMatch(/^为充分发挥工会阵地作用/u);
  });
});
