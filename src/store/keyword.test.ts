import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryTerms, tokenize } from '../text/tokenize.js';
import { headlineOf } from '../types.js';
import { chunkArticle, estimateTokens, parseSeedsDir } from '../ingest/index.js';
import { SEEDS_DIR } from '../../test/indexing.js';
import type { Article, Chunk } from '../types.js';
import { KeywordIndex } from './keyword.js';

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
    expect(hits[0]!.bm25).toBeGreaterThan(hits.at(-1)!.bm25);
  });

  it('returns at most k results, best first, and nothing for k ≤ 0 or unknown words', () => {
    const kw = build();
    const hits = kw.search('工会', 4);
    expect(hits).toHaveLength(4);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.bm25).toBeGreaterThanOrEqual(hits[i]!.bm25);
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

  it('round-trips through its file with identical results, leaving removed chunks out', () => {
    const kw = build();
    for (const c of chunks.slice(0, 10)) kw.remove(c.id);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-kw-')), 'keyword.bin');
    const want = ['通州区去年新发展了多少工会会员', '德胜街道 植树', '女职工 普法'].map((q) => kw.search(q, 10));
    kw.write(file);
    const back = KeywordIndex.read(file);
    expect(back.size).toBe(kw.size);
    ['通州区去年新发展了多少工会会员', '德胜街道 植树', '女职工 普法'].forEach((q, i) => {
      expect(back.search(q, 10).map((h) => h.chunkId)).toEqual(want[i]!.map((h) => h.chunkId));
      back.search(q, 10).forEach((h, j) => expect(h.bm25).toBeCloseTo(want[i]![j]!.bm25, 12));
    });
    expect(back.df('工会')).toBe(kw.df('工会'));
    expect(back.has(chunks[3]!.id)).toBe(false);
    expect(back.has(chunks[30]!.id)).toBe(true);
    // It stores postings only: no chunk text in the file.
    expect(fs.readFileSync(file).includes(Buffer.from(chunks[20]!.text.slice(0, 12)))).toBe(false);
    // A reloaded index takes more chunks and writes again.
    back.add(chunks[3]!, articleOf(chunks[3]!));
    expect(back.has(chunks[3]!.id)).toBe(true);
    back.write(file);
    expect(KeywordIndex.read(file).size).toBe(kw.size + 1);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('an update saved as a delta beside the unread base file searches like the index kept in memory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-kw-'));
    const base = path.join(dir, 'keyword.bin');
    const first = KeywordIndex.create();
    for (const c of chunks.slice(0, -6)) first.add(c, articleOf(c));
    first.write(base);
    // The same edits twice: on an index kept in memory, and on one opened for update (no postings read).
    const memory = KeywordIndex.read(base);
    const update = KeywordIndex.readForUpdate(base, null);
    for (const kw of [memory, update]) {
      for (const c of chunks.slice(0, 3)) kw.remove(c.id);
      for (const c of chunks.slice(-6)) kw.add(c, articleOf(c));
    }
    expect(update.canWriteDelta).toBe(true);
    update.writeDelta(path.join(dir, 'delta.bin'));
    const back = KeywordIndex.readWithDelta(base, path.join(dir, 'delta.bin'));
    const queries = ['通州区去年新发展了多少工会会员', '德胜街道 植树', '女职工 普法', '工会'];
    for (const q of queries) expect(back.search(q, 10)).toEqual(memory.search(q, 10));
    expect(back.size).toBe(memory.size);
    expect(back.has(chunks[0]!.id)).toBe(false);
    // A second update on top of the delta, then a full write (the base read only now): same again.
    const again = KeywordIndex.readForUpdate(base, path.join(dir, 'delta.bin'));
    again.remove(chunks.at(-1)!.id);
    memory.remove(chunks.at(-1)!.id);
    again.write(path.join(dir, 'merged.bin'));
    for (const q of queries) expect(KeywordIndex.read(path.join(dir, 'merged.bin')).search(q, 10)).toEqual(memory.search(q, 10));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file that is not a keyword index, or of another format version', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-kw-'));
    const file = path.join(dir, 'keyword.bin');
    fs.writeFileSync(file, '{"format":1}\n');
    expect(() => KeywordIndex.read(file)).toThrow(/is not a keyword index/u);
    build().write(file);
    const b = fs.readFileSync(file);
    b.writeUInt32LE(99, 4);
    fs.writeFileSync(file, b);
    expect(() => KeywordIndex.read(file)).toThrow(/keyword index format 99, expected 2/u);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives exactly the scores and order of the MiniSearch index it replaced', () => {
    const kw = build();
    const ms = miniSearchOf(chunks);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-kw-'));
    kw.write(path.join(dir, 'k.bin'));
    const reloaded = KeywordIndex.read(path.join(dir, 'k.bin'));
    fs.rmSync(dir, { recursive: true, force: true });
    const queries = ['通州区去年新发展了多少工会会员', '德胜街道 植树', '女职工 普法讲座', '工会', '劳模 Workers 2024年', '北京住总集团工会举办帮扶产品大集', '户外劳动者暖心驿站'];
    for (const index of [kw, reloaded]) {
      for (const q of queries) {
        const fast = index.search(q, 20);
        const ref = ms.search(q).slice(0, 20).map((r) => ({ chunkId: r.id as number, score: r.score }));
        expect(fast.length).toBe(ref.length);
        fast.forEach((h, i) => expect(h.bm25).toBeCloseTo(ref[i]!.score, 9));
        // Same chunks wherever scores are not tied.
        const distinct = ref.filter((r, i) => ref.filter((x, j) => j !== i && Math.abs(x.score - r.score) < 1e-9).length === 0);
        for (const r of distinct) expect(fast.findIndex((h) => h.chunkId === r.chunkId)).toBe(ref.indexOf(r));
      }
    }
    for (const term of ['工会', '植树', '通州', '暖心', '不存在']) {
      const refDf = (ms as unknown as { _index: { get(t: string): Map<number, Map<number, number>> | undefined } })._index.get(term)?.get(0)?.size ?? 0;
      expect(kw.df(term), term).toBe(refDf);
      expect(reloaded.df(term), term).toBe(refDf);
    }
  });

  it('can be searched again and again (its accumulators are reset between queries)', () => {
    const kw = build();
    const once = kw.search('德胜街道 植树', 5);
    kw.search('户外劳动者暖心驿站', 5);
    expect(kw.search('德胜街道 植树', 5)).toEqual(once);
  });
});

/** The MiniSearch 7.2 index this project used before, with its settings then. */
function miniSearchOf(list: Chunk[]): MiniSearch<{ id: number; text: string; headline: string }> {
  const identity = (t: string): string => t;
  const ms = new MiniSearch<{ id: number; text: string; headline: string }>({
    fields: ['text', 'headline'],
    storeFields: [],
    tokenize: (t) => tokenize(t),
    processTerm: identity,
    autoVacuum: false,
    searchOptions: { tokenize: (t) => queryTerms(t), processTerm: identity, boost: { headline: 1.5 }, prefix: false, fuzzy: false, combineWith: 'OR' },
  });
  for (const c of list) ms.add({ id: c.id, text: c.text, headline: headlineOf(articleOf(c)) });
  return ms;
}
