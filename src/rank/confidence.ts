/**
 * Calibrated confidence: the probability that the best-ranked sentence answers the question.
 *
 * The ranker's own probability says how a sentence compares with its rivals, not whether the
 * corpus answers at all (an article with many plausible sentences spreads it thin). A second small
 * logistic model reads the ranked list — the best sentence's log-odds, its lead over the next, how
 * much of the question its article covers, how specific the words it misses are — and is fitted on
 * whether the best sentence was right, unanswerable questions included. Its output is what the
 * product refuses on.
 */
import { SENTENCE_FEATURES } from './features.js';
import type { RankedCandidate } from './sentences.js';

export const CONFIDENCE_FEATURES = [
  'top_log_odds',
  'margin_log_odds',
  'runner_up_same_article',
  'top_cov_sentence',
  'top_cov_article',
  'top_rare_missing_article',
  'top_rare_missing_context',
  'top_names_missing_article',
  'unseen_share',
  'top_type_match',
  'top_new_content',
  'top_ranker_log_odds',
  'article_lacks_asked_type',
  'names_missing_x_ranker',
  'cited_share',
  'top_wh_frame',
] as const;
export type ConfidenceFeature = (typeof CONFIDENCE_FEATURES)[number];

const logit = (p: number): number => {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
};

const ASKED_TYPES = ['asks_number_has', 'asks_person_has', 'asks_place_has', 'asks_time_has', 'asks_org_has'] as const;

/** Quotes in one answer at most; a "which …" answer cites up to this many reports. */
export const MAX_QUOTES = 4;

/** The ranker's probability summed per article, largest first. */
function articleShares(ranked: readonly { probability: number; article: { id: string } }[]): number[] {
  const byArticle = new Map<string, number>();
  for (const r of ranked) byArticle.set(r.article.id, (byArticle.get(r.article.id) ?? 0) + r.probability);
  return [...byArticle.values()].sort((a, b) => b - a);
}

/** `many`: the question asks "which …" (the answer cites several reports). */
export function confidenceFeatures(
  ranked: readonly (Pick<RankedCandidate, 'probability' | 'logOdds' | 'features'> & { article: { id: string } })[],
  many: boolean,
): Record<ConfidenceFeature, number> {
  const top = ranked[0];
  if (!top) return Object.fromEntries(CONFIDENCE_FEATURES.map((f) => [f, 0])) as Record<ConfidenceFeature, number>;
  const second = ranked[1];
  const f = top.features;
  return {
    top_log_odds: logit(top.probability),
    margin_log_odds: second ? Math.min(10, logit(top.probability) - logit(second.probability)) : 10,
    runner_up_same_article: second && second.article.id === top.article.id ? 1 : 0,
    top_cov_sentence: f.cov_sentence,
    top_cov_article: f.cov_article,
    top_rare_missing_article: f.rare_missing_article,
    top_rare_missing_context: f.rare_missing_context,
    top_names_missing_article: f.names_missing_article,
    unseen_share: f.unseen_share,
    // What the question asks for (a number, a person, a place, a time, an organisation), present or not.
    top_type_match: ASKED_TYPES.reduce((sum, t) => sum + f[t], 0),
    top_new_content: f.new_content,
    // The ranker's probabilities are relative (they sum to 1 over the candidates); its log-odds say
    // how good the best sentence is on its own, so a near miss that beats weak rivals still looks weak.
    top_ranker_log_odds: top.logOdds,
    // A close match whose article lacks the question's places is a close match about something
    // else (门头沟 asked, 平谷 reported): the ranker's log-odds count for less then, a product a
    // linear model cannot form from the two features alone.
    names_missing_x_ranker: f.names_missing_article * top.logOdds,
    // The ranker's belief in the reports the answer cites: the sum over their sentences, not the
    // best sentence's share alone (a report that answers in three sentences splits what a near miss
    // holds in one) — the best article, or for a "which …" question the articles it lists.
    cited_share: articleShares(ranked).slice(0, many ? MAX_QUOTES : 1).reduce((a, b) => a + b, 0),
    // The question's frame around its wh-word, kept by the best sentence. The ranker's log-odds
    // already count it for choosing among sentences; fitted on whether to answer at all, its weight
    // comes out negative: a near miss often restates the question's words (the 黑板报评比 is
    // reported, its winner is not), so the frame alone vouches for less than the ranker says.
    top_wh_frame: f.wh_frame,
    // The question asks for a kind of thing (a number in its unit, a person…) that no sentence of
    // the best article has: the article is on topic, the fact is not reported.
    article_lacks_asked_type: ASKED_TYPES.some((t) => f[t] !== 0 && !ranked.some((r) => r.article.id === top.article.id && r.features[t] === 1)) ? 1 : 0,
  };
}

/** Rebuilds the named record from a stored feature row (training). */
export function recordOf(row: readonly number[]): Record<(typeof SENTENCE_FEATURES)[number], number> {
  return Object.fromEntries(SENTENCE_FEATURES.map((n, i) => [n, row[i] as number])) as Record<(typeof SENTENCE_FEATURES)[number], number>;
}
