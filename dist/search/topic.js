import { BYLINE_PREFIX, DEFAULT_DENSE_SCALE } from '../answer/compose.js';
import { scaleDense } from '../answer/dense.js';
import { analyzeQuestion } from '../answer/question.js';
import { coverage, weighTerms } from '../answer/score.js';
import { splitSentences } from '../text/sentences.js';
import { normalizeForMatch } from '../text/normalize.js';
import { headlineOf } from '../types.js';
import { translateTerms } from '../text/glossary.js';
import { retrieve } from './retrieve.js';
import { termStatsOf } from './stats.js';
export const DEFAULT_TOPIC_THRESHOLD = 0.4;
/** Scores each candidate article for the topic; every article at or above the threshold, best first. */
export async function matchArticles(index, embedder, topic, opts = {}) {
    const threshold = opts.threshold ?? DEFAULT_TOPIC_THRESHOLD;
    return (await scoreTopic(index, embedder, topic, opts)).filter((s) => s.score >= threshold);
}
/** All candidate articles with their topic score (no threshold), best first — for calibration. */
export async function scoreTopic(index, embedder, topic, opts = {}) {
    const asked = analyzeQuestion(topic);
    const hybrid = index.mode === 'hybrid' && embedder !== null;
    // An English topic's words are matched through the domain glossary's Chinese terms; the model
    // (hybrid mode) also reads the topic as written.
    const q = asked.lang === 'en' ? analyzeQuestion(translateTerms(topic)) : asked;
    if (q.terms.length === 0 && !hybrid)
        return [];
    const retrieval = await retrieve(index, embedder, hybrid ? `${topic} ${q.text}`.trim() : q.text, {
        k: opts.candidates ?? 60,
        perArticle: 1,
        candidates: 300,
    });
    const all = weighTerms(q, termStatsOf(index));
    // A topic word the corpus never uses cannot tell its articles apart; only known words count.
    const units = all.units.filter((u) => u.df > 0);
    if (units.length === 0 && !hybrid)
        return [];
    const w = { units, total: units.reduce((a, u) => a + u.weight, 0) };
    const dense = opts.dense ?? DEFAULT_DENSE_SCALE;
    const out = [];
    for (const p of retrieval.passages) {
        const a = p.article;
        const headline = normalizeForMatch(headlineOf(a));
        const h = coverage(w, { sentence: headline, headline: '', passage: '' });
        let best = 0;
        let bestSpan = { start: 0, end: 0 };
        let support = 0;
        const covs = [];
        for (const span of splitSentences(a.text)) {
            const text = a.text.slice(span.start, span.end);
            const c = coverage(w, { sentence: normalizeForMatch(text), headline: '', passage: '' });
            covs.push(c);
            if (c > best) {
                best = c;
                bestSpan = span;
            }
        }
        for (const c of covs)
            if (c >= 0.5)
                support++;
        // Headline carries the topic, the best sentence states it, and it recurs through the article.
        const density = covs.length ? Math.min(1, (3 * support) / covs.length) : 0;
        const lexical = 0.4 * h + 0.35 * best + 0.25 * density;
        // Hybrid mode: the article's best passage, read by the model, can vouch for it too.
        const score = hybrid && p.denseScore !== undefined ? Math.max(lexical, scaleDense(p.denseScore, dense)) : lexical;
        let key = a.text.slice(bestSpan.start, bestSpan.end);
        key = key.replace(BYLINE_PREFIX, '');
        out.push({ article: a, score: Math.round(score * 1000) / 1000, keySentence: key });
    }
    return out.sort((x, y) => y.score - x.score);
}
//# sourceMappingURL=topic.js.map