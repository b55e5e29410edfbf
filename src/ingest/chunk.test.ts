import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../text/sentences.js';
import type { Article, Chunk } from '../types.js';
import { CHUNKER_VERSION, chunkArticle, chunkArticles } from './chunk.js';
import { parsePage } from './parse.js';
import { estimateTokens } from './tokens.js';

const SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));
const articles: Article[] = readdirSync(SEEDS)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .flatMap((f) => parsePage(f, readFileSync(path.join(SEEDS, f), 'utf8')).articles);

/** Checks every invariant of one article's chunks. */
function checkArticle(article: Article, chunks: Chunk[], maxTokens: number, count: (t: string) => number): void {
  const sentences = splitSentences(article.text);
  const starts = new Set(sentences.map((s) => s.start));
  const ends = new Set(sentences.map((s) => s.end));
  expect(chunks.length).toBeGreaterThan(0);
  chunks.forEach((c, i) => {
    expect(c.articleId).toBe(article.id);
    expect(c.ordinal).toBe(i);
    expect(c.text).toBe(article.text.slice(c.start, c.end));
    expect(c.tokens).toBe(count(c.text));
    expect(c.tokens, `${article.title} #${i}`).toBeLessThanOrEqual(maxTokens);
    expect(c.text).toBe(c.text.trim());
    if (i > 0) {
      const prev = chunks[i - 1] as Chunk;
      expect(c.id).toBe(prev.id + 1);
      expect(c.start).toBeGreaterThan(prev.start);
      expect(c.end).toBeGreaterThan(prev.end);
      // Coverage: no gap between consecutive chunks.
      expect(c.start).toBeLessThanOrEqual(prev.end + 1);
    }
  });
  expect((chunks[0] as Chunk).start).toBe((sentences[0] as { start: number }).start);
  expect((chunks.at(-1) as Chunk).end).toBe((sentences.at(-1) as { end: number }).end);
  // Chunk edges fall on sentence edges, except inside a sentence that alone is over the limit.
  const overLong = sentences.filter((s) => count(article.text.slice(s.start, s.end)) > maxTokens);
  const inLong = (pos: number): boolean => overLong.some((s) => s.start < pos && pos < s.end);
  for (const c of chunks) {
    expect(starts.has(c.start) || inLong(c.start), `start ${c.start}`).toBe(true);
    expect(ends.has(c.end) || inLong(c.end), `end ${c.end}`).toBe(true);
  }
}

describe('chunkArticle over all 31 seed articles', () => {
  for (const maxTokens of [64, 512]) {
    it(`keeps every invariant with maxTokens=${maxTokens}`, () => {
      let firstId = 1000;
      for (const a of articles) {
        const chunks = chunkArticle(a, { countTokens: estimateTokens, maxTokens, firstId });
        expect(chunks[0]?.id).toBe(firstId);
        checkArticle(a, chunks, maxTokens, estimateTokens);
        firstId += chunks.length;
      }
    });
  }

  it('with the defaults, chunks are about 200 tokens and share exactly one sentence', () => {
    let overlaps = 0;
    for (const a of articles) {
      const sentences = splitSentences(a.text);
      const chunks = chunkArticle(a, { countTokens: estimateTokens, maxTokens: 512, firstId: 0 });
      chunks.forEach((c, i) => {
        expect(c.tokens).toBeLessThanOrEqual(512);
        // Every chunk starts and ends on a sentence boundary (no sentence here exceeds 512).
        expect(sentences.some((s) => s.start === c.start)).toBe(true);
        expect(sentences.some((s) => s.end === c.end)).toBe(true);
        if (i === 0) return;
        const prev = chunks[i - 1] as Chunk;
        const shared = sentences.filter((s) => s.start >= c.start && s.end <= prev.end);
        const prevUnits = sentences.filter((s) => s.start >= prev.start && s.end <= prev.end);
        if (prevUnits.length === 1) {
          // A single-sentence chunk is not repeated (the next chunk would contain it whole).
          expect(shared, `${a.title} #${i}`).toHaveLength(0);
        } else {
          expect(shared, `${a.title} #${i}`).toHaveLength(1);
          expect(shared[0]?.end).toBe(prev.end);
          overlaps++;
        }
        // Not over the target unless one new sentence (plus the overlap) forced it.
        const newOnes = sentences.filter((s) => s.start >= prev.end && s.end <= c.end);
        if (c.tokens > 200) expect(newOnes).toHaveLength(1);
      });
      if (estimateTokens(a.text) > 260) expect(chunks.length).toBeGreaterThan(1);
    }
    expect(overlaps).toBeGreaterThan(10);
  });

  it('with maxTokens=64 consecutive chunks overlap by one whole sentence whenever it fits', () => {
    let overlapped = 0;
    for (const a of articles) {
      const sentences = splitSentences(a.text);
      const chunks = chunkArticle(a, { countTokens: estimateTokens, maxTokens: 64, firstId: 0 });
      for (let i = 1; i < chunks.length; i++) {
        const prev = chunks[i - 1] as Chunk;
        const c = chunks[i] as Chunk;
        if (c.start < prev.end) {
          overlapped++;
          // The overlap is exactly the tail of prev: one sentence, or one piece of an over-long one.
          expect(a.text.slice(c.start, prev.end)).toBe(a.text.slice(c.start, prev.end).trim());
          const whole = sentences.find((s) => s.start === c.start && s.end === prev.end);
          const piece = sentences.find((s) => s.start <= c.start && prev.end <= s.end);
          expect(whole ?? piece, `${a.title} #${i}`).toBeDefined();
          continue;
        }
        // No overlap: prev was one unit, or its last sentence plus this chunk's first would exceed 64.
        const last = sentences.filter((s) => s.end <= prev.end && s.start >= prev.start).at(-1);
        const single = last === undefined || last.start === prev.start;
        const first = sentences.find((s) => s.start >= c.start);
        const tooBig = last && first ? estimateTokens(a.text.slice(last.start, first.end)) > 64 : true;
        expect(single || tooBig, `${a.title} #${i}`).toBe(true);
        expect(c.start).toBeGreaterThanOrEqual(prev.end);
      }
    }
    expect(overlapped).toBeGreaterThan(5);
  });

  it('no article is lost: every sentence lies inside some chunk', () => {
    for (const a of articles) {
      const chunks = chunkArticle(a, { countTokens: estimateTokens, maxTokens: 64, firstId: 0 });
      for (const s of splitSentences(a.text)) {
        const inside = chunks.some((c) => c.start <= s.start && s.end <= c.end);
        const pieces = chunks.filter((c) => c.end > s.start && c.start < s.end);
        expect(inside || pieces.length > 1, a.text.slice(s.start, s.end)).toBe(true);
      }
    }
  });
});

describe('chunkArticle edge cases', () => {
  const article = (text: string): Article => ({
    id: 'x-1',
    file: 'x.txt',
    position: 0,
    kicker: null,
    title: 't',
    byline: null,
    reporters: [],
    correspondents: [],
    photographers: [],
    kind: 'report',
    paragraphs: text.split('\n'),
    text,
    hash: '',
  });
  const chars = (t: string): number => [...t].length; // 1 token per char, no specials

  it('splits an over-long sentence at commas, then by characters, never over maxTokens', () => {
    const text = `${'甲'.repeat(30)}，${'乙'.repeat(5)}、${'丙'.repeat(5)}。短句。`;
    const chunks = chunkArticle(article(text), { countTokens: chars, maxTokens: 12, firstId: 7 });
    for (const c of chunks) {
      expect(c.tokens).toBeLessThanOrEqual(12);
      expect(c.text).toBe(text.slice(c.start, c.end));
    }
    expect(chunks.map((c) => c.id)).toEqual(chunks.map((_, i) => 7 + i));
    expect(chunks.some((c) => c.text.endsWith('，'))).toBe(true);
    expect(chunks.at(-1)?.text.endsWith('短句。')).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const text = '𠀀'.repeat(40) + '。';
    const chunks = chunkArticle(article(text), { countTokens: chars, maxTokens: 7, firstId: 0 });
    for (const c of chunks) {
      expect(c.tokens).toBeLessThanOrEqual(7);
      expect(c.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/u);
    }
  });

  it('returns no chunk for an empty article and rejects a limit that holds no character', () => {
    expect(chunkArticle(article(''), { countTokens: chars, maxTokens: 10, firstId: 0 })).toEqual([]);
    expect(() => chunkArticle(article('好长的一句话。'), { countTokens: (t) => t.length + 10, maxTokens: 5, firstId: 0 })).toThrow(
      RangeError,
    );
  });

  it('overlapSentences: 0 gives disjoint chunks', () => {
    const text = '第一句话。第二句话。第三句话。第四句话。';
    const chunks = chunkArticle(article(text), { countTokens: chars, maxTokens: 10, overlapSentences: 0, firstId: 0 });
    expect(chunks.map((c) => c.text)).toEqual(['第一句话。第二句话。', '第三句话。第四句话。']);
    const overlapped = chunkArticle(article(text), { countTokens: chars, maxTokens: 10, firstId: 0 });
    expect(overlapped.map((c) => c.text)).toEqual(['第一句话。第二句话。', '第二句话。第三句话。', '第三句话。第四句话。']);
  });

  it('chunkArticles numbers ids across articles and CHUNKER_VERSION is a number', () => {
    const chunks = chunkArticles(articles.slice(0, 3), { countTokens: estimateTokens, maxTokens: 128, firstId: 1 });
    expect(chunks.map((c) => c.id)).toEqual(chunks.map((_, i) => i + 1));
    expect(new Set(chunks.map((c) => c.articleId)).size).toBe(3);
    expect(typeof CHUNKER_VERSION).toBe('number');
  });
});
