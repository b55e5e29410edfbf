/**
 * Named features of a candidate sentence for a question: what the learned ranker reads.
 *
 * Every feature is a plain number, most in [0, 1] or [-1, 1], computed from the question, the
 * sentence, its article and the retrieval that found it. None of them is a verdict: the weights
 * that turn them into a probability are fitted by `npm run train` (src/rank/model.ts) and stored
 * as data, so "why did this sentence win" is always "these features, these weights".
 */
import type { Embedder } from '../embed/types.js';
import { retrieve, type Retrieval } from '../search/retrieve.js';
import { termStatsOf, idfOf, type TermStats } from '../search/stats.js';
import type { SearchIndex } from '../store/types.js';
import { normalizeForMatch, withoutPunctuation } from '../text/normalize.js';
import { isNameTag, tagWords } from '../text/segment.js';
import { splitSentences } from '../text/sentences.js';
import { headlineOf, type Article, type SentenceSpan } from '../types.js';
import { hasPersonName } from './names.js';
import { analyzeQuestion, type QuestionAnalysis, type TimeGrain } from './question.js';
import { denseScale, sentenceCosines } from './dense.js';
import { coverage, coverageAnywhere, weighTerms, type TermWeights } from './terms.js';

/** The feature vector's names, in order. Weights files name them too, so a renamed feature fails loudly. */
export const SENTENCE_FEATURES = [
  'cov_sentence',
  'cov_context',
  'cov_headline',
  'cov_headline_only',
  'cov_neighbors_only',
  'log_cov_sentence',
  'cov_article',
  'cov_article_margin',
  'cov_gap_to_best',
  'bigram_sentence',
  'longest_common_run',
  'char_overlap',
  'rare_missing_article',
  'rare_missing_context',
  'names_missing_article',
  'unseen_share',
  'keyword_rank',
  'keyword_score_ratio',
  'dense_rank',
  'dense_z',
  'asks_number_has',
  'asks_person_has',
  'asks_place_has',
  'asks_time_has',
  'asks_org_has',
  'asks_many_lead',
  'time_words_agree',
  'relative_year_conflict',
  'new_content',
  'lead',
  'position',
  'length',
  'in_quotation',
  'focus_in_sentence',
  'unit_proximity',
  'wh_frame',
  'wh_frame_slot',
] as const;
export type SentenceFeature = (typeof SENTENCE_FEATURES)[number];

/** One sentence considered as (part of) an answer. */
export interface Candidate {
  article: Article;
  /** Sentence span in article.text. */
  start: number;
  end: number;
  /** Index of the sentence among the article's sentences. */
  sentenceIndex: number;
  /** 0-based rank of its article among the candidate articles. */
  articleRank: number;
  features: Record<SentenceFeature, number>;
}

/** What is computed once per question. */
export interface QuestionContext {
  text: string;
  /** Proper names the question uses (places, organisations, people; jieba's tags and place stems). */
  names: string[];
  /** Time expressions the question uses (`去年`, `2023年`, `春节`: jieba's `t`, and years). */
  timeWords: string[];
  analysis: QuestionAnalysis;
  weights: TermWeights;
  /** Character bigrams of the question (normalized), IDF-weighted. */
  bigrams: { text: string; weight: number }[];
  /** Normalized question text with punctuation removed, for the longest common run. */
  plain: string;
  stats: TermStats;
}

export interface CandidateOptions {
  /** Articles whose every sentence is a candidate. */
  articles?: number;
  /** Passages retrieved to find them. */
  passages?: number;
  /** Articles only the model found, added after the keyword ones (hybrid mode; default 3). */
  denseOnly?: number;
}

export const DEFAULT_CANDIDATE_ARTICLES = 6;

const HAN_RUN = /[\p{Script=Han}]+/gu;

export function questionContext(index: SearchIndex, question: string): QuestionContext {
  const analysis = analyzeQuestion(question);
  const stats = termStatsOf(index);
  const weights = weighTerms(analysis, stats);
  const norm = normalizeForMatch(question);
  const seen = new Set<string>();
  const bigrams: QuestionContext['bigrams'] = [];
  for (const m of norm.matchAll(HAN_RUN)) {
    const run = m[0];
    for (let i = 0; i + 2 <= run.length; i++) {
      const b = run.slice(i, i + 2);
      if (seen.has(b)) continue;
      seen.add(b);
      const df = stats.df(b);
      // A bigram the corpus never uses cannot tell sentences apart; it still counts in the total.
      bigrams.push({ text: b, weight: idfOf(stats.docCount, df === 0 ? 0.5 : df) });
    }
  }
  const names = new Set(analysis.places);
  for (const t of tagWords(norm)) if (isNameTag(t.tag) && t.word.length >= 2) names.add(t.word);
  const timeWords = new Set<string>();
  for (const t of tagWords(norm)) if (t.tag === 't' && t.word.length >= 2) timeWords.add(t.word);
  for (const m of norm.matchAll(/\d{4}\s*年/gu)) timeWords.add(m[0]);
  return { text: question, names: [...names], timeWords: [...timeWords], analysis, weights, bigrams, plain: withoutPunctuation(norm), stats };
}

interface ArticleView {
  article: Article;
  rank: number;
  headline: string;
  spans: SentenceSpan[];
  /** Normalized article text. */
  body: string;
  /** Normalized sentence texts. */
  sentences: string[];
  /** The lead: the article's first sentence (it says who did what); -1 for an empty article. */
  leadIndex: number;
  /** Inside a “…” quotation at the sentence's start. */
  quoted: boolean[];
}

const views = new WeakMap<Article, Omit<ArticleView, 'rank'>>();

/** An article's sentence spans (`splitSentences` over its text), computed once per loaded article. */
export function sentenceSpansOf(article: Article): readonly SentenceSpan[] {
  return viewOf(article).spans;
}

/** Sentences of an article, normalized once per loaded article. */
function viewOf(article: Article): Omit<ArticleView, 'rank'> {
  let v = views.get(article);
  if (!v) {
    const spans = splitSentences(article.text);
    const sentences = spans.map((s) => normalizeForMatch(article.text.slice(s.start, s.end)));
    const quoted: boolean[] = [];
    let depth = 0;
    let para = 0;
    spans.forEach((s, i) => {
      // Quotation depth resets at paragraph ends: an unclosed quote never leaks into the next paragraph.
      const p = (article.text.slice(0, s.start).match(/\n/gu) ?? []).length;
      if (p !== para) {
        para = p;
        depth = 0;
      }
      quoted.push(depth > 0 || (sentences[i] ?? '').startsWith('“'));
      const t = article.text.slice(s.start, s.end);
      depth = Math.max(0, depth + (t.match(/“/gu) ?? []).length - (t.match(/”/gu) ?? []).length);
    });
    v = { article, headline: normalizeForMatch(headlineOf(article)), spans, body: normalizeForMatch(article.text), sentences, leadIndex: spans.length > 0 ? 0 : -1, quoted };
    views.set(article, v);
  }
  return v;
}


/**
 * Candidate articles: the best `n` by keyword evidence, then (hybrid mode) up to `extraDense` more
 * that only the model found. The keyword candidates never give way to dense ones, so a model that
 * knows nothing can add candidates but not push the right one out.
 */
interface RankedArticle {
  article: Article;
  keyword: number;
  keywordRank: number;
  denseRank: number;
}

function rankArticles(retrieval: Retrieval, keyword: Retrieval, n: number, extraDense = 3): RankedArticle[] {
  const byId = new Map<string, RankedArticle>();
  // Keyword evidence from the keyword list alone: fusion with a dense list must not change which
  // passages stand for an article (its keyword rank and score), whatever the model knows.
  const kwOrder = [...keyword.passages].filter((p) => p.keywordScore !== undefined).sort((a, b) => (b.keywordScore ?? 0) - (a.keywordScore ?? 0));
  const dnOrder = [...retrieval.passages].filter((p) => p.denseScore !== undefined).sort((a, b) => (b.denseScore ?? 0) - (a.denseScore ?? 0));
  const kwRank = new Map<string, number>();
  const dnRank = new Map<string, number>();
  for (const p of kwOrder) if (!kwRank.has(p.article.id)) kwRank.set(p.article.id, kwRank.size);
  for (const p of dnOrder) if (!dnRank.has(p.article.id)) dnRank.set(p.article.id, dnRank.size);
  for (const p of [...kwOrder, ...dnOrder]) {
    const e = byId.get(p.article.id);
    const kw = p.keywordScore ?? 0;
    if (e) e.keyword = Math.max(e.keyword, kw);
    else byId.set(p.article.id, { article: p.article, keyword: kw, keywordRank: kwRank.get(p.article.id) ?? -1, denseRank: dnRank.get(p.article.id) ?? -1 });
  }
  const all = [...byId.values()];
  const byKeyword = all.filter((a) => a.keywordRank >= 0).sort((a, b) => a.keywordRank - b.keywordRank).slice(0, n);
  const denseOnly = all.filter((a) => !byKeyword.includes(a) && a.denseRank >= 0).sort((a, b) => a.denseRank - b.denseRank).slice(0, extraDense);
  return [...byKeyword, ...denseOnly];
}

const NUMERAL = /[0-9零〇一二三四五六七八九十两百千万亿]/u;
const DIGITS = /\d/u;
const DATE = /\d{1,4}\s*年|\d{1,2}\s*月|\d{1,2}\s*[日号]|[一二三四五六七八九十〇零]+年|[一二三四五六七八九十]+月/u;
/**
 * What answers a "when" of each precision: a year is written with its digits (`2019年`, `一九四九年`),
 * a day with its day of the month or week, a clock time with its hour, a duration with a count of
 * units. Words that only point at a time (`近日`, `近年来`, jieba's `t`) answer `什么时候` at most.
 */
const TIME_OF_GRAIN: Record<Exclude<TimeGrain, 'any'>, RegExp> = {
  year: /\d{3,4}\s*年|[〇零一二三四五六七八九]{3,4}年/gu,
  month: /\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月/gu,
  day: /\d{1,2}\s*[日号]|[一二三四五六七八九十]{1,3}[日号]|(?:星期|周|礼拜)[一二三四五六日天]/gu,
  clock: /\d{1,2}\s*(?:[点时]|[:：]\d{2})|[一二三四五六七八九十两]{1,3}[点时]/gu,
  span: /\d+(?:\.\d+)?\s*(?:个)?\s*(?:年|月|周|星期|天|日|小时|分钟|秒)|[一二两三四五六七八九十百半]+(?:个)?(?:年|月|周|星期|天|小时|分钟)/gu,
};
const MEASURE_EQUIV: Record<string, string> = { 人: '人名位', 名: '名人位', 位: '位名人', 个: '个家项处所', 点: '点时:：' };

/** A number in the unit asked (`1546件` for 多少件), dates excluded: `3月` is not a quantity of anything. */
function hasQuantity(text: string, measure: string | null): boolean {
  const t = text.replace(new RegExp(DATE.source, 'gu'), ' ');
  if (!measure) return DIGITS.test(t) || /[一二三四五六七八九十两百千万]+[个家位件次场名人天项处所条万千百余多]/u.test(t);
  const units = [...new Set([...(Object.hasOwn(MEASURE_EQUIV, measure) ? (MEASURE_EQUIV[measure] as string) : measure)])].join('');
  return new RegExp(`${NUMERAL.source}(?:[余多])?(?:万|千|百)?(?:[${units}]|${measure})`, 'u').test(t);
}

/**
 * What jieba finds in the sentence beyond the question's own words: a person (`nr`), a place
 * (`ns`), an organisation (`nt`), a time (`t`, or a date). The sentence is tagged once (cached).
 */
function answerTypesIn(sentence: string, residual: string, question: string, grain: TimeGrain | null): { person: boolean; place: boolean; time: boolean; org: boolean } {
  const words = tagWords(sentence);
  const person = hasPersonName(words, question);
  let place = false;
  let time = false;
  let org = false;
  for (const t of words) {
    if (t.word.length < 2 || question.includes(t.word)) continue;
    if (t.tag === 'ns') place = true;
    else if (t.tag === 'nt') org = true;
    else if (t.tag === 't') time = true;
  }
  if (DATE.test(residual)) time = true;
  // Matched in the sentence itself (blanking the question's words would cut `1995年上映` at `年上`),
  // and only a time the question does not already name.
  // (matchAll works on a copy of the global pattern, so the shared one keeps no state.)
  if (grain && grain !== 'any') time = [...sentence.matchAll(TIME_OF_GRAIN[grain])].some((m) => !question.includes(m[0]));
  return { person, place, time, org };
}

/** The sentence with the question's known units blanked out: what it says beyond the question. */
function residualOf(w: TermWeights, sentence: string): string {
  let r = sentence;
  for (const u of w.units) if (u.text.length >= 2) r = r.replaceAll(u.text, ' ');
  return r;
}

/** Length of the longest common substring of a and b (dynamic programming, O(|a|·|b|), both short). */
export function longestCommonRun(a: string, b: string): number {
  if (!a || !b) return 0;
  let prev = new Uint16Array(b.length + 1);
  let cur = new Uint16Array(b.length + 1);
  let best = 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
        const v = (prev[j - 1] as number) + 1;
        cur[j] = v;
        if (v > best) best = v;
      } else cur[j] = 0;
    }
    [prev, cur] = [cur, prev];
  }
  return best;
}

function bigramShare(qc: QuestionContext, text: string): number {
  let total = 0;
  let got = 0;
  for (const b of qc.bigrams) {
    total += b.weight;
    if (text.includes(b.text)) got += b.weight;
  }
  return total ? got / total : 0;
}

/**
 * How specific the most specific question word missing from `text` is, relative to the most
 * specific question word (0: nothing missing; 1: the rarest word is missing). A question naming
 * 怀柔区 is not answered by an article about 顺义区, however much else it shares.
 */
function rareMissing(w: TermWeights, text: string, alsoIn = ''): number {
  let top = 0;
  let missing = 0;
  for (const u of w.units) {
    if (u.df === 0) continue;
    top = Math.max(top, u.weight);
    if (!text.includes(u.text) && !alsoIn.includes(u.text)) missing = Math.max(missing, u.weight);
  }
  return top ? missing / top : 0;
}

/** Share of the question words' distinct characters that the sentence contains (robust to segmentation). */
function charOverlap(chars: string[], text: string): number {
  if (chars.length === 0) return 0;
  let got = 0;
  for (const c of chars) if (text.includes(c)) got++;
  return got / chars.length;
}

const RELATIVE_YEARS = ['前年', '去年', '今年', '明年'];
/**
 * 1 when the question asks about one relative year (`去年`) and the sentence speaks of another
 * (`今年`) and not of the one asked: a plan for this year does not say what happened last year.
 */
function yearConflict(question: string, sentence: string): number {
  const asked = RELATIVE_YEARS.filter((y) => question.includes(y));
  if (asked.length === 0 || asked.some((y) => sentence.includes(y))) return 0;
  return RELATIVE_YEARS.some((y) => !asked.includes(y) && sentence.includes(y)) ? 1 : 0;
}

/**
 * How tightly the question's words sit together in the sentence: their matched length over the
 * span from the first to the last (1 = one run, as when the sentence restates the question).
 */
function proximity(w: TermWeights, sentence: string): number {
  let lo = Infinity;
  let hi = -Infinity;
  let len = 0;
  for (const u of w.units) {
    if (u.text.length < 2) continue;
    const at = sentence.indexOf(u.text);
    if (at < 0) continue;
    lo = Math.min(lo, at);
    hi = Math.max(hi, at + u.text.length);
    len += u.text.length;
  }
  return len > 0 ? Math.min(1, len / (hi - lo)) * Math.min(1, len / 6) : 0;
}

/** Share of the question's weight found in `where` but not in any of `not`. */
function onlyIn(w: TermWeights, where: string, not: string[]): number {
  if (w.total === 0) return 0;
  let got = 0;
  for (const u of w.units) if (where.includes(u.text) && !not.some((t) => t.includes(u.text))) got += u.weight;
  return got / w.total;
}


export interface CandidateSet {
  question: QuestionContext;
  retrieval: Retrieval;
  /** The keyword list alone (the same object keyword-only): where keyword evidence is read. */
  keywordRetrieval: Retrieval;
  candidates: Candidate[];
}

/**
 * Retrieves, then describes every sentence of the best candidate articles; in hybrid mode (an
 * embedder given and an index with vectors) each sentence's cosine to the question counts too.
 */
/** What every candidate sentence of one question shares. */
interface Scene {
  qc: QuestionContext;
  /** Share of the question's weight the corpus never uses. */
  unseen: number;
  qLen: number;
  /** The question words' distinct Han characters. */
  qChars: string[];
  topKeyword: number;
}

/** A candidate article as its sentences see it. */
interface ArticleScene extends ArticleView {
  meta: RankedArticle;
  covArticle: number;
  /** Its coverage over the best other candidate article's. */
  margin: number;
  covHeadline: number;
}

/** The named features of sentence `si` of a candidate article. */
function sentenceFeatures(sc: Scene, a: ArticleScene, si: number): Record<SentenceFeature, number> {
  const { qc } = sc;
  const q = qc.analysis;
  const w = qc.weights;
  const s = a.sentences[si] as string;
  const plain = withoutPunctuation(s);
  const context = [a.sentences[si - 1] ?? '', s, a.sentences[si + 1] ?? ''].join(' ');
  const residual = residualOf(w, s);
  const types = answerTypesIn(s, residual, qc.plain, q.timeGrain);
  const has = (asks: boolean, got: boolean): number => (asks ? (got ? 1 : -1) : 0);
  const residualChars = (residual.match(/[\p{Script=Han}\p{N}\p{L}]/gu) ?? []).length;
  const covSentence = coverage(w, { sentence: s, headline: '', passage: '' });
  const neighbors = `${a.sentences[si - 1] ?? ''} ${a.sentences[si + 1] ?? ''}`;
  return {
    cov_sentence: covSentence,
    cov_headline_only: onlyIn(w, a.headline, [s]),
    cov_neighbors_only: onlyIn(w, neighbors, [s, a.headline]),
    // Coverage multiplies with what else a sentence has (a number for "how many"): in log-odds, its log adds.
    log_cov_sentence: Math.log(0.05 + covSentence),
    cov_context: coverage(w, { sentence: context, headline: '', passage: '' }),
    cov_headline: a.covHeadline,
    cov_article: a.covArticle,
    cov_article_margin: a.margin,
    cov_gap_to_best: 0,
    bigram_sentence: bigramShare(qc, s),
    longest_common_run: Math.min(1, longestCommonRun(qc.plain, plain) / sc.qLen),
    char_overlap: charOverlap(sc.qChars, s),
    rare_missing_article: rareMissing(w, a.body, a.headline),
    rare_missing_context: rareMissing(w, context, a.headline),
    names_missing_article: qc.names.length ? qc.names.filter((nm) => !a.body.includes(nm) && !a.headline.includes(nm)).length / qc.names.length : 0,
    unseen_share: sc.unseen,
    keyword_rank: a.meta.keywordRank >= 0 ? 1 / (1 + a.meta.keywordRank) : 0,
    keyword_score_ratio: a.meta.keyword / sc.topKeyword,
    dense_rank: a.meta.denseRank >= 0 ? 1 / (1 + a.meta.denseRank) : 0,
    dense_z: 0,
    asks_number_has: has(q.wantsNumber, hasQuantity(s.replace(/\d+(?:\.\d+)?/gu, (m) => (qc.plain.includes(m) ? ' ' : m)), q.measure)),
    asks_person_has: has(q.wantsPerson, types.person),
    asks_place_has: has(q.wantsPlace, types.place),
    asks_time_has: has(q.wantsTime, types.time),
    asks_org_has: has(q.wantsOrg, types.org),
    asks_many_lead: q.wantsMany && si === a.leadIndex ? 1 : 0,
    // "去年" asks about last year: a sentence (with its neighbours) about this year answers another question.
    time_words_agree: qc.timeWords.length ? (qc.timeWords.every((t) => context.includes(t)) ? 1 : -1) : 0,
    relative_year_conflict: yearConflict(qc.text, s),
    new_content: Math.min(1, residualChars / 40),
    lead: si === a.leadIndex ? 1 : 0,
    position: a.spans.length > 1 ? si / (a.spans.length - 1) : 0,
    length: Math.min(1, Math.log1p(s.length) / Math.log1p(300)),
    in_quotation: a.quoted[si] ? 1 : 0,
    // The head noun after the wh-word (`哪个工区` → 工区) usually stands next to the answer.
    focus_in_sentence: q.focus ? (s.includes(q.focus) ? 1 : -1) : 0,
    unit_proximity: proximity(w, s),
    ...frameFeatures(q.whFrame, plain),
  };
}

const FRAME_SLOT_MAX = 40;

/**
 * How much of the question's frame around its wh-word the sentence keeps (the longest start of the
 * right side and the longest end of the left side it contains, over both sides' length), and
 * whether both sides stand in order with something between them: the slot where the answer goes.
 * A side counts from two characters, except a one-character left side (`以什么为食`) that closes
 * such a slot.
 */
export function frameFeatures(frame: QuestionAnalysis['whFrame'], plain: string): { wh_frame: number; wh_frame_slot: number } {
  if (!frame || frame.left.length + frame.right.length === 0) return { wh_frame: 0, wh_frame_slot: 0 };
  let kr = 0;
  let rightAt = -1;
  for (let k = frame.right.length; k >= 2 && kr === 0; k--) {
    rightAt = plain.indexOf(frame.right.slice(0, k));
    if (rightAt >= 0) kr = k;
  }
  let kl = 0;
  let slot = 0;
  for (let k = frame.left.length; k >= 1; k--) {
    const tail = frame.left.slice(-k);
    const before = rightAt - k - 1;
    const at = kr > 0 && before >= 0 ? plain.lastIndexOf(tail, before) : -1;
    if (at >= 0 && rightAt - (at + k) <= FRAME_SLOT_MAX) {
      kl = Math.max(kl, k);
      slot = 1;
      break;
    }
    if (kl === 0 && k >= 2 && plain.includes(tail)) kl = k;
  }
  return { wh_frame: (kl + kr) / (frame.left.length + frame.right.length), wh_frame_slot: slot };
}

export async function candidatesFor(
  index: SearchIndex,
  embedder: Embedder | null,
  question: string,
  opts: CandidateOptions = {},
): Promise<CandidateSet> {
  const qc = questionContext(index, question);
  const ropts = { k: opts.passages ?? 30, perArticle: 3, candidates: 60 };
  const retrieval = await retrieve(index, embedder, question, ropts);
  const keywordOnly = retrieval.keywordOnly ?? retrieval;
  const ranked = rankArticles(retrieval, keywordOnly, opts.articles ?? DEFAULT_CANDIDATE_ARTICLES, opts.denseOnly ?? 3);
  const w = qc.weights;
  const sc: Scene = {
    qc,
    unseen: w.total ? w.units.filter((u) => u.df === 0).reduce((a, u) => a + u.weight, 0) / w.total : 1,
    qLen: Math.max(1, qc.plain.length),
    qChars: [...new Set(w.units.flatMap((u) => [...u.text].filter((c) => /\p{Script=Han}/u.test(c))))],
    topKeyword: Math.max(1e-9, ...ranked.map((r) => r.keyword)),
  };
  const artCov = ranked.map((r) => {
    const v = viewOf(r.article);
    return coverageAnywhere(w, v.body, v.headline);
  });
  const candidates: Candidate[] = [];
  ranked.forEach((r, ai) => {
    const view = viewOf(r.article);
    const others = artCov.filter((_, j) => j !== ai);
    const a: ArticleScene = {
      ...view,
      rank: ai,
      meta: r,
      covArticle: artCov[ai] as number,
      margin: (artCov[ai] as number) - (others.length ? Math.max(...others) : 0),
      covHeadline: coverage(w, { sentence: view.headline, headline: '', passage: '' }),
    };
    a.spans.forEach((span, si) => {
      candidates.push({ article: a.article, start: span.start, end: span.end, sentenceIndex: si, articleRank: ai, features: sentenceFeatures(sc, a, si) });
    });
  });
  const bestCov = Math.max(0, ...candidates.map((c) => c.features.cov_sentence));
  for (const c of candidates) c.features.cov_gap_to_best = c.features.cov_sentence - bestCov;

  if (embedder && retrieval.queryVector && candidates.length > 0) {
    // Sentence vectors come from the index (computed at index time): only the question was embedded.
    const cos = await sentenceCosines(index, embedder, candidates, retrieval.queryVector);
    // On the index's own similarity scale (no per-model floor/ceiling set by hand).
    const scale = denseScale(index, cos);
    candidates.forEach((c, i) => {
      c.features.dense_z = scale(cos[i] as number);
    });
  }
  return { question: qc, retrieval, keywordRetrieval: keywordOnly, candidates };
}

/** The feature vector in SENTENCE_FEATURES order. */
export function featureVector(c: Candidate): number[] {
  return SENTENCE_FEATURES.map((n) => c.features[n]);
}

