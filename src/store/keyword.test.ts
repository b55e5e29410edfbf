import { beforeAll, describe, expect, it } from 'vitest';
import { chunkArticle, estimateTokens, parseSeedsDir } from '../ingest/index.js';
import { SEEDS_DIR } from '../indexer/testing.js';
import type { Article, Chunk } from '../types.js';
import { KeywordIndex, topK } from './keyword.js';
import { FrozenKeywordIndex } from './keyword-frozen.js';

let articles: Article[];
let chunks: Chunk[];
const articleOf = (c: Chunk): Article => articles.find((a) => a.id === c.articleId)!;

function build(): KeywordIndex {
  const kw = KeywordIndex.create();
  for (const c of chunks) kw.add(c, articleOf(c));
  return kw;
}

beforeAll(async () => {
  articles = (await parseSeedsDir(SEEDS_DIR)).flatMap((p) => p.articles);
  let id = 0;
  chunks = articles.flatMap((a) => {
    const cs = chunkArticle(a, { countTokens: estimateTokens, maxTokens: 512, firstId: id });
    id += cs.length;
    return cs;
  });
});

describe('KeywordIndex over the seed pages', () => {
  it('finds the 通州 chunk with the number for a real question', () => {
    const kw = build();
    const hits = kw.search('通州区去年新发展了多少工会会员', 3).map((h) => chunks[h.chunkId]!);
    expect(articleOf(hits[0]!).title).toContain('通州区总工会');
    expect(hits.some((c) => c.text.includes('2.36万人'))).toBe(true);
  });

  it('finds the 德胜 article for 德胜街道 植树, and it outranks the other tree-planting article', () => {
    const kw = build();
    const hits = kw.search('德胜街道 植树', 5);
    const titles = hits.map((h) => articleOf(chunks[h.chunkId]!).title);
    expect(titles[0]).toContain('德胜街道');
    expect(hits[0]!.score).toBeGreaterThan(hits.at(-1)!.score);
  });

  it('returns at most k results, best first, and nothing for k ≤ 0 or unknown words', () => {
    const kw = build();
    const hits = kw.search('工会', 4);
    expect(hits).toHaveLength(4);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(kw.search('工会', 0)).toEqual([]);
    expect(kw.search('xyzzy plugh', 5)).toEqual([]);
  });

  it('headline words help every chunk of the article', () => {
    const kw = KeywordIndex.create();
    const a = { kicker: null, title: '德胜街道总工会组织职工开展植树活动' };
    kw.add({ id: 1, articleId: 'x', ordinal: 1, start: 0, end: 4, text: '职工们纷纷表示', tokens: 4 }, a);
    kw.add({ id: 2, articleId: 'y', ordinal: 0, start: 0, end: 4, text: '职工们纷纷表示', tokens: 4 }, { kicker: null, title: '其他新闻' });
    expect(kw.search('德胜 植树', 5).map((h) => h.chunkId)).toEqual([1]);
  });

  it('removes and re-adds chunks by id (incremental), with df and size following', () => {
    const kw = build();
    const desheng = chunks.filter((c) => articleOf(c).title.includes('德胜街道'));
    expect(desheng.length).toBeGreaterThan(0);
    const dfBefore = kw.df('德胜');
    expect(dfBefore).toBeGreaterThanOrEqual(desheng.length);
    for (const c of desheng) kw.remove(c.id);
    kw.remove(999_999); // absent: no-op
    expect(kw.size).toBe(chunks.length - desheng.length);
    const after = kw.search('德胜街道 植树', 5).map((h) => articleOf(chunks[h.chunkId]!).title);
    expect(after.every((t) => !t.includes('德胜街道'))).toBe(true);
    expect(kw.df('德胜')).toBeLessThan(dfBefore);
    for (const c of desheng) kw.add(c, articleOf(c));
    expect(articleOf(chunks[kw.search('德胜街道 植树', 1)[0]!.chunkId]!).title).toContain('德胜街道');
    expect(kw.df('德胜')).toBe(dfBefore);
  });

  it('round-trips through its NDJSON lines with identical results, leaving removed chunks out', () => {
    const kw = build();
    for (const c of chunks.slice(0, 10)) kw.remove(c.id);
    const lines = [...kw.toLines()];
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const back = KeywordIndex.fromLines(lines.map((l) => l.slice(0, -1)));
    expect(back.size).toBe(kw.size);
    for (const q of ['通州区去年新发展了多少工会会员', '德胜街道 植树', '女职工 普法']) {
      expect(back.search(q, 10)).toEqual(kw.search(q, 10));
    }
    expect(back.df('工会')).toBe(kw.df('工会'));
    expect(back.has(chunks[3]!.id)).toBe(false);
    expect(back.has(chunks[30]!.id)).toBe(true);
    // Written clean: MiniSearch's own search on the reloaded index agrees too.
    expect(back.searchReference('德胜街道 植树', 5).map((h) => h.chunkId)).toEqual(kw.search('德胜街道 植树', 5).map((h) => h.chunkId));
    // It stores postings only: no chunk text in the serialized form.
    expect(lines.join('')).not.toContain(chunks[20]!.text.slice(0, 30));
  });

  it('the fast scorer gives exactly MiniSearch\'s scores and order', () => {
    const kw = build();
    const queries = ['通州区去年新发展了多少工会会员', '德胜街道 植树', '女职工 普法讲座', '工会', '劳模 Workers 2024年', '北京住总集团工会举办帮扶产品大集'];
    for (const q of queries) {
      const fast = kw.search(q, 20);
      const ref = kw.searchReference(q, 20);
      expect(fast.length).toBe(ref.length);
      fast.forEach((h, i) => expect(h.score).toBeCloseTo(ref[i]!.score, 9));
      // Same chunks wherever scores are not tied.
      const distinct = ref.filter((r, i) => ref.filter((x, j) => j !== i && Math.abs(x.score - r.score) < 1e-9).length === 0);
      for (const r of distinct) expect(fast.findIndex((h) => h.chunkId === r.chunkId)).toBe(ref.indexOf(r));
    }
  });
});

describe('topK', () => {
  it('keeps the k best, best first, ties by lower item', () => {
    const items = [5, 3, 9, 1, 7, 2, 8];
    const score = (i: number): number => (i === 2 ? 9 : i);
    expect(topK(items, score, 3)).toEqual([[2, 9], [9, 9], [8, 8]]);
    expect(topK(items, score, 100).map(([i]) => i)).toEqual([2, 9, 8, 7, 5, 3, 1]);
    expect(topK([], score, 3)).toEqual([]);
  });
});

describe('FrozenKeywordIndex (the read-only serving copy)', () => {
  const questions = ['通州区去年新发展了多少工会会员', '德胜街道 植树', '户外劳动者暖心驿站', '女职工活动', '北京住总外施工会开工第一课', '没有这个词xyz'];

  it('gives exactly the writer index’s results, also after removals and a save/load round-trip', () => {
    const kw = build();
    for (const c of chunks.slice(0, 10)) kw.remove(c.id);
    const frozen = FrozenKeywordIndex.fromLines([...kw.toLines()].map((l) => l.trimEnd()));
    expect(frozen.size).toBe(kw.size);
    for (const q of questions) {
      const want = kw.search(q, 20);
      const got = frozen.search(q, 20);
      expect(got.map((h) => h.chunkId), q).toEqual(want.map((h) => h.chunkId));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 9));
    }
    for (const term of ['工会', '植树', '通州', '暖心', '不存在']) expect(frozen.df(term), term).toBe(kw.df(term));
  });

  it('can be searched again and again (its accumulators are reset between queries)', () => {
    const frozen = FrozenKeywordIndex.fromLines([...build().toLines()].map((l) => l.trimEnd()));
    const once = frozen.search('德胜街道 植树', 5);
    frozen.search('户外劳动者暖心驿站', 5);
    expect(frozen.search('德胜街道 植树', 5)).toEqual(once);
  });
});
