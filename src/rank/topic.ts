/**
 * Topic matching for digests: which articles are *about* a topic, not merely mentioning it.
 *
 * Each candidate article is described by named features (the topic's words in the headline, in
 * its best sentence, through its sentences, anywhere in it; its retrieval evidence) and a learned
 * logistic model (`weights/topic.json`, fitted by `npm run train`) turns them into the probability
 * that the article is about the topic. The digest lists articles at or above the trained threshold.
 */
import type { Embedder } from '../embed/types.js';
import { bylinePrefixLength } from '../ingest/byline.js';
import { retrieve, type Retrieval } from '../search/retrieve.js';
import { termStatsOf } from '../search/stats.js';
import type { SearchIndex } from '../store/types.js';
import { translateTerms } from '../text/glossary.js';
import { normalizeForMatch } from '../text/normalize.js';
import { splitSentences } from '../text/sentences.js';
import { headlineOf, type Article } from '../types.js';
import { LinearModel, WeightsFile } from './model.js';
import { analyzeQuestion } from './question.js';
import { coverage, coverageAnywhere, weighTerms, type TermWeights } from './terms.js';
import topicWeights from './weights/topic.json' with { type: 'json' };

export const TOPIC_FEATURES = [
  'cov_headline',
  'cov_best_sentence',
  'cov_mean_sentence',
  'share_sentences_with_topic',
  'cov_article',
  'keyword_rank',
  'keyword_score_ratio',
  'dense_rank',
] as const;
export type TopicFeature = (typeof TOPIC_FEATURES)[number];

export interface ScoredArticle {
  article: Article;
  /** Probability that the article is about the topic (the topic model's output). */
  probability: number;
  /** Verbatim best sentence (byline prefix trimmed). */
  keySentence: string;
  features: Record<TopicFeature, number>;
}

export interface TopicOptions {
  /** Probability needed to list an article; default: the threshold `npm run train` chose. */
  threshold?: number;
  /** Articles considered (from retrieval over chunks). */
  candidates?: number;
  /**
   * A retrieval already made for the same text (the answer path's, for a "which …" question), so
   * the index is not searched twice; each article counts once, at its best passage.
   */
  retrieval?: Retrieval;
}

/** Each article once, at its first (best) passage. */
function firstPerArticle<P extends { article: Article }>(passages: readonly P[]): P[] {
  const seen = new Set<string>();
  return passages.filter((p) => !seen.has(p.article.id) && seen.add(p.article.id));
}

let model: LinearModel | null = null;
export function topicModel(): LinearModel {
  model ??= new LinearModel(WeightsFile.parse(topicWeights), TOPIC_FEATURES);
  return model;
}

/** Every article at or above the threshold, best first. */
export async function matchArticles(index: SearchIndex, embedder: Embedder | null, topic: string, opts: TopicOptions = {}): Promise<ScoredArticle[]> {
  const m = topicModel();
  const threshold = opts.threshold ?? m.threshold;
  return (await scoreTopic(index, embedder, topic, opts, m)).filter((s) => s.probability >= threshold);
}

function knownUnits(all: TermWeights): TermWeights {
  // A topic word the corpus never uses cannot tell its articles apart; only known words count.
  const units = all.units.filter((u) => u.df > 0);
  return { units, total: units.reduce((a, u) => a + u.weight, 0) };
}

/** All candidate articles with their features and probability, best first (training reads the features). */
export async function scoreTopic(
  index: SearchIndex,
  embedder: Embedder | null,
  topic: string,
  opts: TopicOptions = {},
  m: LinearModel = topicModel(),
): Promise<ScoredArticle[]> {
  const asked = analyzeQuestion(topic);
  const hybrid = index.mode === 'hybrid' && embedder !== null;
  // An English topic's words are matched through the domain glossary's Chinese terms; the model
  // (hybrid mode) also reads the topic as written.
  const q = asked.lang === 'en' ? analyzeQuestion(translateTerms(topic)) : asked;
  if (q.terms.length === 0 && !hybrid) return [];
  const retrieval = opts.retrieval ?? (await retrieve(index, embedder, hybrid ? `${topic} ${q.text}`.trim() : q.text, { k: opts.candidates ?? 60, perArticle: 1, candidates: 300 }));
  const passages = firstPerArticle(retrieval.passages);
  const w = knownUnits(weighTerms(q, termStatsOf(index)));
  if (w.units.length === 0 && !hybrid) return [];
  const kw = passages.filter((p) => p.keywordScore !== undefined).sort((a, b) => (b.keywordScore ?? 0) - (a.keywordScore ?? 0));
  const dn = passages.filter((p) => p.denseScore !== undefined).sort((a, b) => (b.denseScore ?? 0) - (a.denseScore ?? 0));
  const topKeyword = Math.max(1e-9, kw[0]?.keywordScore ?? 0);
  const out: ScoredArticle[] = [];
  for (const p of passages) {
    const a = p.article;
    const headline = normalizeForMatch(headlineOf(a));
    const body = normalizeForMatch(a.text);
    let best = 0;
    let bestSpan = { start: 0, end: 0 };
    let sum = 0;
    let withTopic = 0;
    const spans = splitSentences(a.text);
    for (const span of spans) {
      const c = coverage(w, { sentence: normalizeForMatch(a.text.slice(span.start, span.end)), headline: '', passage: '' });
      sum += c;
      if (c > 0) withTopic++;
      if (c > best) {
        best = c;
        bestSpan = span;
      }
    }
    const kRank = kw.findIndex((x) => x.article.id === a.id);
    const dRank = dn.findIndex((x) => x.article.id === a.id);
    const features: Record<TopicFeature, number> = {
      cov_headline: coverage(w, { sentence: headline, headline: '', passage: '' }),
      cov_best_sentence: best,
      cov_mean_sentence: spans.length ? sum / spans.length : 0,
      share_sentences_with_topic: spans.length ? withTopic / spans.length : 0,
      cov_article: coverageAnywhere(w, body, headline),
      keyword_rank: kRank >= 0 ? 1 / (1 + kRank) : 0,
      keyword_score_ratio: (p.keywordScore ?? 0) / topKeyword,
      dense_rank: dRank >= 0 ? 1 / (1 + dRank) : 0,
    };
    const key = a.text.slice(bestSpan.start, bestSpan.end);
    out.push({ article: a, probability: 0, keySentence: key.slice(bylinePrefixLength(key)), features });
  }
  const ps = m.probabilities(out.map((o) => o.features));
  out.forEach((o, i) => {
    o.probability = Math.round((ps[i] as number) * 1000) / 1000;
  });
  return out.sort((x, y) => y.probability - x.probability);
}
