import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus, readSeedMaterial } from '../bench/corpus.js';
import { buildQuestions } from '../bench/questions.js';
import { chunkArticle, estimateTokens, listPages, parsePage, parseSeedsDir } from '../ingest/index.js';
import { readSquad } from '../eval/squad.js';
import { SEEDS_DIR } from '../../test/indexing.js';
import type { Article, Chunk } from '../types.js';
import { KeywordIndex } from './keyword.js';
import { KEPT_SCRATCH_TERMS, WINDOW } from './keyword-query.js';
import { queryTerms } from '../text/tokenize.js';

const EVAL_DIR = path.join(SEEDS_DIR, '..', 'eval');
const KS = [1, 10, 60];

interface Corpus {
  articles: Article[];
  chunks: Chunk[];
}

function chunked(articles: Article[]): Corpus {
  let id = 0;
  const chunks = articles.flatMap((a) => {
    const cs = chunkArticle(a, { countTokens: estimateTokens, maxTokens: 512, firstId: id });
    id += cs.length;
    return cs;
  });
  return { articles, chunks };
}

function indexOf(c: Corpus): KeywordIndex {
  const byId = new Map(c.articles.map((a) => [a.id, a]));
  const kw = KeywordIndex.create();
  for (const ch of c.chunks) kw.add(ch, byId.get(ch.articleId)!);
  return kw;
}

/** Questions of the project's eval files (dev format), every one of them. */
function evalQuestions(): string[] {
  const out: string[] = [];
  for (const f of ['dev', 'more', 'extra', 'written', 'fresh']) {
    for (const line of fs.readFileSync(path.join(EVAL_DIR, `${f}.jsonl`), 'utf8').split('\n')) {
      if (line.trim()) out.push((JSON.parse(line) as { question: string }).question);
    }
  }
  return out;
}

/** Pruned search equals scoring every posting: same chunks, same order, scores equal to the bit. */
function expectExact(kw: KeywordIndex, queries: readonly string[]): void {
  let compared = 0;
  for (const q of queries) {
    for (const k of KS) {
      const want = kw.searchExhaustive(q, k);
      expect(kw.search(q, k), `${q} (k ${k})`).toEqual(want);
      compared += want.length;
    }
  }
  expect(compared).toBeGreaterThan(queries.length);
}

let tmp: string;
let seeds: Corpus;
let synthetic: Corpus;
let syntheticQuestions: string[];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-kwq-'));
  seeds = chunked((await parseSeedsDir(SEEDS_DIR)).flatMap((p) => p.articles));
  // The bench's synthetic archive (its commonest words are in most chunks: where pruning matters).
  const pages = path.join(tmp, 'pages');
  const gen = generateCorpus(readSeedMaterial(SEEDS_DIR), pages, { chunks: 2000, seed: 7 });
  synthetic = chunked(listPages(pages).flatMap((f) => parsePage(f, fs.readFileSync(path.join(pages, f), 'utf8')).articles));
  syntheticQuestions = buildQuestions([], gen.sample, 100, 7);
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('keyword search (MaxScore) against scoring every posting', () => {
  it('is exact on the seed pages for every eval question', () => {
    expectExact(indexOf(seeds), evalQuestions());
  });

  it('is exact on a synthetic archive whose common words are in most chunks, and the top ones are found', () => {
    const kw = indexOf(synthetic);
    expect(kw.df('工会') / kw.size).toBeGreaterThan(0.5);
    // Several windows of the walk, so a window's state must not leak into the next.
    expect(kw.size).toBeGreaterThan(WINDOW);
    expectExact(kw, syntheticQuestions);
    // A pasted paragraph: more terms than the scratch kept between queries, so it gets its own.
    const long = syntheticQuestions.slice(0, 12).join('');
    expect(queryTerms(long).length).toBeGreaterThan(KEPT_SCRATCH_TERMS);
    expectExact(kw, [long, syntheticQuestions[0] as string]);
  });

  it('is exact on the external sets (CMRC 2018 trial, DRCD dev) with their own questions', () => {
    for (const [file, limit] of [['cmrc2018_trial.json', 120], ['DRCD_dev.json', 60]] as const) {
      const squad = readSquad(path.join(EVAL_DIR, 'external', file), { leftOut: 0, limit, toSimplified: false });
      const corpus = chunked(squad.pages.flatMap((p) => parsePage(p.file, p.content).articles));
      expectExact(indexOf(corpus), squad.questions.map((q) => q.question).slice(0, 150));
    }
  });

  it('breaks ties as scoring every posting does: the earlier-added chunk first', () => {
    const kw = KeywordIndex.create();
    const article = { kicker: null, title: '职工之家' };
    // Forty identical chunks (tied scores) among others that share some of the words.
    for (let i = 0; i < 120; i++) {
      const text = i % 3 === 0 ? '朝阳区总工会组织职工开展植树活动' : i % 3 === 1 ? '朝阳区职工' : '植树活动';
      kw.add({ id: 1000 - i, articleId: `a${i}`, ordinal: 0, start: 0, end: text.length, text, tokens: text.length }, article);
    }
    for (const k of [1, 5, 39, 40, 41, 100]) {
      const hits = kw.search('朝阳区总工会组织职工植树', k);
      expect(hits).toEqual(kw.searchExhaustive('朝阳区总工会组织职工植树', k));
    }
    const five = kw.search('朝阳区总工会组织职工植树', 5);
    expect(five.map((h) => h.chunkId)).toEqual([1000, 997, 994, 991, 988]);
    expect(new Set(five.map((h) => h.bm25)).size).toBe(1);
  });

  it('stays exact with removed chunks and with a delta file beside the base', () => {
    const dir = path.join(tmp, 'delta');
    fs.mkdirSync(dir);
    const byId = new Map(synthetic.articles.map((a) => [a.id, a]));
    const head = synthetic.chunks.slice(0, -200);
    const base = KeywordIndex.create();
    for (const c of head) base.add(c, byId.get(c.articleId)!);
    base.write(path.join(dir, 'keyword.bin'));
    const update = KeywordIndex.readForUpdate(path.join(dir, 'keyword.bin'), null);
    for (const c of synthetic.chunks.filter((_, i) => i % 7 === 0 && i < head.length)) update.remove(c.id);
    for (const c of synthetic.chunks.slice(-200)) update.add(c, byId.get(c.articleId)!);
    update.writeDelta(path.join(dir, 'keyword-delta.bin'));
    const reader = KeywordIndex.readWithDelta(path.join(dir, 'keyword.bin'), path.join(dir, 'keyword-delta.bin'));
    const questions = syntheticQuestions.slice(0, 50);
    expectExact(reader, questions);
    const removed = new Set(synthetic.chunks.filter((_, i) => i % 7 === 0 && i < head.length).map((c) => c.id));
    for (const q of questions) for (const h of reader.search(q, 60)) expect(removed.has(h.chunkId)).toBe(false);
  });
});
