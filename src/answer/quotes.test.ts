import { describe, expect, it } from 'vitest';
import { splitSentences } from '../text/sentences.js';
import { quoteSpan } from './quotes.js';

const quoteOf = (text: string, sentence: string, keepByline = false): string => {
  const spans = splitSentences(text);
  const i = spans.findIndex((s) => text.slice(s.start, s.end).includes(sentence));
  const q = quoteSpan(text, spans, i, { keepByline });
  return text.slice(q.start, q.end);
};

describe('quoteSpan', () => {
  it('adds the sentence naming the speaker after a quotation', () => {
    const text = '会议召开。“今年要新建工会组织100家。”区总工会副主席张三指出，要确保完成任务。另一件事。';
    expect(quoteOf(text, '新建工会组织100家')).toBe('“今年要新建工会组织100家。”区总工会副主席张三指出，要确保完成任务。');
  });

  it('reaches back to the speaker before a quotation of several sentences', () => {
    const text = '活动结束。张三说：“我们很高兴。这次学到了很多。”大家鼓掌。';
    expect(quoteOf(text, '学到了很多')).toBe('张三说：“我们很高兴。这次学到了很多。”');
  });

  it('leaves a plain sentence alone and trims the byline prefix', () => {
    const text = '本报讯（记者 李四）近日，某区总工会开展植树活动。职工80人参加。';
    expect(quoteOf(text, '植树')).toBe('近日，某区总工会开展植树活动。');
    expect(quoteOf(text, '80人')).toBe('职工80人参加。');
    expect(quoteOf(text, '植树', true)).toBe('本报讯（记者 李四）近日，某区总工会开展植树活动。');
  });

  it('never crosses a paragraph and always returns a slice of the text', () => {
    const text = '“第一段没有闭合的引号。\n第二段另起一行。';
    const q = quoteOf(text, '第二段');
    expect(q).toBe('第二段另起一行。');
  });
});
