import { describe, expect, it } from 'vitest';
import { estimateTokens, SPECIAL_TOKENS } from './tokens.js';

describe('estimateTokens', () => {
  it('counts CJK chars one each, plus the special tokens', () => {
    expect(estimateTokens('')).toBe(SPECIAL_TOKENS);
    expect(estimateTokens('工会')).toBe(2 + SPECIAL_TOKENS);
    expect(estimateTokens('职工之家。')).toBe(5 + SPECIAL_TOKENS);
  });

  it('over-estimates Latin words and numbers (ceil(len/3) + 1 each)', () => {
    expect(estimateTokens('DIY')).toBe(2 + SPECIAL_TOKENS);
    expect(estimateTokens('Family Day')).toBe(3 + 2 + SPECIAL_TOKENS);
    expect(estimateTokens('14708人')).toBe(3 + 1 + SPECIAL_TOKENS);
    expect(estimateTokens('2.36万')).toBe(2 + 1 + 2 + 1 + SPECIAL_TOKENS);
  });

  it('never estimates fewer tokens than characters for CJK text', () => {
    const text = '本报讯（记者 王路曼）记者近日从顺义区总工会2024年基层组织建设工作部署会上获悉。';
    expect(estimateTokens(text)).toBeGreaterThanOrEqual([...text.replace(/\s/gu, '')].length - 3);
  });
});
