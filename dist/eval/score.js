import { matchesExpected } from './dataset.js';
export function scoreItem(q, answer, articles, ms) {
    const cited = answer.citations.map((c) => articles.get(c.articleId)).filter((a) => a !== undefined);
    const isExpected = (a) => q.expected.some((e) => matchesExpected(a, e));
    const quoted = answer.quotes.map((x) => x.text).join('\n');
    let faithful = 0;
    for (const quote of answer.quotes) {
        const c = answer.citations.find((x) => x.n === quote.source);
        const a = c ? articles.get(c.articleId) : undefined;
        if (a && quote.text.length > 0 && a.text.includes(quote.text))
            faithful++;
    }
    const found = q.expected.filter((e) => cited.some((a) => matchesExpected(a, e))).length;
    return {
        id: q.id,
        type: q.type,
        answered: answer.answered,
        hit1: cited.slice(0, 1).some(isExpected),
        hit3: cited.slice(0, 3).some(isExpected),
        recall: q.expected.length ? found / q.expected.length : 0,
        contains: q.answer_contains.length > 0 && q.answer_contains.every((s) => quoted.includes(s)),
        refused: !answer.answered && answer.quotes.length === 0 && answer.citations.length === 0,
        quotes: answer.quotes.length,
        faithfulQuotes: faithful,
        ms,
    };
}
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
export function percentile(xs, p) {
    if (xs.length === 0)
        return 0;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
export function summarize(items) {
    const answerable = items.filter((i) => i.type !== 'ood');
    const ood = items.filter((i) => i.type === 'ood');
    const multi = items.filter((i) => i.type === 'multi');
    const quotes = items.reduce((a, i) => a + i.quotes, 0);
    const faithful = items.reduce((a, i) => a + i.faithfulQuotes, 0);
    const ms = items.map((i) => i.ms);
    return {
        n: items.length,
        hit1: mean(answerable.map((i) => Number(i.hit1))),
        hit3: mean(answerable.map((i) => Number(i.hit3))),
        recall: mean(multi.map((i) => i.recall)),
        contains: mean(answerable.map((i) => Number(i.contains))),
        refusal: mean(ood.map((i) => Number(i.refused))),
        fidelity: quotes ? faithful / quotes : null,
        p50_ms: round(percentile(ms, 50)),
        p95_ms: round(percentile(ms, 95)),
    };
}
export function report(items) {
    const types = [...new Set(items.map((i) => i.type))].sort();
    const english = items.filter((i) => i.type === 'english');
    return {
        overall: summarize(items),
        overallExclEnglish: summarize(items.filter((i) => i.type !== 'english')),
        byType: Object.fromEntries(types.map((t) => [t, summarize(items.filter((i) => i.type === t))])),
        englishRefused: mean(english.map((i) => Number(i.refused))),
        items,
    };
}
function round(x) {
    return Math.round(x * 10) / 10;
}
const fmt = (x) => (x === null ? '—' : x.toFixed(2));
/** Markdown table (README and terminal). */
export function formatReport(r) {
    const rows = [
        '| set | n | hit@1 | hit@3 | multi recall | answer-contains | ood refusal | quote fidelity | p50 ms | p95 ms |',
        '|---|---|---|---|---|---|---|---|---|---|',
    ];
    const line = (name, s) => `| ${name} | ${s.n} | ${fmt(s.hit1)} | ${fmt(s.hit3)} | ${fmt(s.recall)} | ${fmt(s.contains)} | ${fmt(s.refusal)} | ${fmt(s.fidelity)} | ${s.p50_ms} | ${s.p95_ms} |`;
    for (const [t, s] of Object.entries(r.byType))
        rows.push(line(t, s));
    rows.push(line('**all but english**', r.overallExclEnglish));
    rows.push(line('**all**', r.overall));
    if (r.englishRefused !== null)
        rows.push('', `english questions refused: ${fmt(r.englishRefused)}`);
    return rows.join('\n');
}
//# sourceMappingURL=score.js.map