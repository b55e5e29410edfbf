/** The tokenizer: words and CJK bigrams, stopwords dropped; batching the Segmenter changes no token. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from './normalize.js';
import { queryTerms, tokenize } from './tokenize.js';

const SEEDS = path.join(import.meta.dirname, '../../seeds');

/** The rule the slow way: every piece (a run between punctuation and whitespace) tokenized on its own. */
function tokenizeByPiece(text: string): string[] {
  return [...normalizeForMatch(text).matchAll(/(?:[^\s\p{P}\p{S}]|(?<=\d)[.,](?=\d))+/gu)].flatMap((m) => tokenize(m[0]));
}

describe('tokenize', () => {
  it('gives words and bigrams of each CJK run, without stopwords; numbers and Latin words stay whole', () => {
    const t = tokenize('通州区新发展工会会员2.5万人，5G网络覆盖covid19。');
    expect(t).toContain('工会');
    expect(t).toContain('会会'); // a bigram across ICU's words
    expect(t).toContain('2.5');
    expect(t).toContain('5g');
    expect(t).toContain('covid19');
    expect(queryTerms('哪些工会组织职工去植树？')).not.toContain('哪些');
  });

  it('gives every piece the tokens it gets segmented alone (real page lines, long texts, edge cases)', () => {
    const texts = ['U.S.A. a.b 3,000 1.2.3 e-mail ＡＢＣ１２３ 😀工会😀 工会\n会员\t北京\r\n市 ９．５％ 10:30 2024-03-12', ''];
    for (const f of fs.readdirSync(SEEDS).filter((x) => x.endsWith('.txt'))) {
      const page = fs.readFileSync(path.join(SEEDS, f), 'utf8');
      texts.push(...page.split('\n'), page); // lines, and the whole page (many batches)
    }
    for (const t of texts) expect(tokenize(t), t.slice(0, 40)).toEqual(tokenizeByPiece(t));
  });
});
