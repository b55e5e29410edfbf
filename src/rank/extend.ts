/**
 * Quote extension: whether the best sentence's quote should take in the sentence before or after it.
 *
 * Many answers run over two sentences — a reason given after its cause (`…因此它有时也被称为笨蛋水果。`),
 * a description continued without its subject (`叶具短柄，狭披针形…`).
 * One sentence then quotes half the answer. A small logistic model, fitted by `npm run train` on
 * the labelled sets (label: the gold answer lies in the two sentences together and not in the best
 * one alone), reads the pair; the quote takes in the neighbour when the model's probability reaches
 * a threshold chosen on the training questions for what a longer quote costs a reader.
 */
import { tagWords } from '../text/segment.js';
import type { Article, SentenceSpan } from '../types.js';
import { sentenceSpansOf, type SentenceFeature } from './features.js';
import { LinearModel, WeightsFile } from './model.js';
import extensionWeights from './weights/extension.json' with { type: 'json' };

export const EXTENSION_FEATURES = [
  'toward_previous',
  'asks_open',
  'best_has_asked_type',
  'neighbor_has_asked_type',
  'best_cov',
  'neighbor_cov',
  'neighbor_share',
  'best_length',
  'neighbor_length',
  'later_opens_linked',
] as const;
export type ExtensionFeature = (typeof EXTENSION_FEATURES)[number];

/** What of a sentence's own shape the extension reads: computed at training and at answer time alike. */
export interface SentenceShape {
  /** Opens with a conjunction, pronoun or adverb (jieba `c`, `r`, `d`): it leans on the sentence before. */
  opensLinked: boolean;
  /** The next sentence is in the same paragraph (a quote never crosses one). */
  joinsNext: boolean;
  chars: number;
}

/** A quote is read on a phone: a pair longer than this is not joined (nor a quotation block, src/answer/quotes.ts). */
export const MAX_QUOTE_CHARS = 320;

const LINKING_TAGS = new Set(['c', 'r', 'd']);

export function sentenceShape(text: string, spans: readonly SentenceSpan[], i: number): SentenceShape {
  const s = spans[i] as SentenceSpan;
  const sentence = text.slice(s.start, s.end).trim();
  const next = spans[i + 1];
  const first = tagWords(sentence.replace(/^[“"‘'（(【]+/u, ''))[0];
  return {
    opensLinked: first !== undefined && LINKING_TAGS.has(first.tag),
    joinsNext: next !== undefined && !text.slice(s.end, next.start).includes('\n'),
    chars: [...sentence].length,
  };
}

const ASKED_TYPES = ['asks_number_has', 'asks_person_has', 'asks_place_has', 'asks_time_has', 'asks_org_has'] as const;

export interface PairSide {
  features: Record<SentenceFeature, number>;
  probability: number;
  shape: SentenceShape;
}

/** The features of extending `best` toward `neighbor` (the sentence just before it when `previous`). */
export function extensionFeatures(best: PairSide, neighbor: PairSide, previous: boolean, asksType: boolean): Record<ExtensionFeature, number> {
  const later = previous ? best : neighbor;
  const has = (f: Record<SentenceFeature, number>): number => (ASKED_TYPES.some((t) => f[t] === 1) ? 1 : 0);
  return {
    toward_previous: previous ? 1 : 0,
    asks_open: asksType ? 0 : 1,
    best_has_asked_type: has(best.features),
    neighbor_has_asked_type: has(neighbor.features),
    best_cov: best.features.cov_sentence,
    neighbor_cov: neighbor.features.cov_sentence,
    neighbor_share: best.probability > 0 ? Math.min(1, neighbor.probability / best.probability) : 0,
    best_length: Math.min(3, best.shape.chars / 100),
    neighbor_length: Math.min(3, neighbor.shape.chars / 100),
    later_opens_linked: later.shape.opensLinked ? 1 : 0,
  };
}

/**
 * The features of the pair when it can be one quote — the earlier sentence runs on into the later
 * in one paragraph and both fit `MAX_QUOTE_CHARS` — else null. Training and answering both ask this.
 */
export function pairFeatures(best: PairSide, neighbor: PairSide, previous: boolean, asksType: boolean): Record<ExtensionFeature, number> | null {
  if (!(previous ? neighbor : best).shape.joinsNext || best.shape.chars + neighbor.shape.chars > MAX_QUOTE_CHARS) return null;
  return extensionFeatures(best, neighbor, previous, asksType);
}

/** Whether the question asks for a kind of thing (`asks_*_has` is 0 for every candidate when not). */
export function asksType(features: Record<SentenceFeature, number>): boolean {
  return ASKED_TYPES.some((t) => features[t] !== 0);
}

let model: LinearModel | null = null;

/** The committed extension model, which holds its threshold. */
export function extensionModel(): LinearModel {
  model ??= new LinearModel(WeightsFile.parse(extensionWeights), EXTENSION_FEATURES);
  return model;
}

/** A ranked sentence as the extension reads it. */
export interface RankedSentence {
  article: Article;
  /** Sentence span in article.text. */
  start: number;
  end: number;
  sentenceIndex: number;
  features: Record<SentenceFeature, number>;
  probability: number;
}

export interface ExtensionDecision {
  /** Toward the sentence before the best one (else after it). */
  previous: boolean;
  neighbor: RankedSentence;
  features: Record<ExtensionFeature, number>;
  probability: number;
  extend: boolean;
}

/**
 * The model's reading of the best sentence's two neighbours (those in its paragraph whose pair
 * fits one quote): the answer path extends where `extend`, `ask --explain` shows all of them.
 */
export function extensionDecisions(best: RankedSentence, ranked: readonly RankedSentence[], m: LinearModel = extensionModel()): ExtensionDecision[] {
  const spans = sentenceSpansOf(best.article);
  const side = (c: RankedSentence): PairSide => ({ features: c.features, probability: c.probability, shape: sentenceShape(best.article.text, spans, c.sentenceIndex) });
  const b = side(best);
  const out: ExtensionDecision[] = [];
  for (const previous of [false, true]) {
    const neighbor = ranked.find((c) => c.article.id === best.article.id && c.sentenceIndex === best.sentenceIndex + (previous ? -1 : 1));
    if (!neighbor) continue;
    const features = pairFeatures(b, side(neighbor), previous, asksType(best.features));
    if (!features) continue;
    const probability = m.probability(features);
    out.push({ previous, neighbor, features, probability, extend: probability >= m.threshold });
  }
  return out;
}
