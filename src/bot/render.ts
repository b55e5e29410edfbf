/**
 * The ONE place where answers, passages and listings become Telegram messages — HTML, which every
 * send gets by default (`html-default.ts`).
 *
 * Rules every function here keeps:
 * - every character that comes from a user, an article or a translation goes through {@link escapeHtml};
 * - a message is at most {@link MAX_MESSAGE} characters of HTML source (stricter than Telegram's
 *   4096 visible characters, so it holds whatever the escaping adds);
 * - long content is split between blocks, else at sentence ends, else at commas/spaces, and only
 *   then hard between code points — always on the raw text before escaping, so a split can never
 *   fall inside a tag or an `&entity;`, and every message is valid on its own.
 *
 * ```ts
 * for (const html of renderAnswer(answer, ctx.t)) await ctx.reply(html);
 * ```
 */
import type { InlineQueryResultArticle } from 'grammy/types';
import { citationHtml, citeLang, headlineHtml, publicationLine, sourceDetails } from '../citation.js';
import { escapeHtml, MAX_MESSAGE } from '../text/html.js';
import { sentencePieces } from '../text/sentences.js';
import { headlineOf, type Answer, type Article, type Citation, type Lang, type Quote } from '../types.js';
import type { EngineStatus, IndexSummary } from '../engine.js';
import type { SearchIndex } from '../store/types.js';

export { MAX_MESSAGE };

/** A bound translation function (`ctx.t`, or `(k, v) => t(lang, k, v)`); its output is plain text. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export { escapeHtml };

// ------------------------------------------------------------------------------------------------
// Splitting

/** Where a piece too long for one message may be cut when it has no sentence end: clause marks and spaces. */
const SOFT_BREAK = new Set(['；', '，', '、', '：', ',', ';', ':', ' ', '\u3000']);

function splitSoft(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of text) {
    cur += c;
    if (SOFT_BREAK.has(c)) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Cuts raw text into pieces whose *rendered* size (`measure(piece)`) is ≤ budget:
 * sentences first (src/text/sentences.ts), then soft breaks (`；` and commas among them), then code points. Pieces concatenate back to `text`.
 */
export function chunkText(text: string, budget: number, measure: (piece: string) => number = (p) => escapeHtml(p).length): string[] {
  if (measure(text) <= budget) return [text];
  const levels: ((s: string) => string[])[] = [sentencePieces, splitSoft, (s) => Array.from(s)];
  const pack = (units: string[], level: number): string[] => {
    const out: string[] = [];
    let cur = '';
    for (const u of units) {
      if (measure(u) > budget) {
        if (cur) out.push(cur);
        cur = '';
        const finer = levels[level + 1];
        if (!finer) throw new Error(`chunkText: budget ${budget} cannot hold a single character`);
        out.push(...pack(finer(u), level + 1));
        continue;
      }
      if (measure(cur + u) <= budget) cur += u;
      else {
        if (cur) out.push(cur);
        cur = u;
      }
    }
    if (cur) out.push(cur);
    return out;
  };
  return pack(levels[0]!(text), 0);
}

/** Packs HTML blocks (each already ≤ limit) into messages joined by `sep`, never splitting a block. */
export function packBlocks(blocks: readonly string[], limit = MAX_MESSAGE, sep = '\n'): string[] {
  const out: string[] = [];
  let cur = '';
  for (const b of blocks) {
    if (b.length > limit) throw new Error(`packBlocks: block of ${b.length} > ${limit}`);
    if (!cur) cur = b;
    else if (cur.length + sep.length + b.length <= limit) cur += sep + b;
    else {
      out.push(cur);
      cur = b;
    }
  }
  if (cur) out.push(cur);
  return out.map((m) => m.replace(/^\n+/u, ''));
}

// ------------------------------------------------------------------------------------------------
// Answers

/** `kicker title` as printed (kicker omitted when absent). */
export const headline = headlineOf;

/** `[n] headline — 《paper》date page · byline` (see src/citation.ts): headline linked to the url; never the file name. */
export function sourceLine(c: Pick<Citation, 'n' | 'kicker' | 'title' | 'byline' | 'meta'>, lang: Lang = 'zh'): string {
  return `[${c.n}] ${citationHtml(c, lang)}`;
}

/** One quote as one or more `<blockquote>`s, each ending with its [n] and each ≤ limit. */
export function quoteBlocks(q: Pick<Quote, 'text' | 'source'>, limit = MAX_MESSAGE): string[] {
  const wrap = (s: string) => `<blockquote>${escapeHtml(s.trim())} [${q.source}]</blockquote>`;
  const overhead = wrap('').length;
  return chunkText(q.text.trim(), limit - overhead).map(wrap);
}

/**
 * An answered question → messages: the quotes (one blockquote each, ending with [n]) and then the
 * numbered sources. Splits only between blocks / at sentence ends; every message is valid HTML.
 */
export function renderAnswer(answer: Answer, tr: Translate, limit = MAX_MESSAGE): string[] {
  const blocks: string[] = [];
  for (const q of answer.quotes) blocks.push(...quoteBlocks(q, limit));
  const cited = new Set(answer.quotes.map((q) => q.source));
  const sources = answer.citations.filter((c) => cited.has(c.n)).sort((a, b) => a.n - b.n);
  const heading = `\n<b>${escapeHtml(tr('answer-sources'))}</b>`;
  const lang = citeLang(tr);
  const lines = sources.flatMap((c) => {
    const l = sourceLine(c, lang);
    if (l.length <= limit) return [l];
    // Absurdly long: cut the plain (unlinked) line, so no cut falls inside a tag.
    const details = sourceDetails(c, lang);
    return chunkText(`[${c.n}] ${headline(c)}${details ? ` — ${details}` : ''}`, limit).map(escapeHtml);
  });
  // The heading travels with at least the first source line.
  if (lines.length > 0) blocks.push(`${heading}\n${lines[0]!}`.length <= limit ? `${heading}\n${lines.shift()!}` : heading, ...lines);
  return packBlocks(blocks, limit);
}

/**
 * A refusal: what happened, what the reports cover (examples), how to rephrase; plus, when the
 * engine refused for want of a model (`Answer.refusal` = `needs-model`: English, keyword-only), the note saying so.
 */
export function renderRefusal(tr: Translate, opts: { examples: readonly string[]; reason: Answer['refusal'] }): string {
  const parts = [escapeHtml(tr('refusal-intro'))];
  if (opts.examples.length) parts.push(`${escapeHtml(tr('refusal-examples'))}\n${opts.examples.map((e) => `• ${escapeHtml(e)}`).join('\n')}`);
  parts.push(escapeHtml(tr('refusal-rephrase')));
  if (opts.reason === 'needs-model') parts.push(`<i>${escapeHtml(tr('refusal-english-keyword'))}</i>`);
  return clip(parts.join('\n\n'), MAX_MESSAGE);
}

/** Last-resort guard for short texts built from bounded parts. */
function clip(html: string, limit: number): string {
  return html.length <= limit ? html : packBlocks(html.split('\n').flatMap((l) => chunkText(l, limit, (s) => s.length)), limit)[0]!;
}

// ------------------------------------------------------------------------------------------------
// 原文 n: the passage in context

function articleHeader(a: Article, lang: Lang): string {
  const details = sourceDetails(a, lang);
  return `<b>${headlineHtml(a)}</b>${details ? `\n${escapeHtml(details)}` : ''}`;
}

/**
 * The paragraph(s) around `[start, end)` of `article.text`, the quoted range in bold, under the
 * headline, page and byline. Narrows to the quote's own paragraphs, then to a window around the
 * quote, until it fits. undefined when the range is not inside the article (stale button).
 */
export function renderPassage(article: Article, start: number, end: number, limit = MAX_MESSAGE, lang: Lang = 'zh'): string | undefined {
  const text = article.text;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= text.length)) return undefined;
  const paraStart = (i: number) => text.lastIndexOf('\n', i - 1) + 1;
  const paraEnd = (i: number) => {
    const n = text.indexOf('\n', i);
    return n === -1 ? text.length : n;
  };
  const qs = paraStart(start);
  const qe = paraEnd(end - 1 < start ? start : end - 1);
  // widest: one paragraph before and after the quote's paragraphs
  let ws = qs > 0 ? paraStart(qs - 1) : qs;
  let we = qe < text.length ? paraEnd(qe + 1) : qe;
  let qEnd = end;
  const header = articleHeader(article, lang);
  const body = (s: number, e: number) => {
    const esc = (x: string) => escapeHtml(x).replace(/\n/gu, '\n\n');
    const pre = (s > 0 && text[s - 1] !== '\n' ? '…' : '') + esc(text.slice(s, start));
    const post = esc(text.slice(qEnd, e)) + (e < text.length && text[e] !== '\n' ? '…' : '');
    const quoteTail = qEnd < end ? '…' : '';
    return `${pre}<b>${esc(text.slice(start, qEnd))}${quoteTail}</b>${post}`;
  };
  const render = () => `${header}\n\n${body(ws, we)}`;
  let margin = Number.POSITIVE_INFINITY;
  for (let guard = 0; guard < 200; guard++) {
    const html = render();
    if (html.length <= limit) return html;
    if (ws < qs || we > qe) {
      ws = qs;
      we = qe;
      continue;
    }
    if (margin === Number.POSITIVE_INFINITY) margin = Math.max(start - ws, we - qEnd);
    if (margin > 0) {
      margin = Math.floor(margin * 0.7);
      ws = Math.max(qs, start - margin);
      we = Math.min(qe, qEnd + margin);
      continue;
    }
    qEnd = start + Math.max(1, Math.floor((qEnd - start) * 0.7));
    if (text.charCodeAt(qEnd - 1) >= 0xd800 && text.charCodeAt(qEnd - 1) <= 0xdbff) qEnd += 1; // keep surrogate pairs whole
    we = qEnd;
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// Inline mode

const truncate = (s: string, max: number) => {
  const cps = Array.from(s.replace(/\s+/gu, ' ').trim());
  return cps.length <= max ? cps.join('') : `${cps.slice(0, max - 1).join('')}…`;
};

/** Up to `max` article results: each quote with its source line, as a self-contained HTML message. */
export function renderInlineResults(answer: Answer, idPrefix: string, max = 5, lang: Lang = 'zh'): InlineQueryResultArticle[] {
  const byN = new Map(answer.citations.map((c) => [c.n, c]));
  return answer.quotes.slice(0, max).flatMap((q, i) => {
    const c = byN.get(q.source);
    if (!c) return [];
    const src = sourceLine(c, lang);
    const [first] = quoteBlocks(q, MAX_MESSAGE - src.length - 1);
    return [
      {
        type: 'article' as const,
        id: `${idPrefix}-${i}`,
        title: truncate(headline(c), 64) || '—',
        description: truncate(q.text, 120),
        input_message_content: { message_text: `${first!}\n${src}` },
      },
    ];
  });
}

// ------------------------------------------------------------------------------------------------
// Listings

/**
 * /sources: every indexed article grouped by page. Readers see each page as it is cited (paper, date,
 * page — or "版面 n" without metadata) and never a file name; admins (`files: true`) see the page files.
 */
export function renderSources(index: SearchIndex, tr: Translate, limit = MAX_MESSAGE, opts: { files?: boolean } = {}): string[] {
  const byFile = new Map<string, Article[]>();
  for (const a of index.articles.values()) {
    const list = byFile.get(a.file) ?? [];
    list.push(a);
    byFile.set(a.file, list);
  }
  const files = [...byFile.keys()].sort();
  const lang = citeLang(tr);
  const blocks = [`<b>${escapeHtml(tr('sources-heading', { pages: files.length, articles: index.articles.size }))}</b>`];
  for (const [i, f] of files.entries()) {
    const arts = byFile.get(f)!.sort((a, b) => a.position - b.position);
    const lines = arts.map((a) => {
      const photo = a.kind === 'photo' ? ` ${escapeHtml(tr('sources-photo'))}` : '';
      const by = a.byline ? ` · ${escapeHtml(a.byline)}` : '';
      return `• ${headlineHtml(a)}${photo}${by}`;
    });
    const pub = publicationLine(arts[0]?.meta, lang);
    const title = opts.files ? (pub ? `${f} · ${pub}` : f) : (pub ?? tr('sources-page', { n: i + 1 }));
    const heading = `\n<b>${escapeHtml(title)}</b>`;
    const block = [heading, ...lines].join('\n');
    if (block.length <= limit) blocks.push(block);
    else blocks.push(heading, ...lines.map((l, j) => (l.length <= limit ? l : `• ${escapeHtml(truncate(headline(arts[j]!), 200))}`)));
  }
  return packBlocks(blocks, limit);
}

/** /status: LOUD when keyword-only, with the model error. */
export function renderStatus(s: EngineStatus, tr: Translate): string {
  const lines: string[] = [];
  if (s.mode === 'keyword') {
    lines.push(`<b>⚠️ ${escapeHtml(tr('status-keyword-loud'))}</b>`);
    if (s.modelError) lines.push(`<code>${escapeHtml(truncate(s.modelError, 1500))}</code>`);
  } else {
    lines.push(`<b>✅ ${escapeHtml(tr('status-hybrid'))}</b>`);
  }
  lines.push(
    escapeHtml(tr('status-model', { model: s.model })),
    escapeHtml(tr('status-counts', { pages: s.pages, articles: s.articles, chunks: s.chunks })),
    escapeHtml(tr('status-indexed-at', { at: s.indexedAt ?? tr('status-never') })),
  );
  return clip(lines.join('\n'), MAX_MESSAGE);
}

/** The /reindex report. */
export function renderReindexDone(s: IndexSummary, tr: Translate): string {
  const lines = [
    escapeHtml(tr('reindex-done', { mode: s.mode, articles: s.articles, chunks: s.chunks })),
    escapeHtml(tr('reindex-delta', { added: s.added, changed: s.changed, removed: s.removed, unchanged: s.unchanged, embedded: s.embedded })),
  ];
  for (const sk of s.skipped.slice(0, 20)) lines.push(`• ${escapeHtml(tr('reindex-skipped', { file: sk.file, error: truncate(sk.error, 200) }))}`);
  return clip(lines.join('\n'), MAX_MESSAGE);
}

/** /start: welcome, example questions (tap to copy), how to use it elsewhere. */
export function renderWelcome(tr: Translate, opts: { examples: readonly string[]; bot: string }): string {
  const parts = [`<b>${escapeHtml(tr('welcome-title'))}</b>`, escapeHtml(tr('welcome-body'))];
  if (opts.examples.length) {
    parts.push(`${escapeHtml(tr('welcome-examples'))}\n${opts.examples.map((e) => `• <code>${escapeHtml(e)}</code>`).join('\n')}`);
  }
  parts.push(escapeHtml(tr('welcome-more', { bot: opts.bot })));
  return clip(parts.join('\n\n'), MAX_MESSAGE);
}
