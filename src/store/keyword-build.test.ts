import { beforeAll, describe, expect, it } from 'vitest';
import { chunkArticle, estimateTokens, parseSeedsDir } from '../ingest/index.js';
import { SEEDS_DIR } from '../../test/indexing.js';
import type { Article } from '../types.js';
import { KeywordIndex } from './keyword.js';
import { buildKeywordIndex, type KeywordItem } from './keyword-build.js';

let items: KeywordItem[];

beforeAll(async () => {
  const articles: Article[] = (await parseSeedsDir(SEEDS_DIR)).flatMap((p) => p.articles);
  let id = 0;
  items = articles.flatMap((a) => {
    const cs = chunkArticle(a, { countTokens: estimateTokens, maxTokens: 512, firstId: id });
    id += cs.length;
    return cs.map((chunk) => ({ chunk, article: a }));
  });
});

function oneByOne(xs: readonly KeywordItem[]): KeywordIndex {
  const kw = KeywordIndex.create();
  kw.addAll(xs);
  return kw;
}

const QUESTIONS = ['通州区去年新发展了多少工会会员', '德胜街道 植树', '平谷区总工会五年来成功调解了多少件劳动争议案件', '工会'];

describe('buildKeywordIndex (tokenizer on worker threads)', () => {
  it('gives the index adding the chunks one by one gives: same file bytes, same results', async () => {
    const seq = oneByOne(items);
    const par = await buildKeywordIndex(items, { threads: 3, parallelFrom: 0 });
    expect(Buffer.from(par.toArrayBuffer()).equals(Buffer.from(seq.toArrayBuffer()))).toBe(true);
    for (const q of QUESTIONS) expect(par.search(q, 20)).toEqual(seq.search(q, 20));
    expect(par.size).toBe(items.length);
  });

  it('joins shards with terms only some of them have, and an empty shard', () => {
    const cut = [0, 7, 7, 40, items.length];
    const parts = cut.slice(1).map((end, i) => oneByOne(items.slice(cut[i], end)));
    const joined = KeywordIndex.concat(parts);
    const seq = oneByOne(items);
    for (const q of QUESTIONS) expect(joined.search(q, 20)).toEqual(seq.search(q, 20));
    expect(joined.df('植树')).toBe(seq.df('植树'));
    // The joined index takes more chunks and removals like any other.
    joined.remove(items[0]!.chunk.id);
    seq.remove(items[0]!.chunk.id);
    expect(joined.search('通州区 工会会员', 10)).toEqual(seq.search('通州区 工会会员', 10));
  });

  it('stays on this thread for a small corpus', async () => {
    const kw = await buildKeywordIndex(items.slice(0, 10));
    expect(kw.size).toBe(10);
  });
});
