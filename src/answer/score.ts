/**
 * Sentence scoring: how well one sentence, read in its article, answers the question.
 *
 * coverage = Σ w(t)·m(t) / Σ w(t) over the question's terms t, with w = IDF (terms the corpus never
 * uses count half: they are either paraphrase or a sign the reports are about something else) and
 * m = 1 when the sentence has the term, 0.5 when only the headline has it, 0.3 when only the
 * surrounding passage has it. Then the question's type adjusts: a "how many" question is not answered
 * by a sentence without a number.
 */
import type { TermStats } from '../search/stats.js';
import { idf } from '../search/stats.js';
import type { QuestionAnalysis } from './question.js';

export interface SentenceContext {
  /** Tokens of the sentence itself. */
  sentence: ReadonlySet<string>;
  /** Tokens of the article's kicker + title. */
  headline: ReadonlySet<string>;
  /** Tokens of the passage around the sentence. */
  passage: ReadonlySet<string>;
  /** Sentence text (for number / place / name cues). */
  text: string;
}

export interface TermWeights {
  terms: string[];
  weights: number[];
  total: number;
}

export function weighTerms(q: QuestionAnalysis, stats: TermStats): TermWeights {
  const unseen = 0.5 * Math.log(1 + (stats.docCount + 0.5) / 0.5);
  const weights = q.terms.map((t) => (stats.df(t) === 0 ? unseen : idf(stats, t)));
  return { terms: q.terms, weights, total: weights.reduce((a, b) => a + b, 0) };
}

const HAS_NUMBER = /[0-9０-９]|[一二三四五六七八九十两百千万亿][个家位件年次场名人天项处所条万千百余多]|[零一二三四五六七八九十百千万]+[年月日号]/u;
const HAS_PLACE = /山|园|馆|基地|公园|中心|镇|村|街道|大厦|医院|现场|站|社区|项目|工地|学校|广场/u;
const HAS_PERSON_ROLE = /理事长|主席|书记|劳模|劳动模范|负责人|院长|经理|队长|班长|总监|专家|老师|传承人|带头人/u;

export function coverage(w: TermWeights, ctx: SentenceContext): number {
  if (w.total === 0) return 0;
  let got = 0;
  w.terms.forEach((t, i) => {
    const weight = w.weights[i] as number;
    if (ctx.sentence.has(t)) got += weight;
    else if (ctx.headline.has(t)) got += 0.5 * weight;
    else if (ctx.passage.has(t)) got += 0.3 * weight;
  });
  return got / w.total;
}

/** Multiplier for what the question asks for; 1 when it asks nothing specific. */
export function typeFactor(q: QuestionAnalysis, text: string): number {
  let f = 1;
  if (q.wantsNumber) f *= HAS_NUMBER.test(text) ? 1.1 : 0.55;
  if (q.wantsPlace && HAS_PLACE.test(text)) f *= 1.1;
  if (q.wantsPerson && HAS_PERSON_ROLE.test(text)) f *= 1.1;
  return f;
}

export function scoreSentence(q: QuestionAnalysis, w: TermWeights, ctx: SentenceContext): number {
  return coverage(w, ctx) * typeFactor(q, ctx.text);
}
