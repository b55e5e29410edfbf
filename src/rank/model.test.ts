import { describe, expect, it } from 'vitest';
import { LinearModel, type WeightsFile } from './model.js';
import { SENTENCE_FEATURES } from './features.js';
import { confidenceModel, sentenceModel } from './sentences.js';
import { topicModel } from './topic.js';

const file = (over: Partial<WeightsFile> = {}): WeightsFile => ({
  kind: 'test',
  features: ['a', 'b'],
  output: 'sigmoid',
  weights: [2, -1],
  bias: 0.5,
  threshold: 0.5,
  thresholdRule: 'test',
  training: { dataHash: 'x', sets: [], rows: 0, questions: 0, l2: 1 },
  metrics: {},
  ...over,
});

describe('LinearModel', () => {
  it('explains a score exactly: contributions add up to the log-odds', () => {
    const m = new LinearModel(file(), ['a', 'b']);
    const x = { a: 0.3, b: 0.8 };
    const sum = m.explain(x).reduce((acc, c) => acc + c.contribution, 0);
    expect(sum + 0.5).toBeCloseTo(m.logOdds(x), 12);
    expect(m.explain(x)[0]?.feature).toBe('b'); // |−0.8| > |0.6|: largest push first
    expect(m.probability(x)).toBeCloseTo(1 / (1 + Math.exp(-m.logOdds(x))), 12);
  });

  it('shares probability out among items scored together when it is a listwise ranker', () => {
    const m = new LinearModel(file({ output: 'softmax' }), ['a', 'b']);
    const ps = m.probabilities([{ a: 1, b: 0 }, { a: 0, b: 0 }, { a: 0, b: 1 }]);
    expect(ps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(ps[0]).toBeGreaterThan(ps[1] as number);
    expect(ps[1]).toBeGreaterThan(ps[2] as number);
  });

  it('fails loudly when the weights file and the code disagree on the features', () => {
    expect(() => new LinearModel(file(), ['a', 'c'])).toThrow(/missing: c.*unknown: b.*npm run train/u);
  });

  it('the committed weights load and name every feature the code computes', () => {
    expect(sentenceModel().file.features).toEqual([...SENTENCE_FEATURES]);
    expect(confidenceModel().threshold).toBeGreaterThan(0);
    expect(confidenceModel().threshold).toBeLessThan(1);
    expect(topicModel().threshold).toBeGreaterThan(0);
    expect(sentenceModel().file.training.dataHash).toMatch(/^[0-9a-f]{16}$/u);
  });
});
