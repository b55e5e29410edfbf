import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFollowUp } from './follow-up.js';

// "The corpus knows a word" ≈ the seed pages contain it (the bot asks the index's document frequency).
const SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));
const corpus = readdirSync(SEEDS).map((f) => readFileSync(path.join(SEEDS, f), 'utf8')).join('\n');
const knows = (w: string) => corpus.includes(w);

describe('isFollowUp', () => {
  it('the issue’s examples', () => {
    for (const t of ['还有吗？', '还有呢', 'more?', '详细一点']) expect(isFollowUp(t, knows), t).toBe(true);
  });

  it('unseen phrasings built from continuation and function words', () => {
    for (const t of ['能再多说几句吗？', '其他的呢？', '还有别的报道吗', '再来几条', '更详细些', '继续', 'anything else?', 'Tell me more, please', 'any other reports?', '还有没有？'])
      expect(isFollowUp(t, knows), t).toBe(true);
  });

  it('a word the reports use makes it a new question; so does no continuation word, or length', () => {
    for (const t of ['顺义还有吗？', '植树还有吗', '还有哪些女职工活动？', '平谷区总工会还有什么？', '谢谢', '好的', 'thanks!', '植树的呢？', '？？', '还有没有关于工会会员发展的更多详细报道和具体数字可以看看']) {
      expect(isFollowUp(t, knows), t).toBe(false);
    }
  });

  it('English words the reports never use do not count as new (keyword index is Chinese)', () => {
    expect(isFollowUp('more about Shunyi?', () => false)).toBe(true);
    expect(isFollowUp('more about Shunyi?', (w) => w === 'shunyi')).toBe(false);
  });
});
