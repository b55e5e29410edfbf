/**
 * Answer composition: from ranked candidate sentences to 1-4 verbatim quotes, each tied to its
 * citation, or a refusal.
 *
 * The ranker (src/rank) gives every candidate sentence a probability that it answers the question,
 * and the confidence model the probability that the best one does. The answer quotes the best
 * sentence when the confidence reaches the calibrated threshold (`npm run train` picks it on
 * validation data), plus further sentences nearly as likely; a "which …" question is answered
 * report by report, with the articles the topic model finds about it. Below the threshold the
 * answer is refused with no quote — a wrong citation is worse than none.
 * Every quote is an exact slice of its article's text.
 */
import type { Embedder } from '../embed/types.js';
import { sentenceSpansOf } from '../rank/features.js';
import { MAX_QUOTES } from '../rank/confidence.js';
import { confidenceModel, confidenceOf, rankSentences, type RankedCandidate as Ranked } from '../rank/sentences.js';
import { analyzeQuestion } from '../rank/question.js';
import type { LinearModel } from '../rank/model.js';
import { extensionDecisions, extensionModel, MAX_QUOTE_CHARS } from '../rank/extend.js';
import { matchArticles } from '../rank/topic.js';
import type { Retrieval } from '../search/retrieve.js';
import type { SearchIndex } from '../store/types.js';
import { citationOf, type Answer, type Citation, type Quote } from '../types.js';
import { moreQuotes } from './more.js';
import { quoteSpan } from './quotes.js';

export interface AnswerOptions {
  /** Confidence needed to answer; default: the threshold `npm run train` calibrated. */
  threshold?: number;
  /** A further quote needs this share of the best sentence's probability; default: from training. */
  quoteRatio?: number;
  maxQuotes?: number;
  /** Quotes per article at most. */
  perArticle?: number;
  /** Decides whether the best quote takes in a neighbouring sentence; default: the committed model. */
  extension?: LinearModel;
}

export const DEFAULT_MAX_QUOTES = MAX_QUOTES;

/** A ranked sentence with the span a reader is shown for it (speaker included, byline trimmed). */
export interface RankedCandidate extends Ranked {
  quote: { start: number; end: number };
}

function withQuote(c: Ranked, keepByline: boolean): RankedCandidate {
  const q = quoteSpan(c.article.text, sentenceSpansOf(c.article), c.sentenceIndex, { keepByline });
  return { ...c, quote: { start: q.start, end: q.end } };
}

function refusal(question: string, mode: Answer['mode'], why: NonNullable<Answer['refusal']>, confidence = 0): Answer {
  return { question, answered: false, mode, quotes: [], citations: [], refusal: why, confidence: round(confidence) };
}

/**
 * The best sentence's quote, taking in the sentence before or after it when the extension model
 * (src/rank/extend.ts) finds the answer likely to run over both; quotes it then covers are dropped.
 */
function withExtension(picked: RankedCandidate[], ranked: readonly Ranked[], keepByline: boolean, m: LinearModel): RankedCandidate[] {
  const best = picked[0];
  if (!best) return picked;
  const spans = sentenceSpansOf(best.article);
  let { start, end } = best.quote;
  for (const d of extensionDecisions(best, ranked, m)) {
    if (!d.extend) continue;
    const q = quoteSpan(best.article.text, spans, d.neighbor.sentenceIndex, { keepByline });
    if (Math.max(end, q.end) - Math.min(start, q.start) > MAX_QUOTE_CHARS) continue;
    start = Math.min(start, q.start);
    end = Math.max(end, q.end);
  }
  if (start === best.quote.start && end === best.quote.end) return picked;
  const extended = { ...best, quote: { start, end } };
  return [extended, ...picked.slice(1).filter((c) => !(c.article.id === best.article.id && c.quote.start < end && start < c.quote.end))];
}

/** Quotes for the picked candidates, numbered by source in order of first appearance. */
function toQuotes(picked: RankedCandidate[]): { quotes: Quote[]; citations: Citation[] } {
  const citations: Citation[] = [];
  const quotes: Quote[] = [];
  const numberOf = new Map<string, number>();
  for (const c of picked) {
    let n = numberOf.get(c.article.id);
    if (n === undefined) {
      n = citations.length + 1;
      numberOf.set(c.article.id, n);
      citations.push(citationOf(c.article, n, round(c.probability)));
    }
    quotes.push({ text: c.article.text.slice(c.quote.start, c.quote.end), source: n, articleId: c.article.id, start: c.quote.start, end: c.quote.end });
  }
  // Quotes of the same source read in article order.
  quotes.sort((a, b) => a.source - b.source || a.start - b.start);
  return { quotes, citations };
}

/**
 * Picks quotes in probability order: each must reach `bar`, not overlap a quote already
 * taken, and keep to `perArticle` quotes per article; stops at `maxQuotes`.
 */
export function pickQuotes(ranked: RankedCandidate[], bar: number, maxQuotes: number, perArticle: number, taken: RankedCandidate[] = []): RankedCandidate[] {
  const picked: RankedCandidate[] = [];
  const all = [...taken];
  const perArt = new Map<string, number>();
  for (const t of taken) perArt.set(t.article.id, (perArt.get(t.article.id) ?? 0) + 1);
  for (const c of ranked) {
    if (picked.length >= maxQuotes) break;
    if (c.probability < bar) break;
    if ((perArt.get(c.article.id) ?? 0) >= perArticle) continue;
    if (all.some((p) => p.article.id === c.article.id && p.quote.start < c.quote.end && c.quote.start < p.quote.end)) continue;
    picked.push(c);
    all.push(c);
    perArt.set(c.article.id, (perArt.get(c.article.id) ?? 0) + 1);
  }
  return picked;
}

export async function answerQuestion(index: SearchIndex, embedder: Embedder | null, question: string, opts: AnswerOptions = {}): Promise<Answer> {
  const q = analyzeQuestion(question);
  const keywordOnly = index.mode !== 'hybrid' || embedder === null;
  const mode = keywordOnly ? 'keyword' : 'hybrid';
  // The two refusals no data can teach: nothing asked, and English with no model to bridge it.
  if (q.terms.length === 0) return refusal(question, mode, 'empty');
  if (keywordOnly && q.lang === 'en') return refusal(question, mode, 'needs-model');

  const { ranked, set } = await rankSentences(index, keywordOnly ? null : embedder, question);
  const calibrator = confidenceModel();
  const threshold = opts.threshold ?? calibrator.threshold;
  const best = ranked[0];
  if (!best) return refusal(question, mode, 'no-match');
  const confidence = confidenceOf(ranked, q.wantsMany, calibrator);
  if (confidence < threshold) return refusal(question, mode, 'weak-evidence', confidence);

  const maxQuotes = opts.maxQuotes ?? DEFAULT_MAX_QUOTES;
  // "Which unions …?" is answered article by article: one quote each, so every answering report is cited.
  const perArticle = opts.perArticle ?? (q.wantsMany ? 1 : 2);
  const quoteBar = (opts.quoteRatio ?? quoteRatioOf(calibrator, q.wantsMany)) * best.probability;
  // 更多 / More (src/answer/more.ts) takes the next-best sentences, at least half as likely as the bar for a quote.
  const moreBar = quoteBar / 2;
  // Only sentences that can still be quoted get their quote span shaped (ranked is best first).
  // A "who …" question keeps the byline (`本报讯（记者 X 通讯员 Y）`) in the quote: who reported or
  // photographed is asked often, and jieba's person tags are too noisy to tell when it is not.
  const keepByline = q.wantsPerson;
  const quotable = ranked.filter((c) => c.probability >= moreBar).map((c) => withQuote(c, keepByline));
  const listed = q.wantsMany ? await reportsAbout(index, question, ranked, set.keywordRetrieval, maxQuotes) : [];
  const picked = listed.length ? listed.map((c) => withQuote(c, keepByline)) : pickQuotes(quotable, quoteBar, maxQuotes, perArticle);
  const shown = toQuotes(withExtension(picked, ranked, keepByline, opts.extension ?? extensionModel()));
  const more = moreQuotes(quotable.filter((c) => !picked.some((p) => p.article.id === c.article.id && p.sentenceIndex === c.sentenceIndex)), shown.quotes, { floor: moreBar, round });
  return { question, answered: true, mode, quotes: shown.quotes, citations: shown.citations, confidence: round(confidence), ...(more.quotes.length ? { more } : {}) };
}

/**
 * A "which …" question asks for a list of reports, as a digest topic does: the best sentence's
 * report first, then the articles the topic model (src/rank/topic.ts, trained on digest topics)
 * finds *about* the question, each quoted by the ranker's best sentence in it. Empty when the topic
 * model lists nothing with a candidate sentence (the caller then quotes by the sentence ranker alone).
 */
async function reportsAbout(
  index: SearchIndex,
  question: string,
  ranked: readonly Ranked[],
  retrieval: Retrieval,
  max: number,
): Promise<Ranked[]> {
  // The candidates' own keyword retrieval: a listed article needs a ranked sentence anyway, a second
  // search would double a list question's cost, and (as for the ranker's article choice) keyword
  // evidence alone decides, so a loaded model cannot change which reports are listed.
  const about = await matchArticles(index, null, question, { retrieval });
  const first = ranked[0];
  if (!first || about.length === 0) return [];
  const out: Ranked[] = [first];
  for (const a of about) {
    if (out.length >= max) break;
    if (out.some((c) => c.article.id === a.article.id)) continue;
    const best = ranked.find((c) => c.article.id === a.article.id);
    if (best) out.push(best);
  }
  return out.length > 1 ? out : [];
}

/** The quote ratio stored with the confidence model by `npm run train` (its own for "which …" questions). */
function quoteRatioOf(m: ReturnType<typeof confidenceModel>, many: boolean): number {
  const r = m.file.metrics[many ? 'quoteRatioMany' : 'quoteRatio'];
  return typeof r === 'number' ? r : 0.5;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
