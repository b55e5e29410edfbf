import { describe, expect, it } from 'vitest';
import { confidenceFeatures } from './confidence.js';
import { SENTENCE_FEATURES } from './features.js';

const features = Object.fromEntries(SENTENCE_FEATURES.map((f) => [f, 0])) as Parameters<typeof confidenceFeatures>[0][number]['features'];
const candidate = (article: string, probability: number) => ({ article: { id: article }, probability, logOdds: 0, features });

describe('confidence features', () => {
  // Three reports answer a "which …" question; one near miss holds a single strong sentence.
  const ranked = [candidate('a', 0.3), candidate('b', 0.25), candidate('a', 0.15), candidate('c', 0.2), candidate('d', 0.06), candidate('e', 0.04)];

  it('sums the ranker probability over the best article for a one-fact question', () => {
    expect(confidenceFeatures(ranked, false).cited_share).toBeCloseTo(0.45);
  });

  it('sums it over the reports a "which …" answer lists (up to four)', () => {
    expect(confidenceFeatures(ranked, true).cited_share).toBeCloseTo(0.96);
  });
});
