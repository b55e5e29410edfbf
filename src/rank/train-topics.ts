/**
 * Fitting the digest topic model: (topic, candidate article) rows from the topic files over the
 * seed pages, labelled by the articles each topic expects; a validation split of whole topics;
 * the listing threshold chosen on the training topics (best mean F1), reported on validation.
 */
import { createHash } from 'node:crypto';
import type { Embedder } from '../embed/types.js';
import { matchesExpected } from '../eval/labeled.js';
import type { EvalTopic } from '../eval/dataset.js';
import { groupFraction } from '../eval/split.js';
import type { SearchIndex } from '../store/types.js';
import { fitLogistic } from './logistic.js';
import { LinearModel, type WeightsFile } from './model.js';
import { scoreTopic, TOPIC_FEATURES, type ScoredArticle } from './topic.js';
import { SPLIT_SEED, VALIDATION_SHARE } from './train.js';

interface TopicRows {
  topic: EvalTopic;
  split: 'train' | 'validation';
  scored: ScoredArticle[];
  labels: number[];
  expected: number;
}

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Candidate articles of each topic with their features; with `embedder` (hybrid index) as digests in hybrid mode see them. */
export async function topicRows(index: SearchIndex, topics: EvalTopic[], m: LinearModel, embedder: Embedder | null = null): Promise<TopicRows[]> {
  const out: TopicRows[] = [];
  for (const t of topics) {
    const scored = await scoreTopic(index, embedder, t.topic, {}, m);
    out.push({
      topic: t,
      split: groupFraction(`topic:${t.id}:${t.topic}`, SPLIT_SEED) < VALIDATION_SHARE ? 'validation' : 'train',
      scored,
      labels: scored.map((s) => (t.expected.some((e) => matchesExpected(s.article, e)) ? 1 : 0)),
      expected: t.expected.length,
    });
  }
  return out;
}

/** Mean precision and recall of the listed articles (precision of an empty list: 1 if nothing was expected). */
export function topicScores(rows: TopicRows[], m: LinearModel, threshold: number): { precision: number; recall: number; f1: number; topics: number } {
  let p = 0;
  let r = 0;
  for (const row of rows) {
    const ps = m.probabilities(row.scored.map((s) => s.features));
    const listed = row.labels.filter((_, i) => (ps[i] as number) >= threshold);
    const hits = listed.filter((l) => l === 1).length;
    p += listed.length ? hits / listed.length : row.expected ? 0 : 1;
    r += row.expected ? hits / row.expected : 1;
  }
  const n = Math.max(1, rows.length);
  const precision = p / n;
  const recall = r / n;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, topics: rows.length };
}

export function fitTopicModel(rows: TopicRows[], sets: string[]): WeightsFile {
  const train = rows.filter((r) => r.split === 'train');
  const X = train.flatMap((r) => r.scored.map((s) => TOPIC_FEATURES.map((f) => s.features[f])));
  const y = train.flatMap((r) => r.labels);
  const fit = fitLogistic(X, y, { l2: 1 });
  const file: WeightsFile = {
    kind: 'topic-article',
    features: [...TOPIC_FEATURES],
    output: 'sigmoid',
    weights: fit.weights.map(r6),
    bias: r6(fit.bias),
    threshold: 0.5,
    thresholdRule: 'the probability with the best mean F1 (of per-topic precision and recall) on the training topics',
    training: {
      dataHash: createHash('sha256').update(JSON.stringify(rows.map((r) => [r.topic.id, r.split, r.labels]))).digest('hex').slice(0, 16),
      sets,
      rows: X.length,
      questions: train.length,
      l2: 1,
    },
    metrics: {},
  };
  const m = new LinearModel(file, TOPIC_FEATURES);
  let best = { t: 0.5, f1: -1 };
  for (let k = 5; k <= 95; k++) {
    const f1 = topicScores(train, m, k / 100).f1;
    if (f1 > best.f1 + 1e-12) best = { t: k / 100, f1 };
  }
  file.threshold = best.t;
  const round = (s: ReturnType<typeof topicScores>): Record<string, number> => ({ precision: r3(s.precision), recall: r3(s.recall), f1: r3(s.f1), topics: s.topics });
  file.metrics = {
    iterations: fit.iterations,
    train: round(topicScores(train, m, best.t)),
    validation: round(topicScores(rows.filter((r) => r.split === 'validation'), m, best.t)),
    validationTopics: rows.filter((r) => r.split === 'validation').map((r) => r.topic.id),
  };
  return file;
}
