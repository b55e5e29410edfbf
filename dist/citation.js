/**
 * The ONE citation formatter: how a source reads wherever a reader sees it — answers, the 原文
 * view, inline results, digests and /subscribe previews.
 *
 * With page metadata (see src/ingest/front-matter.ts) a source reads as the paper is cited:
 * `《劳动午报》2024年3月12日 第3版 · 记者 宗晓畅` (English: `劳动午报, 12 March 2024, p. 3 · 记者 宗晓畅`),
 * and the headline links to the report's url. Without metadata the headline and byline stand alone:
 * page file names are for operators (`ask --json`, admin `/sources`, logs), never shown to readers.
 *
 * ```ts
 * citationHtml({ kicker: null, title: 'T', byline: '记者 X', meta: { paper: '劳动午报', page: '3' } }, 'zh');
 * // → 'T — 《劳动午报》第3版 · 记者 X'
 * ```
 */
import { escapeHtml } from './text/html.js';
import { headlineOf } from './types.js';
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/**
 * The language citations are written in, read from a bound translation function (`ctx.t`,
 * `(k, v) => t(lang, k, v)`): each locale's `cite-style` message says `zh` or `en`.
 */
export function citeLang(tr) {
    return tr('cite-style').trim() === 'en' ? 'en' : 'zh';
}
/** Paper, date and page as a reader cites them; undefined when none is known. */
export function publicationLine(meta, lang) {
    if (!meta)
        return undefined;
    const [y, m, d] = meta.date ? meta.date.split('-').map(Number) : [];
    const numeric = meta.page !== undefined && /^\d+$/u.test(meta.page);
    if (lang === 'zh') {
        const paper = meta.paper ? `《${meta.paper}》` : '';
        const date = y ? `${y}年${m}月${d}日` : '';
        const page = meta.page ? (numeric ? `第${meta.page}版` : `${meta.page}版`) : '';
        const s = `${paper}${date}${date && page ? ' ' : ''}${page}`;
        return s || undefined;
    }
    const parts = [meta.paper, y ? `${d} ${EN_MONTHS[(m ?? 1) - 1]} ${y}` : undefined, meta.page ? `p. ${meta.page}` : undefined].filter(Boolean);
    return parts.length ? parts.join(', ') : undefined;
}
/** Plain text after the headline: `publication · byline`, either alone, or '' (never a file name). */
export function sourceDetails(c, lang) {
    return [publicationLine(c.meta, lang), c.byline ?? undefined].filter(Boolean).join(' · ');
}
/** The headline, escaped, linked to the report's url when there is one. */
export function headlineHtml(c) {
    const h = escapeHtml(headlineOf(c));
    return c.meta?.url ? `<a href="${escapeHtml(c.meta.url)}">${h}</a>` : h;
}
/** `headline — publication · byline` as HTML (headline linked); `headline` alone without details. */
export function citationHtml(c, lang) {
    const details = sourceDetails(c, lang);
    return details ? `${headlineHtml(c)} — ${escapeHtml(details)}` : headlineHtml(c);
}
//# sourceMappingURL=citation.js.map