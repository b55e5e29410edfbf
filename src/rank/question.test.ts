import { describe, expect, it } from 'vitest';
import { analyzeQuestion, detectLang, extractPlaces } from './question.js';

describe('analyzeQuestion', () => {
  it('reads what a question asks for', () => {
    expect(analyzeQuestion('平谷区总工会五年来成功调解了多少件劳动争议案件？').wantsNumber).toBe(true);
    expect(analyzeQuestion('最近有哪些工会组织职工去植树？').wantsMany).toBe(true);
    expect(analyzeQuestion('德胜街道总工会组织职工到哪里植的树？').wantsPlace).toBe(true);
    expect(analyzeQuestion('带队的理事长叫什么？').wantsPerson).toBe(true);
    expect(analyzeQuestion('中关村银行为女职工举办了什么健身活动？')).toMatchObject({ wantsNumber: false, wantsMany: false });
    // 哪几 asks which ones (a list), 几 alone how many.
    expect(analyzeQuestion('密云区总工会打算把暖心驿站打造成哪几个“站”？')).toMatchObject({ wantsNumber: false, wantsMany: true });
    expect(analyzeQuestion('开工第一课已经连续办了几年？').wantsNumber).toBe(true);
    // 多 + a dimension asks a measure; 许多/很多 + an adjective does not.
    expect(analyzeQuestion('东关街有多长？').wantsNumber).toBe(true);
    expect(analyzeQuestion('核心保护区有多大？').wantsNumber).toBe(true);
    expect(analyzeQuestion('许多大型企业参加了什么活动？').wantsNumber).toBe(false);
  });

  it('tells how precise a "when" is asked for, the most precise cue first', () => {
    expect(analyzeQuestion('窦店镇第一个暖心驿站是哪一年建成的？').timeGrain).toBe('year');
    expect(analyzeQuestion('植树活动是哪一年的哪一天搞的？').timeGrain).toBe('day');
    expect(analyzeQuestion('驿站每天几点开门？').timeGrain).toBe('clock');
    expect(analyzeQuestion('夏令营办了多长时间？').timeGrain).toBe('span');
    expect(analyzeQuestion('活动什么时候举行？').timeGrain).toBe('any');
    expect(analyzeQuestion('活动在哪里举行？')).toMatchObject({ timeGrain: null, wantsTime: false });
  });

  it('keeps the content words and drops question words', () => {
    const terms = analyzeQuestion('通州区去年新发展了多少工会会员？').terms;
    expect(terms).toContain('通州');
    expect(terms).toContain('会员');
    expect(terms).not.toContain('多少');
  });

  it('tells English from Chinese', () => {
    expect(detectLang('Where did the trade union plant trees?')).toBe('en');
    expect(detectLang('经开区总工会在哪里植树？')).toBe('zh');
    expect(detectLang('Family Day 是哪个街道办的？')).toBe('zh');
  });
});

describe('extractPlaces', () => {
  it('finds administrative place names as stems', () => {
    expect(extractPlaces('石景山区总工会今年计划新建多少家工会组织？').join()).toMatch(/景山/u);
    expect(extractPlaces('天津市总工会今年组织了哪些植树活动？')).toContain('天津');
    expect(extractPlaces('通州区去年新发展了多少工会会员？')).toContain('通州');
  });

  it('does not take common words ending in a place suffix for names', () => {
    expect(extractPlaces('安检员工到小区里给居民讲了什么？')).toEqual([]);
    expect(extractPlaces('昌平有个镇请专家给女职工讲法律知识')).toEqual([]);
  });
});
