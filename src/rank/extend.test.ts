import { describe, expect, it } from 'vitest';
import { splitSentences } from '../text/sentences.js';
import { EXTENSION_FEATURES, extensionFeatures, sentenceShape, type PairSide } from './extend.js';
import { SENTENCE_FEATURES } from './features.js';
import { LinearModel } from './model.js';
import { extensionExamples, fitExtension, type ExtensionExample } from './train-extension.js';

const zero = Object.fromEntries(SENTENCE_FEATURES.map((f) => [f, 0])) as PairSide['features'];

describe('sentence shape', () => {
  const text = '猴面包树的果实钙含量很高。因此它有时也被称为笨蛋水果。\n平谷区总工会召开会议。';
  const spans = splitSentences(text);

  it('sees a sentence that leans on the one before (a conjunction or pronoun first)', () => {
    expect(sentenceShape(text, spans, 1).opensLinked).toBe(true);
    expect(sentenceShape(text, spans, 0).opensLinked).toBe(false);
    expect(sentenceShape(text, spans, 2).opensLinked).toBe(false);
  });

  it('never joins sentences across a paragraph break', () => {
    expect(sentenceShape(text, spans, 0).joinsNext).toBe(true);
    expect(sentenceShape(text, spans, 1).joinsNext).toBe(false);
    expect(sentenceShape(text, spans, 2).joinsNext).toBe(false);
  });
});

describe('extension features', () => {
  const side = (probability: number, opensLinked: boolean, chars: number): PairSide => ({ features: { ...zero, cov_sentence: probability }, probability, shape: { opensLinked, joinsNext: true, chars } });

  it('reads the later sentence of the pair, whichever way the quote grows', () => {
    const best = side(0.6, true, 40);
    const neighbor = side(0.3, false, 80);
    // Toward the next sentence the later one is the neighbour; toward the previous it is the best.
    expect(extensionFeatures(best, neighbor, false, false).later_opens_linked).toBe(0);
    expect(extensionFeatures(best, neighbor, true, false).later_opens_linked).toBe(1);
    expect(extensionFeatures(best, neighbor, true, false).toward_previous).toBe(1);
    expect(extensionFeatures(best, neighbor, false, false).neighbor_share).toBeCloseTo(0.5);
    expect(extensionFeatures(best, neighbor, false, true).asks_open).toBe(0);
  });
});

describe('fitting the extension', () => {
  const at = (name: (typeof EXTENSION_FEATURES)[number], v: number): number[] => EXTENSION_FEATURES.map((f) => (f === name ? v : 0));

  it('learns from data when taking in the neighbour completes the answer, and keeps a threshold that pays', () => {
    // The answer runs on whenever the neighbour is nearly as likely as the best sentence.
    const train: ExtensionExample[] = [];
    for (let i = 0; i < 200; i++) {
      const share = (i % 20) / 20;
      train.push({ features: at('neighbor_share', share), label: share > 0.6 ? 1 : 0, weight: 1 });
    }
    const file = fitExtension(train, train, { dataHash: 'x', sets: ['toy'], l2: 1, cost: 0.1 });
    const m = new LinearModel(file, EXTENSION_FEATURES);
    const p = (share: number): number => m.probability(Object.fromEntries(EXTENSION_FEATURES.map((f) => [f, f === 'neighbor_share' ? share : 0])));
    expect(p(0.9)).toBeGreaterThan(file.threshold as number);
    expect(p(0.1)).toBeLessThan(file.threshold as number);
  });

  it('never extends when extending never completes an answer', () => {
    const train: ExtensionExample[] = Array.from({ length: 50 }, (_, i) => ({ features: at('neighbor_share', i / 50), label: 0, weight: 1 }));
    expect(fitExtension(train, train, { dataHash: 'x', sets: ['toy'], l2: 1, cost: 0.1 }).threshold).toBe(1);
  });

  it('takes examples from the best sentence of answerable questions only, toward neighbours in its paragraph', () => {
    const question = { id: 'q', question: '为什么？', type: 'fact' as const, expected: [], expectedFiles: ['a.txt'], answers: ['x'], answerMode: 'any' as const, group: 'q' };
    const shape = (joinsNext: boolean) => ({ opensLinked: false, joinsNext, chars: 20 });
    const order = [
      { p: 0.5, article: 'a', articleRight: true, features: zero, row: 1 },
      { p: 0.3, article: 'a', articleRight: true, features: zero, row: 0 },
      { p: 0.2, article: 'a', articleRight: true, features: zero, row: 2 },
    ];
    const r = { question, sentenceIndex: [0, 1, 2], shapes: [shape(true), shape(false), shape(false)], extendNext: [0, 0, 0], extendPrevious: [0, 1, 0] };
    const xs = extensionExamples([{ r, order, weight: 1 }]);
    // Sentence 1 is best: sentence 0 joins it (an example, labelled 1); sentence 2 is in another paragraph.
    expect(xs).toHaveLength(1);
    expect(xs[0]?.label).toBe(1);
    expect(extensionExamples([{ r: { ...r, question: { ...question, type: 'ood' as const } }, order, weight: 1 }])).toHaveLength(0);
  });
});
