/**
 * The sentence ranker: candidates (src/rank/features.ts) scored by the learned model
 * (`weights/sentence.json`), best first. Shared by answers, `ask --explain` and training.
 */
import type { Embedder } from '../embed/types.js';
import type { SearchIndex } from '../store/types.js';
import { candidatesFor, SENTENCE_FEATURES, type Candidate, type CandidateSet } from './features.js';
import { LinearModel, WeightsFile } from './model.js';
import { CONFIDENCE_FEATURES, confidenceFeatures } from './confidence.js';
import sentenceWeights from './weights/sentence.json' with { type: 'json' };
import confidenceWeights from './weights/confidence.json' with { type: 'json' };

export interface RankedCandidate extends Candidate {
  /** Probability that this sentence answers the question (the model's calibrated output). */
  probability: number;
  /** The ranker's log-odds before sharing out: an absolute measure of how well the sentence matches. */
  logOdds: number;
}

let model: LinearModel | null = null;
let calibrator: LinearModel | null = null;

/** The committed sentence ranker (loaded once; `npm run train` rewrites the file). */
export function sentenceModel(): LinearModel {
  model ??= new LinearModel(WeightsFile.parse(sentenceWeights), SENTENCE_FEATURES);
  return model;
}

/** The committed confidence model, which holds the refusal threshold. */
export function confidenceModel(): LinearModel {
  calibrator ??= new LinearModel(WeightsFile.parse(confidenceWeights), CONFIDENCE_FEATURES);
  return calibrator;
}

/** Probability that the best of `ranked` answers the question (`many`: a "which …" question). */
export function confidenceOf(ranked: RankedCandidate[], many: boolean, m: LinearModel = confidenceModel()): number {
  return ranked.length ? m.probability(confidenceFeatures(ranked, many)) : 0;
}

/** Scores candidates with `m`, best first; ties go to the better-retrieved article, then reading order. */
export function scoreCandidates(set: CandidateSet, m: LinearModel): RankedCandidate[] {
  const z = set.candidates.map((c) => m.logOdds(c.features));
  const ps = m.probabilitiesOf(z);
  return set.candidates
    .map((c, i) => ({ ...c, probability: ps[i] as number, logOdds: z[i] as number }))
    .sort((a, b) => b.probability - a.probability || a.articleRank - b.articleRank || a.start - b.start);
}

/** Whether the ranker gives any dense feature weight (it was fitted with a model loaded). */
export function listensToDense(m: LinearModel): boolean {
  return m.file.features.some((f, i) => f.startsWith('dense_') && m.file.weights[i] !== 0);
}

export async function rankSentences(
  index: SearchIndex,
  embedder: Embedder | null,
  question: string,
  m: LinearModel = sentenceModel(),
): Promise<{ ranked: RankedCandidate[]; set: CandidateSet; model: LinearModel }> {
  // A ranker fitted without a model gives dense features no weight: candidates only the model found
  // could then only take probability from the others (and move the confidence), never win.
  const set = await candidatesFor(index, embedder, question, listensToDense(m) ? {} : { denseOnly: 0 });
  return { ranked: scoreCandidates(set, m), set, model: m };
}
