/**
 * Fitting the quote extension (src/rank/extend.ts): one example per direction for each answerable
 * training question whose best-ranked sentence is in an article that answers it — the neighbour
 * before and the one after, when they share its paragraph and the pair fits one quote.
 */
import { answerable, type LabeledQuestion } from '../eval/labeled.js';
import { asksType, EXTENSION_FEATURES, pairFeatures, type PairSide, type SentenceShape } from './extend.js';
import { fitLogistic } from './logistic.js';
import { LinearModel, type WeightsFile } from './model.js';
import type { SentenceFeature } from './features.js';

/** A ranked training question as src/rank/train.ts holds it (rows in the ranker's order). */
export interface RankedForExtension {
  r: {
    question: LabeledQuestion;
    sentenceIndex: number[];
    shapes: SentenceShape[];
    extendNext: number[];
    extendPrevious: number[];
  };
  order: { p: number; article: string; articleRight: boolean; features: Record<SentenceFeature, number>; row: number }[];
  weight: number;
}

export interface ExtensionExample {
  features: number[];
  label: number;
  weight: number;
}

export function extensionExamples(ranked: RankedForExtension[]): ExtensionExample[] {
  const out: ExtensionExample[] = [];
  for (const { r, order, weight } of ranked) {
    const top = order[0];
    if (!top || !answerable(r.question) || !top.articleRight) continue;
    const si = r.sentenceIndex[top.row] as number;
    const side = (o: (typeof order)[number]): PairSide => ({ features: o.features, probability: o.p, shape: r.shapes[o.row] as SentenceShape });
    for (const previous of [false, true]) {
      const n = order.find((o) => o.article === top.article && r.sentenceIndex[o.row] === si + (previous ? -1 : 1));
      if (!n) continue;
      const f = pairFeatures(side(top), side(n), previous, asksType(top.features));
      if (!f) continue;
      out.push({ features: EXTENSION_FEATURES.map((k) => f[k]), label: (previous ? r.extendPrevious : r.extendNext)[top.row] as number, weight });
    }
  }
  return out;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

const probabilityOf = (m: LinearModel, x: ExtensionExample): number => m.probability(Object.fromEntries(EXTENSION_FEATURES.map((k, i) => [k, x.features[i] as number])));

/** At threshold t: extensions made, right ones, and the right ones missed, as shares of the examples' weight. */
function pointAt(m: LinearModel, xs: ExtensionExample[], t: number): { threshold: number; extended: number; precision: number; recall: number } {
  let made = 0;
  let right = 0;
  let positives = 0;
  let total = 0;
  for (const x of xs) {
    const p = probabilityOf(m, x);
    total += x.weight;
    positives += x.label * x.weight;
    if (p >= t) {
      made += x.weight;
      right += x.label * x.weight;
    }
  }
  return { threshold: t, extended: r3(made / Math.max(1e-9, total)), precision: r3(made ? right / made : 1), recall: r3(positives ? right / positives : 1) };
}

/**
 * Logistic regression on the training examples; the threshold maximises, over them, the answers
 * the extension completes minus `cost` for every sentence it adds (what one more quote costs a
 * reader, the quote ratio's own rule).
 */
export function fitExtension(
  train: ExtensionExample[],
  validation: ExtensionExample[],
  meta: { dataHash: string; sets: string[]; l2: number; cost: number },
): WeightsFile {
  const fit = fitLogistic(
    train.map((x) => x.features),
    train.map((x) => x.label),
    { l2: meta.l2, rowWeights: train.map((x) => x.weight) },
  );
  const file: WeightsFile = {
    kind: 'quote-extension',
    features: [...EXTENSION_FEATURES],
    output: 'sigmoid',
    weights: fit.weights.map(r6),
    bias: r6(fit.bias),
    threshold: 0.5,
    thresholdRule: `the probability above which taking in the neighbour completes more answers than ${meta.cost} per sentence added costs, on the training questions`,
    training: { dataHash: meta.dataHash, sets: meta.sets, rows: train.length, questions: train.length, l2: meta.l2 },
    metrics: {},
  };
  const m = new LinearModel(file, EXTENSION_FEATURES);
  // Never extending is worth 0: a threshold is kept only if extending above it pays.
  let best = { t: 1, value: 0 };
  for (let k = 5; k <= 95; k++) {
    const t = k / 100;
    let value = 0;
    for (const x of train) {
      if (probabilityOf(m, x) >= t) value += x.weight * (x.label - meta.cost);
    }
    if (value > best.value + 1e-12) best = { t, value };
  }
  file.threshold = best.t;
  file.metrics = {
    iterations: fit.iterations,
    positivesTrain: r3(train.reduce((a, x) => a + x.label * x.weight, 0) / Math.max(1e-9, train.reduce((a, x) => a + x.weight, 0))),
    train: pointAt(m, train, best.t),
    validation: pointAt(m, validation, best.t),
  };
  return file;
}
