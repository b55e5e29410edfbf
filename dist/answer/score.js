import { idfOf } from '../search/stats.js';
import { normalizeForMatch } from '../text/normalize.js';
import { STOPWORDS } from '../text/tokenize.js';
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN_ONLY = /^\p{Script=Han}+$/u;
/** Question scaffolding that is not a stopword in articles but carries nothing in a question. */
const QUESTION_WORDS = new Set(['最近', '近来', '目前', '现在', '请问', '一下', '知道', '告诉', '介绍', '有关', '关于', '哪位', '哪家', '叫什么', '什么样', '怎么样', '多少家', '多少件', '多少位', '多少个', '几年', '几个', '几家']);
/** Units of a question: words, single-character runs merged, Latin words and numbers. */
export function questionUnits(text) {
    const out = [];
    let run = '';
    const flush = () => {
        if (run)
            out.push(run);
        run = '';
    };
    for (const seg of segmenter.segment(normalizeForMatch(text))) {
        const w = seg.segment;
        if (!seg.isWordLike || STOPWORDS.has(w) || QUESTION_WORDS.has(w)) {
            flush();
            continue;
        }
        if (HAN_ONLY.test(w) && w.length === 1) {
            run += w;
            continue;
        }
        flush();
        out.push(w);
    }
    flush();
    return [...new Set(out)];
}
function bigrams(s) {
    const out = [];
    for (let i = 0; i + 2 <= s.length; i++)
        out.push(s.slice(i, i + 2));
    return out;
}
/**
 * A lone character next to a word joins it when the corpus knows the joint bigram:
 * `女|职工` → `女职工`, `通州|区` → `通州区`. Otherwise it stays a (weak) unit of its own.
 */
function attachSingles(units, stats) {
    const out = [...units];
    for (let i = 0; i < out.length; i++) {
        const u = out[i];
        if (u.length !== 1 || !HAN_ONLY.test(u))
            continue;
        const next = out[i + 1];
        const prev = out[i - 1];
        if (next && HAN_ONLY.test(next) && stats.df(u + next[0]) > 0) {
            out.splice(i, 2, u + next);
            i--;
        }
        else if (prev && HAN_ONLY.test(prev) && stats.df(prev[prev.length - 1] + u) > 0) {
            out.splice(i - 1, 2, prev + u);
            i -= 2;
        }
    }
    return out;
}
function unitDf(stats, unit) {
    if (!HAN_ONLY.test(unit) || unit.length <= 2)
        return stats.df(unit);
    // Longer Han units are indexed as bigrams: the rarest bigram bounds how many chunks can hold the unit.
    let min = Infinity;
    for (let i = 0; i + 2 <= unit.length; i++)
        min = Math.min(min, stats.df(unit.slice(i, i + 2)));
    return min;
}
export function weighTerms(q, stats) {
    const unseen = 0.5 * Math.log(1 + (stats.docCount + 0.5) / 0.5);
    const texts = [];
    for (const u of attachSingles(questionUnits(q.text), stats)) {
        // An unseen run like `去植树` (segmenter split `去|植|树`) still holds a known bigram (`植树`).
        if (u.length >= 3 && HAN_ONLY.test(u) && unitDf(stats, u) === 0) {
            const known = bigrams(u).filter((b) => stats.df(b) > 0);
            if (known.length > 0) {
                texts.push(...known.filter((b) => !texts.includes(b)));
                continue;
            }
        }
        if (!texts.includes(u))
            texts.push(u);
    }
    const units = texts.map((text) => {
        const df = unitDf(stats, text);
        let weight = df === 0 ? unseen : idfOf(stats.docCount, df);
        // A lone character (`树`, `讲`) says little on its own.
        if (HAN_ONLY.test(text) && text.length === 1)
            weight *= 0.3;
        return { text, weight, df };
    });
    return { units, total: units.reduce((a, u) => a + u.weight, 0) };
}
/** 1 when `text` contains the unit; for a long unit, partial credit for the bigrams it contains (`要注意` ~ `注意事项`). */
function matchIn(text, unit) {
    if (text.includes(unit))
        return 1;
    if (unit.length < 3 || !HAN_ONLY.test(unit))
        return 0;
    const bs = bigrams(unit);
    const found = bs.filter((b) => text.includes(b)).length;
    return (0.6 * found) / bs.length;
}
export function coverage(w, ctx) {
    if (w.total === 0)
        return 0;
    let got = 0;
    for (const u of w.units) {
        const m = Math.max(matchIn(ctx.sentence, u.text), 0.5 * matchIn(ctx.headline, u.text), 0.3 * matchIn(ctx.passage, u.text));
        got += m * u.weight;
    }
    return got / w.total;
}
/** Σ weight of the units the sentence itself contains: absolute evidence, independent of question length. */
export function evidence(w, ctx) {
    let got = 0;
    for (const u of w.units)
        if (u.df > 0 && (ctx.sentence.includes(u.text) || ctx.headline.includes(u.text)))
            got += u.weight;
    return got;
}
const HAS_NUMBER = /[0-9]|[一二三四五六七八九十两百千万亿][个家位件年次场名人天项处所条万千百余多]|[零一二三四五六七八九十百千万]+[年月日号]/u;
/** Units that answer for each other: a head count may be given in 人, 名 or 位. */
const MEASURE_EQUIV = { 人: '人名位', 名: '名人位', 位: '位名人', 个: '个家项处所', 点: '点时:：' };
const NUMERAL = '[0-9零一二三四五六七八九十两百千万亿]';
/** A number, in the question's unit when it names one (`1546件` for 多少件; `9点` or `9:30` for 几点). */
function hasQuantity(text, measure) {
    if (!measure)
        return HAS_NUMBER.test(text);
    const units = [...new Set([...((Object.hasOwn(MEASURE_EQUIV, measure) ? MEASURE_EQUIV[measure] : undefined) ?? measure)])].join('');
    return new RegExp(`${NUMERAL}(?:[余多])?(?:万|千|百)?(?:[${units}]|${measure})`, 'u').test(text);
}
/** `text` without the numbers the question itself contains (`2024年…多少` is not answered by 2024). */
function withoutNumbersOf(question, text) {
    let r = text;
    for (const m of question.matchAll(/\d+(?:\.\d+)?/gu))
        r = r.replaceAll(m[0], ' ');
    return r;
}
const DATES = /\d{1,2}月(?:\d{1,2}[日号])?|\d{4}年(?:度)?|\d{1,2}[日号]/gu;
const HAS_PLACE = /山|园|馆|基地|公园|中心|镇|村|街道|大厦|医院|现场|站|社区|项目|工地|学校|广场/u;
const HAS_PERSON_ROLE = /理事长|主席|书记|劳模|劳动模范|负责人|院长|经理|队长|班长|总监|专家|老师|传承人|带头人/u;
/**
 * Multiplier for what the question asks for; 1 when it asks nothing specific. Cues are looked for in
 * what the sentence says *beyond* the question (`residual`): `德胜街道` in the question does not make a
 * sentence repeating it an answer to "where".
 */
export function typeFactor(q, sentence, residual = sentence) {
    let f = 1;
    // Dates (`8月29日`, `2024年`) are not the quantity a "how many" question wants.
    // (On the sentence itself: blanking the question's words could cut `16位` out of `16位基层`.)
    if (q.wantsNumber)
        f *= hasQuantity(withoutNumbersOf(q.text, sentence.replace(DATES, ' ')), q.measure) ? 1.1 : 0.55;
    // "Where" is answered by a sentence naming a place the question did not already name.
    if (q.wantsPlace)
        f *= HAS_PLACE.test(residual) ? 1.2 : 0.6;
    if (q.wantsPerson && HAS_PERSON_ROLE.test(residual))
        f *= 1.1;
    // "去年" asks about last year: a sentence about this year's plan answers another question.
    if (q.text.includes('去年') && sentence.includes('今年') && !sentence.includes('去年'))
        f *= 0.8;
    if (q.text.includes('今年') && sentence.includes('去年') && !sentence.includes('今年'))
        f *= 0.8;
    return f;
}
/** The sentence with the question's own units blanked out. */
export function residualOf(w, sentence) {
    let r = sentence;
    for (const u of w.units)
        if (u.text.length >= 2)
            r = r.replaceAll(u.text, ' ');
    return r;
}
//# sourceMappingURL=score.js.map