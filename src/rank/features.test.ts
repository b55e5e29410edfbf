import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeedIndex, type SeedIndex } from '../../test/helpers.js';
import { candidatesFor, frameFeatures, longestCommonRun, SENTENCE_FEATURES } from './features.js';
import { whFrameOf } from './question.js';

let seed: SeedIndex;
beforeAll(async () => {
  seed = await buildSeedIndex();
});
afterAll(() => seed?.cleanup());

const sentenceOf = (c: { article: { text: string }; start: number; end: number }): string => c.article.text.slice(c.start, c.end);

describe('sentence features (real seed index)', () => {
  it('describes every candidate by every named feature, each a finite number', async () => {
    const { candidates } = await candidatesFor(seed.index, null, '平谷区总工会五年来成功调解了多少件劳动争议案件？');
    expect(candidates.length).toBeGreaterThan(10);
    for (const c of candidates) {
      expect(Object.keys(c.features).sort()).toEqual([...SENTENCE_FEATURES].sort());
      for (const f of SENTENCE_FEATURES) expect(Number.isFinite(c.features[f]), f).toBe(true);
    }
  });

  it('marks the sentence with a number in the unit asked for, and not the sentences without', async () => {
    const { candidates } = await candidatesFor(seed.index, null, '平谷区总工会五年来成功调解了多少件劳动争议案件？');
    const answer = candidates.find((c) => sentenceOf(c).includes('1546件'));
    expect(answer?.features.asks_number_has).toBe(1);
    expect(candidates.some((c) => c.features.asks_number_has === -1)).toBe(true);
  });

  it('notices a place the question names that the article never mentions', async () => {
    const { candidates } = await candidatesFor(seed.index, null, '门头沟区总工会五年来成功调解了多少件劳动争议案件？');
    const pinggu = candidates.find((c) => sentenceOf(c).includes('1546件'));
    expect(pinggu?.features.names_missing_article).toBeGreaterThan(0);
    const { candidates: right } = await candidatesFor(seed.index, null, '平谷区总工会五年来成功调解了多少件劳动争议案件？');
    expect(right.find((c) => sentenceOf(c).includes('1546件'))?.features.names_missing_article).toBe(0);
  });

  it('keeps a name the corpus never uses as a question word, so the article that lacks it covers less', async () => {
    const menTouGou = (await candidatesFor(seed.index, null, '门头沟区总工会五年来成功调解了多少件劳动争议案件？')).question.weights;
    expect(menTouGou.units.some((u) => u.text.includes('门头沟') && u.df === 0)).toBe(true);
    const { candidates } = await candidatesFor(seed.index, null, '门头沟区总工会五年来成功调解了多少件劳动争议案件？');
    expect(candidates.find((c) => sentenceOf(c).includes('1546件'))?.features.cov_article).toBeLessThan(0.95);
  });

  it('finds a person jieba leaves untagged (an unknown word with a common surname) for "who" questions', async () => {
    const { candidates } = await candidatesFor(seed.index, null, '述职评议会上，是谁对现场述职的书记一个个点评的？');
    const named = candidates.find((c) => sentenceOf(c).includes('余运高'));
    expect(named?.features.asks_person_has).toBe(1);
  });

  it('flags a sentence about another year than the one asked (去年 vs 今年)', async () => {
    const { candidates } = await candidatesFor(seed.index, null, '通州区去年新发展了多少工会会员？');
    const thisYear = candidates.find((c) => sentenceOf(c).startsWith('今年通州区各级工会将新发展'));
    expect(thisYear?.features.relative_year_conflict).toBe(1);
  });

  it('asks for a time as precise as the question: 近日 does not say which day, a year is written with its digits', async () => {
    const day = await candidatesFor(seed.index, null, '经开区总工会的植树志愿活动具体是哪天搞的？');
    const lead = day.candidates.find((c) => sentenceOf(c).includes('近日') && sentenceOf(c).includes('植此青绿'));
    expect(lead?.features.asks_time_has).toBe(-1);
    const year = await candidatesFor(seed.index, null, '顺义区总工会是在哪一年的工作部署中明确各单位建会任务的？');
    const written = year.candidates.find((c) => sentenceOf(c).includes('2024年各项工作'));
    expect(written?.features.asks_time_has).toBe(1);
    // `什么时候` takes any time word, as before.
    const any = await candidatesFor(seed.index, null, '经开区总工会什么时候开展了植树志愿活动？');
    expect(any.candidates.find((c) => sentenceOf(c).includes('植此青绿'))?.features.asks_time_has).toBe(1);
  });

  it('only questions asking for a type get a type signal', async () => {
    const { candidates } = await candidatesFor(seed.index, null, '德胜街道总工会组织职工植树');
    for (const c of candidates) expect([c.features.asks_number_has, c.features.asks_person_has, c.features.asks_place_has]).toEqual([0, 0, 0]);
  });
});

describe('longestCommonRun', () => {
  it('is the longest shared substring', () => {
    expect(longestCommonRun('调解劳动争议案件', '成功调解劳动争议案件1546件')).toBe(8);
    expect(longestCommonRun('abc', 'xyz')).toBe(0);
    expect(longestCommonRun('', 'x')).toBe(0);
  });
});

describe('frameFeatures (the words either side of the wh-word)', () => {
  const frame = (q: string, s: string) => frameFeatures(whFrameOf(q), s);

  it('finds the answer slot between the two sides, in order', () => {
    expect(whFrameOf('蓝线裸顶鲷以什么为食？')).toEqual({ left: '线裸顶鲷以'.slice(-4), right: '为食' });
    expect(frame('蓝线裸顶鲷以什么为食？', '属肉食性以甲壳类头足类和小鱼为食')).toMatchObject({ wh_frame_slot: 1 });
    expect(frame('蓝线裸顶鲷以什么为食？', '蓝线裸顶鲷又称蓝线白鱼')).toMatchObject({ wh_frame_slot: 0 });
    // `什么是X` is answered as `X是…`.
    expect(whFrameOf('什么是标准杆？')).toEqual({ left: '标准杆是', right: '' });
    expect(frame('什么是标准杆？', '标准杆是一个高尔夫球运动术语').wh_frame).toBe(1);
    expect(frame('什么是标准杆？', '总杆数高于标准杆数四杆称为四柏忌').wh_frame).toBe(0);
    // The sides in the wrong order leave no slot.
    expect(frame('开工第一课请谁来授课', '授课的是请来的专家开工第一课').wh_frame_slot).toBe(0);
  });

  it('grows with how much of the frame the sentence keeps, and is 0 without a wh-word', () => {
    const full = frame('神圣十月是何时开始播放的', '神圣十月是在2007年1月4日开始播放的').wh_frame;
    const half = frame('神圣十月是何时开始播放的', '神圣十月是一部在千叶电视台首次播放的动画').wh_frame;
    expect(full).toBeGreaterThan(half);
    expect(half).toBeGreaterThan(0);
    expect(frame('平谷区总工会调解劳动争议', '平谷区总工会调解劳动争议')).toEqual({ wh_frame: 0, wh_frame_slot: 0 });
  });
});
