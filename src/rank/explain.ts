/**
 * Why a sentence won or why an answer was refused: the candidates with each feature's push on the
 * ranker's log-odds, and the confidence model's reading of the list against its threshold.
 */
import type { Embedder } from '../embed/types.js';
import type { SearchIndex } from '../store/types.js';
import { headlineOf } from '../types.js';
import { confidenceFeatures } from './confidence.js';
import type { Contribution } from './model.js';
import { confidenceModel, rankSentences } from './sentences.js';
import { extensionDecisions, extensionModel } from './extend.js';

export interface Explanation {
  question: string;
  confidence: number;
  threshold: number;
  answered: boolean;
  /** The confidence model's inputs and their pushes. */
  confidenceContributions: Contribution[];
  /** Whether the best sentence's quote takes in the sentence before or after it (src/rank/extend.ts). */
  extension: { toward: 'previous' | 'next'; sentence: string; probability: number; threshold: number; extend: boolean; contributions: Contribution[] }[];
  candidates: {
    rank: number;
    probability: number;
    article: string;
    file: string;
    sentence: string;
    logOdds: number;
    contributions: Contribution[];
  }[];
}

export async function explainQuestion(index: SearchIndex, embedder: Embedder | null, question: string, top = 5): Promise<Explanation> {
  const { ranked, set, model } = await rankSentences(index, embedder, question);
  const cal = confidenceModel();
  const cf = confidenceFeatures(ranked, set.question.analysis.wantsMany);
  const confidence = ranked.length ? cal.probability(cf) : 0;
  const ext = extensionModel();
  const best = ranked[0];
  return {
    question,
    confidence,
    threshold: cal.threshold,
    answered: ranked.length > 0 && confidence >= cal.threshold,
    confidenceContributions: cal.explain(cf),
    extension: best
      ? extensionDecisions(best, ranked, ext).map((d) => ({
          toward: d.previous ? ('previous' as const) : ('next' as const),
          sentence: d.neighbor.article.text.slice(d.neighbor.start, d.neighbor.end),
          probability: d.probability,
          threshold: ext.threshold,
          extend: d.extend,
          contributions: ext.explain(d.features),
        }))
      : [],
    candidates: ranked.slice(0, top).map((c, i) => ({
      rank: i + 1,
      probability: c.probability,
      article: headlineOf(c.article),
      file: c.article.file,
      sentence: c.article.text.slice(c.start, c.end),
      logOdds: model.logOdds(c.features),
      contributions: model.explain(c.features),
    })),
  };
}

const f3 = (x: number): string => (x >= 0 ? ' ' : '') + x.toFixed(3);

/** Plain text for a terminal. */
export function explanationToText(e: Explanation, perCandidate = 8): string {
  const lines = [
    `${e.question}`,
    `confidence ${e.confidence.toFixed(3)} ${e.answered ? '≥' : '<'} threshold ${e.threshold} → ${e.answered ? 'answered' : 'refused'}`,
    '  confidence model (value × weight = push on log-odds):',
    ...e.confidenceContributions.map((c) => `    ${c.feature.padEnd(26)} ${f3(c.value)} × ${f3(c.weight)} = ${f3(c.contribution)}`),
    '',
  ];
  for (const x of e.extension) {
    lines.push(`quote extension toward the ${x.toward} sentence: p=${x.probability.toFixed(3)} ${x.extend ? '≥' : '<'} ${x.threshold} → ${x.extend ? 'taken in' : 'not taken in'} 「${x.sentence.slice(0, 60)}${x.sentence.length > 60 ? '…' : ''}」`);
    for (const c of x.contributions.slice(0, 4)) lines.push(`    ${c.feature.padEnd(26)} ${f3(c.value)} × ${f3(c.weight)} = ${f3(c.contribution)}`);
  }
  if (e.extension.length) lines.push('');
  for (const c of e.candidates) {
    lines.push(`#${c.rank} p=${c.probability.toFixed(3)} log-odds ${c.logOdds.toFixed(2)} · ${c.article.slice(0, 30)} (${c.file})`);
    lines.push(`   「${c.sentence.slice(0, 120)}${c.sentence.length > 120 ? '…' : ''}」`);
    for (const x of c.contributions.slice(0, perCandidate)) lines.push(`    ${x.feature.padEnd(26)} ${f3(x.value)} × ${f3(x.weight)} = ${f3(x.contribution)}`);
  }
  return lines.join('\n');
}
