/**
 * A fitted linear model over named features: one function that scores, one that explains.
 * The weights are data (`src/rank/weights/*.json`, written by `npm run train`), never constants.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { sigmoid } from './logistic.js';

export const WeightsFile = z.object({
  /** What the model scores, e.g. `sentence` (answers) or `topic-article` (digests). */
  kind: z.string(),
  features: z.array(z.string()).min(1),
  /**
   * `sigmoid`: each item's probability on its own (a classifier). `softmax`: probabilities shared
   * out among the items scored together (a listwise ranker: they sum to 1 over a question's candidates).
   */
  output: z.enum(['sigmoid', 'softmax']).default('sigmoid'),
  weights: z.array(z.number()),
  bias: z.number(),
  /** Probability below which the product refuses (answers) or does not list (topics); absent for a pure ranker. */
  threshold: z.number().min(0).max(1).optional(),
  /** How the threshold was chosen, in words, e.g. "precision ≥ 0.90 on validation". */
  thresholdRule: z.string().optional(),
  training: z.object({
    dataHash: z.string(),
    sets: z.array(z.string()),
    rows: z.number(),
    questions: z.number(),
    l2: z.number(),
  }),
  metrics: z.record(z.string(), z.unknown()).default({}),
});
export type WeightsFile = z.infer<typeof WeightsFile>;

export interface Contribution {
  feature: string;
  value: number;
  weight: number;
  /** weight × value: this feature's push on the log-odds. */
  contribution: number;
}

export class LinearModel {
  readonly file: WeightsFile;

  constructor(file: WeightsFile, expected: readonly string[]) {
    const missing = expected.filter((f) => !file.features.includes(f));
    const extra = file.features.filter((f) => !expected.includes(f));
    if (missing.length || extra.length || file.features.length !== file.weights.length) {
      throw new Error(
        `weights file for "${file.kind}" does not match the code's features (missing: ${missing.join(', ') || '—'}; unknown: ${extra.join(', ') || '—'}); run npm run train`,
      );
    }
    this.file = file;
  }

  static load(path: string, expected: readonly string[]): LinearModel {
    return new LinearModel(WeightsFile.parse(JSON.parse(readFileSync(path, 'utf8'))), expected);
  }

  get threshold(): number {
    if (this.file.threshold === undefined) throw new Error(`weights for "${this.file.kind}" have no threshold`);
    return this.file.threshold;
  }

  logOdds(features: Readonly<Record<string, number>>): number {
    let z = this.file.bias;
    this.file.features.forEach((f, i) => {
      z += (this.file.weights[i] as number) * (features[f] ?? 0);
    });
    return z;
  }

  /** Probability that the candidate is right (calibrated on validation data by `npm run train`). */
  probability(features: Readonly<Record<string, number>>): number {
    return sigmoid(this.logOdds(features));
  }

  /** Probabilities of items scored together: softmax over them for a listwise ranker, else each on its own. */
  probabilities(items: readonly Readonly<Record<string, number>>[]): number[] {
    return this.probabilitiesOf(items.map((f) => this.logOdds(f)));
  }

  /** The same from log-odds already computed (callers that keep them need not compute them twice). */
  probabilitiesOf(z: readonly number[]): number[] {
    if (this.file.output === 'sigmoid') return z.map(sigmoid);
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  }

  /** Each feature's contribution to the log-odds, largest push first. */
  explain(features: Readonly<Record<string, number>>): Contribution[] {
    return this.file.features
      .map((f, i) => {
        const weight = this.file.weights[i] as number;
        const value = features[f] ?? 0;
        return { feature: f, value, weight, contribution: weight * value };
      })
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  }
}
