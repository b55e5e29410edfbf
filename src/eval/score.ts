/**
 * Scoring of answers against the eval set: citation hit@k, citation recall (multi), answer-contains,
 * refusal (ood), quote fidelity, latency. Pure: answers in, numbers out.
 */
import type { Answer, Article } from '../types.js';
import type { EvalQuestion } from './dataset.js';
import { containsAnswer, isExpectedArticle, matchesExpected, type LabeledQuestion } from './labeled.js';

export interface ScoredItem {
  id: string;
  type: EvalQuestion['type'];
  answered: boolean;
  hit1: boolean;
  hit3: boolean;
  /** Share of expected articles cited (all types with expected articles). */
  recall: number;
  contains: boolean;
  refused: boolean;
  quotes: number;
  faithfulQuotes: number;
  ms: number;
}

export function scoreItem(q: LabeledQuestion, answer: Answer, articles: ReadonlyMap<string, Article>, ms: number): ScoredItem {
  const cited = answer.citations.map((c) => articles.get(c.articleId)).filter((a): a is Article => a !== undefined);
  const isExpected = (a: Article): boolean => isExpectedArticle(q, a);
  const quoted = answer.quotes.map((x) => x.text).join('\n');
  let faithful = 0;
  for (const quote of answer.quotes) {
    const c = answer.citations.find((x) => x.n === quote.source);
    const a = c ? articles.get(c.articleId) : undefined;
    if (a && quote.text.length > 0 && a.text.includes(quote.text)) faithful++;
  }
  const found = q.expected.length
    ? q.expected.filter((e) => cited.some((a) => matchesExpected(a, e))).length
    : q.expectedFiles.filter((f) => cited.some((a) => a.file === f)).length;
  const nExpected = q.expected.length || q.expectedFiles.length;
  return {
    id: q.id,
    type: q.type,
    answered: answer.answered,
    hit1: cited.slice(0, 1).some(isExpected),
    hit3: cited.slice(0, 3).some(isExpected),
    recall: nExpected ? found / nExpected : 0,
    contains: containsAnswer(q, quoted),
    refused: !answer.answered && answer.quotes.length === 0 && answer.citations.length === 0,
    quotes: answer.quotes.length,
    faithfulQuotes: faithful,
    ms,
  };
}

export interface Summary {
  n: number;
  hit1: number | null;
  hit3: number | null;
  recall: number | null;
  contains: number | null;
  refusal: number | null;
  fidelity: number | null;
  /** Answerable questions that got an answer (not refused). */
  answered: number | null;
  p50_ms: number;
  p95_ms: number;
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

export function summarize(items: ScoredItem[]): Summary {
  const answerable = items.filter((i) => i.type !== 'ood');
  const ood = items.filter((i) => i.type === 'ood');
  const multi = items.filter((i) => i.type === 'multi');
  const quotes = items.reduce((a, i) => a + i.quotes, 0);
  const faithful = items.reduce((a, i) => a + i.faithfulQuotes, 0);
  const ms = items.map((i) => i.ms);
  return {
    n: items.length,
    hit1: mean(answerable.map((i) => Number(i.hit1))),
    hit3: mean(answerable.map((i) => Number(i.hit3))),
    recall: mean(multi.map((i) => i.recall)),
    contains: mean(answerable.map((i) => Number(i.contains))),
    refusal: mean(ood.map((i) => Number(i.refused))),
    fidelity: quotes ? faithful / quotes : null,
    answered: mean(answerable.map((i) => Number(i.answered))),
    p50_ms: round(percentile(ms, 50)),
    p95_ms: round(percentile(ms, 95)),
  };
}

export interface Report {
  overall: Summary;
  /** Everything but `english` (the bar keyword-only mode is held to). */
  overallExclEnglish: Summary;
  byType: Record<string, Summary>;
  /** English questions refused honestly (keyword-only mode expectation). */
  englishRefused: number | null;
  items: ScoredItem[];
}

export function report(items: ScoredItem[]): Report {
  const types = [...new Set(items.map((i) => i.type))].sort();
  const english = items.filter((i) => i.type === 'english');
  return {
    overall: summarize(items),
    overallExclEnglish: summarize(items.filter((i) => i.type !== 'english')),
    byType: Object.fromEntries(types.map((t) => [t, summarize(items.filter((i) => i.type === t))])),
    englishRefused: mean(english.map((i) => Number(i.refused))),
    items,
  };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

const fmt = (x: number | null): string => (x === null ? '—' : x.toFixed(2));

/** Markdown table (README and terminal). */
export function formatReport(r: Report): string {
  const rows = [
    '| set | n | hit@1 | hit@3 | multi recall | answer-contains | answered | ood refusal | quote fidelity | p50 ms | p95 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const line = (name: string, s: Summary): string =>
    `| ${name} | ${s.n} | ${fmt(s.hit1)} | ${fmt(s.hit3)} | ${fmt(s.recall)} | ${fmt(s.contains)} | ${fmt(s.answered)} | ${fmt(s.refusal)} | ${fmt(s.fidelity)} | ${s.p50_ms} | ${s.p95_ms} |`;
  for (const [t, s] of Object.entries(r.byType)) rows.push(line(t, s));
  rows.push(line('**all but english**', r.overallExclEnglish));
  rows.push(line('**all**', r.overall));
  if (r.englishRefused !== null) rows.push('', `english questions refused: ${fmt(r.englishRefused)}`);
  return rows.join('\n');
}
