import { retrieve } from '../search/retrieve.js';
import { termStatsOf } from '../search/stats.js';
import { splitSentences } from '../text/sentences.js';
import { normalizeForMatch } from '../text/normalize.js';
import { citationOf, headlineOf } from '../types.js';
import { analyzeQuestion } from './question.js';
import { cosine, scaleDense, sentenceVectors } from './dense.js';
import { coverage, residualOf, typeFactor, weighTerms } from './score.js';
import { moreQuotes } from './more.js';
export const DEFAULT_DENSE_SCALE = { floor: 0.78, ceil: 0.92 };
export const DEFAULT_THRESHOLD = 0.35;
/** The byline prefix (`本报讯（记者 X）`) is not part of what a sentence says. */
export const BYLINE_PREFIX = /^本报讯\s*[（(][^）)]*[）)]\s*/u;
/**
 * Trims what is not part of the sentence's own words: the byline prefix, and a closing quote whose
 * opening quote lies in an earlier sentence (`…14708人。”`). The result is still a verbatim slice.
 */
function trimSpan(text, start, end) {
    const m = BYLINE_PREFIX.exec(text.slice(start, end));
    if (m)
        start += m[0].length;
    const s = text.slice(start, end);
    const opens = (s.match(/“/gu) ?? []).length;
    const closes = (s.match(/”/gu) ?? []).length;
    if (closes > opens && s.endsWith('”'))
        end -= 1;
    return { start, end };
}
function refusal(question, mode, why) {
    return { question, answered: false, mode, quotes: [], citations: [], refusal: why };
}
/** True when some indexed article literally mentions `name`. */
function corpusMentions(index, name) {
    for (const hit of index.keywordSearch(name, 5)) {
        const chunk = index.chunks.get(hit.chunkId);
        if (!chunk)
            continue;
        const article = index.articles.get(chunk.articleId);
        if (chunk.text.includes(name) || (article && headlineOf(article).includes(name)))
            return true;
    }
    return false;
}
const leadCache = new WeakMap();
/**
 * Start of the article's lead: its first sentence naming a union (`…总工会开展…`) within the first
 * paragraph, else its first sentence. Reports sometimes open with a quote before saying who did what.
 */
export function leadStart(article) {
    let v = leadCache.get(article);
    if (v === undefined) {
        const firstPara = article.text.split('\n', 1)[0] ?? '';
        const spans = splitSentences(firstPara);
        const named = spans.find((s) => firstPara.slice(s.start, s.end).includes('工会'));
        v = (named ?? spans[0])?.start ?? 0;
        leadCache.set(article, v);
    }
    return v;
}
/** Scores every sentence of the retrieved passages (plus article leads for "which …" questions). */
export function scoreCandidates(index, q, w, passages) {
    const seen = new Set();
    const out = [];
    const consider = (article, chunkText, chunkStart, prior) => {
        const headline = normalizeForMatch(headlineOf(article));
        const passage = normalizeForMatch(chunkText);
        // A question naming a place is about that place: an article that never mentions it answers another question.
        const placeFactor = q.places.every((p) => headline.includes(p) || article.text.includes(p)) ? 1 : 0.5;
        const spans = splitSentences(chunkText);
        spans.forEach((span) => {
            const start = chunkStart + span.start;
            const end = chunkStart + span.end;
            const key = `${article.id}:${start}`;
            if (seen.has(key))
                return;
            seen.add(key);
            const text = article.text.slice(start, end);
            const lead = start === leadStart(article);
            const sentence = normalizeForMatch(text);
            const factor = typeFactor(q, sentence, residualOf(w, sentence));
            let score = coverage(w, { sentence, headline, passage }) * factor * placeFactor;
            const typeOk = !q.wantsNumber || factor >= 1;
            // "Which unions …?" is answered by who did what: the lead sentence names the actor.
            if (q.wantsMany && lead)
                score *= 1.15;
            const matchedUnits = w.units.filter((u) => u.df > 0 && u.text.length >= 2 && (sentence.includes(u.text) || headline.includes(u.text))).length;
            out.push({ article, start, end, score, lead, prior, typeOk, matchedUnits, dense: 0 });
        });
    };
    for (const p of passages) {
        consider(p.article, p.chunk.text, p.chunk.start, p.score);
        if (q.wantsMany && p.chunk.ordinal !== 0) {
            const first = index.chunksOf(p.article.id)[0];
            if (first)
                consider(p.article, first.text, first.start, p.score);
        }
    }
    // The best-retrieved articles are read whole: the answering sentence may sit in a chunk that
    // matched the question less well than the article's other chunks did.
    const whole = [...new Set(passages.map((p) => p.article.id))].slice(0, WHOLE_ARTICLES);
    for (const id of whole) {
        const p = passages.find((x) => x.article.id === id);
        if (!p)
            continue;
        for (const c of index.chunksOf(id))
            consider(p.article, c.text, c.start, p.score * 0.999);
    }
    // Ties (common for short questions) go to the better-retrieved passage.
    return out.sort((a, b) => b.score - a.score || b.prior - a.prior || a.start - b.start);
}
/**
 * Picks quotes. Plain questions: the best article, its best sentence, and a second sentence of it when
 * nearly as good or when it names what a "哪些/什么 X" question asks for (the lead says who, the next
 * sentence lists what). "Which …" questions: every article within reach of the best (≤4), each quoted by
 * its lead sentence when the lead is nearly as good (it names the actor), else its best sentence.
 */
/**
 * Enough evidence to answer at all: a sentence covering the question well, or — for questions in
 * everyday words the reports never use — a moderately covered sentence in an article that clearly
 * beats every other article.
 */
export function confident(ranked, threshold, knownUnits = 2) {
    const best = ranked[0];
    if (!best)
        return false;
    // One shared word (`天气`) between a question and a report is chance, not an answer —
    // unless the model says the meaning matches (cross-language and paraphrase questions).
    if (knownUnits >= 2 && best.matchedUnits < 2 && best.dense < 0.5)
        return false;
    // "How many …?" with no quantity in the best sentence: the reports do not give that number.
    if (!best.typeOk)
        return false;
    if (best.score >= threshold)
        return true;
    const rival = ranked.find((s) => s.article.id !== best.article.id);
    return best.score >= CLEAR_WINNER.score && best.score - (rival?.score ?? 0) >= CLEAR_WINNER.margin;
}
/** Calibrated on the dev set: below `threshold`, answer only a clear winner (see `confident`). */
export const CLEAR_WINNER = { score: 0.25, margin: 0.15 };
export function selectQuotes(q, ranked, threshold, maxQuotes, 
/** Whether the focus word is specific enough to look for (generic words like 活动 are not). */
focusUsable = true, 
/** Question words of two or more characters the corpus knows. */
knownUnits = 2) {
    const best = ranked[0];
    if (!best || !confident(ranked, threshold, knownUnits))
        return [];
    const byArticle = new Map();
    for (const s of ranked) {
        const list = byArticle.get(s.article.id) ?? [];
        list.push(s);
        byArticle.set(s.article.id, list);
    }
    const tops = [...byArticle.values()].map((l) => l[0]);
    const floor = q.wantsMany ? Math.max(Math.min(threshold, best.score), MULTI_RATIO * best.score) : 0.97 * best.score;
    const articles = tops.filter((s) => s.score >= floor).slice(0, maxQuotes);
    const picked = [];
    for (const top of articles) {
        const sentences = byArticle.get(top.article.id) ?? [];
        if (articles.length > 1) {
            const lead = sentences.find((s) => s.lead);
            picked.push(lead && lead.score >= 0.75 * top.score ? lead : top);
            continue;
        }
        picked.push(top);
        const focus = focusUsable ? q.focus : null;
        const extra = (focus ? sentences.find((s) => s !== top && s.score >= 0.3 * top.score && mentions(normalizeForMatch(s.article.text.slice(s.start, s.end)), focus)) : undefined) ??
            sentences.find((s) => s !== top && s.score >= 0.8 * top.score);
        if (extra)
            picked.push(extra);
    }
    return picked.slice(0, maxQuotes);
}
/** `text` names `word`, or for a longer word one of its bigrams (`要注意` ~ `注意事项`). */
function mentions(text, word) {
    if (text.includes(word))
        return true;
    for (let i = 0; word.length >= 3 && i + 2 <= word.length; i++)
        if (text.includes(word.slice(i, i + 2)))
            return true;
    return false;
}
/** How many of the best-retrieved articles have all their sentences scored. */
export const WHOLE_ARTICLES = 2;
/** "Which …" questions cite every article scoring at least this share of the best one. */
export const MULTI_RATIO = 0.5;
export async function answerQuestion(index, embedder, question, opts = {}) {
    const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
    const maxQuotes = opts.maxQuotes ?? 4;
    const q = analyzeQuestion(question);
    const keywordOnly = index.mode !== 'hybrid' || embedder === null;
    const mode = keywordOnly ? 'keyword' : 'hybrid';
    if (q.terms.length === 0)
        return refusal(question, mode, 'empty');
    // Keyword-only cannot bridge English questions to Chinese reports; say so instead of guessing.
    if (keywordOnly && q.lang === 'en')
        return refusal(question, mode, 'needs-model');
    // A place the reports never mention (`石景山区…`) means the reports cannot answer.
    if (q.places.some((p) => !corpusMentions(index, p)))
        return refusal(question, mode, 'no-match');
    const retrieval = await retrieve(index, embedder, question, { k: opts.passages ?? 12, perArticle: 3 });
    if (retrieval.passages.length === 0)
        return refusal(question, mode, 'no-match');
    const stats = termStatsOf(index);
    const w = weighTerms(q, stats);
    let ranked = scoreCandidates(index, q, w, retrieval.passages);
    if (!keywordOnly && embedder && ranked.length > 0) {
        const qv = retrieval.queryVector ?? (await embedder.embedQuery(question));
        ranked = await addDenseEvidence(index, embedder, qv, ranked, retrieval.passages.map((p) => p.article.id), opts);
    }
    const focusUsable = q.focus !== null && stats.df(q.focus) <= 0.2 * stats.docCount;
    const knownUnits = w.units.filter((u) => u.df > 0 && u.text.length >= 2).length;
    const picked = selectQuotes(q, ranked, threshold, maxQuotes, focusUsable, knownUnits);
    if (picked.length === 0)
        return refusal(question, mode, 'weak-evidence');
    const citations = [];
    const quotes = [];
    const numberOf = new Map();
    for (const s of picked) {
        let n = numberOf.get(s.article.id);
        if (n === undefined) {
            n = citations.length + 1;
            numberOf.set(s.article.id, n);
            const a = s.article;
            citations.push(citationOf(a, n, round(s.score)));
        }
        const span = trimSpan(s.article.text, s.start, s.end);
        quotes.push({ text: s.article.text.slice(span.start, span.end), source: n, articleId: s.article.id, start: span.start, end: span.end });
    }
    // Quotes of the same source read in article order.
    quotes.sort((a, b) => a.source - b.source || a.start - b.start);
    // 更多 / More (src/answer/more.ts): the next-best sentences, by the "which …" floor of selectQuotes.
    const more = moreQuotes(ranked, quotes, { floor: Math.max(Math.min(threshold, ranked[0].score), MULTI_RATIO * ranked[0].score), trim: trimSpan, round });
    return { question, answered: true, mode, quotes, citations, ...(more.quotes.length ? { more } : {}) };
}
/**
 * Hybrid mode: scores the strongest candidate sentences (lexically best, plus those of the best
 * retrieved articles — an English question shares no words with them) and lets a sentence's score be
 * the larger of its lexical and its dense evidence.
 */
async function addDenseEvidence(index, embedder, qv, ranked, articleOrder, opts) {
    const n = opts.denseCandidates ?? 32;
    const topArticles = new Set(articleOrder.slice(0, 6));
    const chosen = new Set(ranked.slice(0, n / 2));
    for (const s of ranked) {
        if (chosen.size >= n)
            break;
        if (topArticles.has(s.article.id))
            chosen.add(s);
    }
    const list = [...chosen];
    const vecs = await sentenceVectors(index, embedder, list);
    const scale = opts.dense ?? DEFAULT_DENSE_SCALE;
    list.forEach((s, i) => {
        s.dense = scaleDense(cosine(qv, vecs[i]), scale);
        if (s.typeOk)
            s.score = Math.max(s.score, s.dense);
    });
    return [...ranked].sort((a, b) => b.score - a.score || b.prior - a.prior || a.start - b.start);
}
function round(x) {
    return Math.round(x * 1000) / 1000;
}
//# sourceMappingURL=compose.js.map