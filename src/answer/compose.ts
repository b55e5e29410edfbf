/**
 * Answer composition: from retrieved passages to 1-4 verbatim quotes, each tied to its citation.
 *
 * Every quote is `article.text.slice(start, end)` of a sentence span, so it is checkable word for word.
 * When the best sentence does not cover the question well enough the answer is refused, with no quote:
 * a wrong citation is worse than none.
 */
import type { Embedder } from '../embed/types.js';
import { retrieve } from '../search/retrieve.js';
import { termStatsOf } from '../search/stats.js';
import type { SearchIndex } from '../store/types.js';
import { splitSentences } from '../text/sentences.js';
import { tokenize } from '../text/tokenize.js';
import type { Answer, Article, Citation, Quote } from '../types.js';
import { analyzeQuestion, type QuestionAnalysis } from './question.js';
import { scoreSentence, weighTerms, type TermWeights } from './score.js';

export interface AnswerOptions {
  /** Minimum sentence score to answer at all (calibrated on the dev set; see README). */
  threshold?: number;
  maxQuotes?: number;
  /** Passages retrieved before sentence selection. */
  passages?: number;
}

export const DEFAULT_THRESHOLD = 0.5;

export interface ScoredSentence {
  article: Article;
  start: number;
  end: number;
  score: number;
  /** First sentence of the article (the lead names who did what). */
  lead: boolean;
  /** Fused retrieval score of the passage it came from. */
  prior: number;
}

const tokenCache = new Map<string, ReadonlySet<string>>();
/** Token sets are memoized: the same headlines and passages come back query after query. */
function tokenSet(text: string): ReadonlySet<string> {
  let s = tokenCache.get(text);
  if (!s) {
    if (tokenCache.size > 20_000) tokenCache.clear();
    s = new Set(tokenize(text));
    tokenCache.set(text, s);
  }
  return s;
}

/** The byline prefix (`本报讯（记者 X）`) is not part of what a sentence says. */
const BYLINE_PREFIX = /^本报讯\s*[（(][^）)]*[）)]\s*/u;

function trimSpan(text: string, start: number, end: number): { start: number; end: number } {
  const m = BYLINE_PREFIX.exec(text.slice(start, end));
  return m ? { start: start + m[0].length, end } : { start, end };
}

function headlineOf(a: Article): string {
  return a.kicker ? `${a.kicker} ${a.title}` : a.title;
}

function refusal(question: string, mode: Answer['mode'], why: NonNullable<Answer['refusal']>): Answer {
  return { question, answered: false, mode, quotes: [], citations: [], refusal: why };
}

/** True when some indexed article literally mentions `name`. */
function corpusMentions(index: SearchIndex, name: string): boolean {
  for (const hit of index.keywordSearch(name, 5)) {
    const chunk = index.chunks.get(hit.chunkId);
    if (!chunk) continue;
    const article = index.articles.get(chunk.articleId);
    if (chunk.text.includes(name) || (article && headlineOf(article).includes(name))) return true;
  }
  return false;
}

/** Scores every sentence of the retrieved passages (plus article leads for "which …" questions). */
export function scoreCandidates(
  index: SearchIndex,
  q: QuestionAnalysis,
  w: TermWeights,
  passages: { chunk: { articleId: string; start: number; end: number; text: string; ordinal: number }; article: Article; score: number }[],
): ScoredSentence[] {
  const seen = new Set<string>();
  const out: ScoredSentence[] = [];
  const consider = (article: Article, chunkText: string, chunkStart: number, prior: number, leadChunk: boolean): void => {
    const headline = tokenSet(headlineOf(article));
    const passage = tokenSet(chunkText);
    const spans = splitSentences(chunkText);
    spans.forEach((span, i) => {
      const start = chunkStart + span.start;
      const end = chunkStart + span.end;
      const key = `${article.id}:${start}`;
      if (seen.has(key)) return;
      seen.add(key);
      const text = article.text.slice(start, end);
      const lead = leadChunk && i === 0;
      let score = scoreSentence(q, w, { sentence: tokenSet(text), headline, passage, text });
      // "Which unions …?" is answered by who did what: the lead sentence names the actor.
      if (q.wantsMany && lead) score *= 1.15;
      out.push({ article, start, end, score, lead, prior });
    });
  };
  for (const p of passages) {
    consider(p.article, p.chunk.text, p.chunk.start, p.score, p.chunk.ordinal === 0);
    if (q.wantsMany && p.chunk.ordinal !== 0) {
      const first = index.chunksOf(p.article.id)[0];
      if (first) consider(p.article, first.text, first.start, p.score, true);
    }
  }
  // Ties (common for short questions) go to the better-retrieved passage.
  return out.sort((a, b) => b.score - a.score || b.prior - a.prior || a.start - b.start);
}

/** Picks quotes: one article for a plain question, every answering article (≤4) for "which …". */
export function selectQuotes(q: QuestionAnalysis, ranked: ScoredSentence[], threshold: number, maxQuotes: number): ScoredSentence[] {
  const best = ranked[0];
  if (!best || best.score < threshold) return [];
  const bestPerArticle = new Map<string, ScoredSentence>();
  for (const s of ranked) if (!bestPerArticle.has(s.article.id)) bestPerArticle.set(s.article.id, s);

  if (q.wantsMany) {
    const floor = Math.max(threshold, 0.75 * best.score);
    return [...bestPerArticle.values()].filter((s) => s.score >= floor).slice(0, maxQuotes);
  }
  const picked = [best];
  // A second sentence from the same article when it is nearly as good (answers often span two).
  const second = ranked.find((s) => s !== best && s.article.id === best.article.id && s.score >= 0.85 * best.score);
  if (second) picked.push(second);
  // A near-tie from another article: cite it too rather than guess.
  const rival = [...bestPerArticle.values()].find((s) => s.article.id !== best.article.id && s.score >= 0.97 * best.score);
  if (rival && picked.length < maxQuotes) picked.push(rival);
  return picked.slice(0, maxQuotes);
}

export async function answerQuestion(
  index: SearchIndex,
  embedder: Embedder | null,
  question: string,
  opts: AnswerOptions = {},
): Promise<Answer> {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const maxQuotes = opts.maxQuotes ?? 4;
  const q = analyzeQuestion(question);
  const keywordOnly = index.mode !== 'hybrid' || embedder === null;
  const mode = keywordOnly ? 'keyword' : 'hybrid';
  if (q.terms.length === 0) return refusal(question, mode, 'empty');
  // Keyword-only cannot bridge English questions to Chinese reports; say so instead of guessing.
  if (keywordOnly && q.lang === 'en') return refusal(question, mode, 'needs-model');
  // A place the reports never mention (`石景山区…`) means the reports cannot answer.
  if (q.places.some((p) => !corpusMentions(index, p))) return refusal(question, mode, 'no-match');

  const retrieval = await retrieve(index, embedder, question, { k: opts.passages ?? 12, perArticle: 3 });
  if (retrieval.passages.length === 0) return refusal(question, mode, 'no-match');
  const w = weighTerms(q, termStatsOf(index));
  const ranked = scoreCandidates(index, q, w, retrieval.passages);
  const picked = selectQuotes(q, ranked, threshold, maxQuotes);
  if (picked.length === 0) return refusal(question, mode, 'weak-evidence');

  const citations: Citation[] = [];
  const quotes: Quote[] = [];
  const numberOf = new Map<string, number>();
  for (const s of picked) {
    let n = numberOf.get(s.article.id);
    if (n === undefined) {
      n = citations.length + 1;
      numberOf.set(s.article.id, n);
      const a = s.article;
      citations.push({ n, articleId: a.id, file: a.file, title: a.title, kicker: a.kicker, byline: a.byline, kind: a.kind, score: round(s.score) });
    }
    const span = trimSpan(s.article.text, s.start, s.end);
    quotes.push({ text: s.article.text.slice(span.start, span.end), source: n, articleId: s.article.id, start: span.start, end: span.end });
  }
  // Quotes of the same source read in article order.
  quotes.sort((a, b) => a.source - b.source || a.start - b.start);
  return { question, answered: true, mode, quotes, citations };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
