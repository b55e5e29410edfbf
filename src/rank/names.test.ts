import { describe, expect, it } from 'vitest';
import { tagWords } from '../text/segment.js';
import { hasPersonName } from './names.js';

describe('hasPersonName', () => {
  it('takes an unknown word starting with a common surname as a name', () => {
    expect(hasPersonName(tagWords('机关党委书记余运高对现场述职的基层党组织书记进行逐一点评'), '')).toBe(true);
    expect(hasPersonName(tagWords('（通讯员 焦明玉）'), '')).toBe(true);
  });

  it('does not count a name the question already holds, nor ordinary words', () => {
    expect(hasPersonName(tagWords('机关党委书记余运高对现场述职的基层党组织书记进行逐一点评'), '余运高点评了谁')).toBe(false);
    expect(hasPersonName(tagWords('活动现场气氛热烈，职工们纷纷表示收获很大。'), '')).toBe(false);
  });
});
