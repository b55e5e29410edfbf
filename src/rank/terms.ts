/**
 * Question terms: the units a question is matched by, and their weights.
 *
 * The question is cut into units — dictionary words, with runs of single characters merged
 * (`海|淀|区` → `海淀`) — and each unit is weighted by its IDF in the index. A unit matches a
 * sentence when the sentence *contains* it (substring on normalized text): Chinese has no spaces,
 * and segmenting question and article separately disagrees too often for token-set matching.
 *
 * coverage = Σ w(u)·m(u) / Σ w(u), m = 1 in the sentence, 0.5 only in the headline, 0.3 only in the
 * surrounding passage. Units the corpus never uses count at half weight: they are either paraphrase
 * or a sign the reports are about something else. These coverages are features of the learned
 * ranker (src/rank/features.ts), not a score of their own.
 */
import type { TermStats } from '../search/stats.js';
import { idfOf } from '../search/stats.js';
import { normalizeForMatch } from '../text/normalize.js';
import { STOPWORDS } from '../text/tokenize.js';
import type { QuestionAnalysis } from './question.js';

export interface QueryUnit {
  text: string;
  weight: number;
  /** Documents (chunks) that can contain it (an upper bound for units longer than a bigram). */
  df: number;
}

export interface TermWeights {
  units: QueryUnit[];
  total: number;
}

/** Normalized texts a sentence is matched in. */
export interface SentenceContext {
  sentence: string;
  headline: string;
  passage: string;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN_ONLY = /^\p{Script=Han}+$/u;
/** Question scaffolding that is not a stopword in articles but carries nothing in a question. */
const QUESTION_WORDS = new Set(['最近', '近来', '目前', '现在', '请问', '一下', '知道', '告诉', '介绍', '有关', '关于', '哪位', '哪家', '叫什么', '什么样', '怎么样', '多少家', '多少件', '多少位', '多少个', '几年', '几个', '几家']);

/** Units of a question: words, single-character runs merged, Latin words and numbers. */
export function questionUnits(text: string): string[] {
  const out: string[] = [];
  let run = '';
  const flush = (): void => {
    if (run) out.push(run);
    run = '';
  };
  for (const seg of segmenter.segment(normalizeForMatch(text))) {
    const w = seg.segment;
    if (!seg.isWordLike || STOPWORDS.has(w) || QUESTION_WORDS.has(w)) {
      flush();
      continue;
    }
    if (HAN_ONLY.test(w) && w.length === 1) {
      run += w;
      continue;
    }
    flush();
    out.push(w);
  }
  flush();
  return [...new Set(out)];
}

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 2 <= s.length; i++) out.push(s.slice(i, i + 2));
  return out;
}

/**
 * A lone character next to a word joins it when the corpus knows the joint bigram:
 * `女|职工` → `女职工`, `通州|区` → `通州区`. Otherwise it stays a (weak) unit of its own.
 */
function attachSingles(units: string[], stats: TermStats): string[] {
  const out = [...units];
  for (let i = 0; i < out.length; i++) {
    const u = out[i] as string;
    if (u.length !== 1 || !HAN_ONLY.test(u)) continue;
    const next = out[i + 1];
    const prev = out[i - 1];
    if (next && HAN_ONLY.test(next) && stats.df(u + next[0]) > 0) {
      out.splice(i, 2, u + next);
      i--;
    } else if (prev && HAN_ONLY.test(prev) && stats.df(prev[prev.length - 1] + u) > 0) {
      out.splice(i - 1, 2, prev + u);
      i -= 2;
    }
  }
  return out;
}

function unitDf(stats: TermStats, unit: string): number {
  if (!HAN_ONLY.test(unit) || unit.length <= 2) return stats.df(unit);
  // Longer Han units are indexed as bigrams: the rarest bigram bounds how many chunks can hold the unit.
  let min = Infinity;
  for (let i = 0; i + 2 <= unit.length; i++) min = Math.min(min, stats.df(unit.slice(i, i + 2)));
  return min;
}

/** Runs of `unit`'s characters that none of `known` (bigrams of it) covers. */
function uncovered(unit: string, known: string[]): string[] {
  const covered = new Array<boolean>(unit.length).fill(false);
  for (let i = 0; i + 2 <= unit.length; i++) if (known.includes(unit.slice(i, i + 2))) covered[i] = covered[i + 1] = true;
  return unit.split('').map((c, i) => (covered[i] ? ' ' : c)).join('').split(' ').filter(Boolean);
}

export function weighTerms(q: QuestionAnalysis, stats: TermStats): TermWeights {
  // A word the corpus never uses: half the IDF of a word in no document (it cannot tell sentences apart, yet it was asked).
  const unseen = 0.5 * idfOf(stats.docCount, 0);
  const texts: string[] = [];
  for (const u of attachSingles(questionUnits(q.text), stats)) {
    // An unseen run like `去植树` (segmenter split `去|植|树`) still holds a known bigram (`植树`).
    // What no known bigram covers stays a unit of its own (`门头沟区总` → `区总` + unseen `门头沟`):
    // a name the corpus never uses is a sign the reports are about something else.
    if (u.length >= 3 && HAN_ONLY.test(u) && unitDf(stats, u) === 0) {
      const known = bigrams(u).filter((b) => stats.df(b) > 0);
      if (known.length > 0) {
        texts.push(...known.filter((b) => !texts.includes(b)));
        for (const rest of uncovered(u, known)) if (rest.length >= 2 && !texts.includes(rest)) texts.push(rest);
        continue;
      }
    }
    if (!texts.includes(u)) texts.push(u);
  }
  const units = texts.map((text) => {
    const df = unitDf(stats, text);
    let weight = df === 0 ? unseen : idfOf(stats.docCount, df);
    // A lone character (`树`, `讲`) says little on its own.
    if (HAN_ONLY.test(text) && text.length === 1) weight *= 0.3;
    return { text, weight, df };
  });
  return { units, total: units.reduce((a, u) => a + u.weight, 0) };
}

/** 1 when `text` contains the unit; for a long unit, partial credit for the bigrams it contains (`要注意` ~ `注意事项`). */
export function matchIn(text: string, unit: string): number {
  if (text.includes(unit)) return 1;
  if (unit.length < 3 || !HAN_ONLY.test(unit)) return 0;
  const bs = bigrams(unit);
  const found = bs.filter((b) => text.includes(b)).length;
  return (0.6 * found) / bs.length;
}

/** Coverage of the units found anywhere in `texts` (e.g. an article's body and headline), each unit at its best match. */
export function coverageAnywhere(w: TermWeights, ...texts: string[]): number {
  if (w.total === 0) return 0;
  let got = 0;
  for (const u of w.units) got += Math.max(0, ...texts.map((t) => matchIn(t, u.text))) * u.weight;
  return got / w.total;
}

export function coverage(w: TermWeights, ctx: SentenceContext): number {
  if (w.total === 0) return 0;
  let got = 0;
  for (const u of w.units) {
    const m = Math.max(matchIn(ctx.sentence, u.text), 0.5 * matchIn(ctx.headline, u.text), 0.3 * matchIn(ctx.passage, u.text));
    got += m * u.weight;
  }
  return got / w.total;
}

