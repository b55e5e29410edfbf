/**
 * Article → sentence-aligned chunks sized in model tokens.
 *
 * Guarantees (tested over every seed article): each chunk is `article.text.slice(start, end)`;
 * `tokens ≤ maxTokens` always; chunks start and end on sentence boundaries (or, for a sentence
 * longer than maxTokens, on `，,、；` clause boundaries, and as a last resort on characters);
 * consecutive chunks share `overlapSentences` units (fewer when that would break maxTokens, or
 * when the previous chunk is a single unit, which would make it redundant); together
 * they cover every sentence; a chunk never crosses articles.
 */
import { splitSentences } from '../text/sentences.js';
import type { Article, Chunk, SentenceSpan } from '../types.js';

/** Bump whenever chunk output for the same article can change (drives re-indexing). */
/** 2: `；` no longer ends a sentence. */
export const CHUNKER_VERSION = 2;

export const DEFAULT_TARGET_TOKENS = 200;
export const DEFAULT_OVERLAP_SENTENCES = 1;

export interface ChunkOptions {
  /** Model token count of a string (including special tokens), or `estimateTokens`. */
  countTokens: (text: string) => number;
  /** Hard ceiling: no chunk is ever longer. */
  maxTokens: number;
  /** Preferred chunk size; clamped to maxTokens. Default 200. */
  targetTokens?: number;
  /** Units repeated at the start of the next chunk. Default 1. */
  overlapSentences?: number;
  /** Id of the first chunk; the rest follow consecutively. */
  firstId: number;
}

/** Where a long sentence may be cut when it alone exceeds maxTokens. */
const CLAUSE_END = new Set(['，', ',', '、', '：', ':']);

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Cuts one span that exceeds `limit` into consecutive pieces that each fit `limit`.
 * Clause boundaries first, packing clauses greedily up to `pack`; a clause still too long is cut
 * by characters (binary search on the longest prefix that fits, never inside a surrogate pair).
 */
function splitLong(
  text: string,
  span: SentenceSpan,
  count: (s: number, e: number) => number,
  limit: number,
  pack: number,
): SentenceSpan[] {
  // Clause spans inside the sentence.
  const clauses: SentenceSpan[] = [];
  let s = span.start;
  for (let i = span.start; i < span.end; i++) {
    if (CLAUSE_END.has(text[i] as string)) {
      clauses.push({ start: s, end: i + 1 });
      s = i + 1;
    }
  }
  if (s < span.end) clauses.push({ start: s, end: span.end });

  // Any clause over the limit is cut by characters.
  const units: SentenceSpan[] = [];
  for (const c of clauses) {
    if (count(c.start, c.end) <= limit) {
      units.push(c);
      continue;
    }
    let from = c.start;
    while (from < c.end) {
      let lo = from + 1; // always fits (checked by the caller: one char ≤ maxTokens)
      let hi = c.end;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (count(from, mid) <= limit) lo = mid;
        else hi = mid - 1;
      }
      let to = lo;
      if (to < c.end && to > from + 1 && isHighSurrogate(text.charCodeAt(to - 1))) to--;
      else if (to < c.end && isHighSurrogate(text.charCodeAt(to - 1))) to++; // a lone pair must stay whole
      units.push({ start: from, end: to });
      from = to;
    }
  }

  // Pack neighbouring pieces back together up to `pack` tokens.
  const packed: SentenceSpan[] = [];
  for (const u of units) {
    const last = packed[packed.length - 1];
    if (last && count(last.start, u.end) <= pack) last.end = u.end;
    else packed.push({ ...u });
  }
  return packed;
}

/**
 * Splits one article into chunks.
 *
 * @example
 * const chunks = chunkArticle(article, { countTokens: estimateTokens, maxTokens: 256, firstId: 0 });
 * chunks.every((c) => c.text === article.text.slice(c.start, c.end)); // → true
 */
export function chunkArticle(article: Article, opts: ChunkOptions): Chunk[] {
  const { countTokens, maxTokens, firstId } = opts;
  const target = Math.min(opts.targetTokens ?? DEFAULT_TARGET_TOKENS, maxTokens);
  const overlap = Math.max(0, Math.floor(opts.overlapSentences ?? DEFAULT_OVERLAP_SENTENCES));
  if (!Number.isFinite(maxTokens) || maxTokens < 1) throw new RangeError(`maxTokens must be ≥ 1, got ${maxTokens}`);

  const text = article.text;
  const count = (s: number, e: number): number => countTokens(text.slice(s, e));

  // Units: sentences, with over-long ones cut into clause/character pieces.
  const units: SentenceSpan[] = [];
  for (const sp of splitSentences(text)) {
    if (count(sp.start, sp.end) <= maxTokens) {
      units.push(sp);
      continue;
    }
    const firstChar = String.fromCodePoint(text.codePointAt(sp.start) ?? 0);
    if (countTokens(firstChar) > maxTokens) {
      throw new RangeError(`maxTokens ${maxTokens} is too small to hold a single character (article ${article.id})`);
    }
    units.push(...splitLong(text, sp, count, maxTokens, target));
  }
  if (units.length === 0) return [];

  const chunks: Chunk[] = [];
  const push = (from: number, to: number): void => {
    const start = (units[from] as SentenceSpan).start;
    const end = (units[to] as SentenceSpan).end;
    const slice = text.slice(start, end);
    chunks.push({
      id: firstId + chunks.length,
      articleId: article.id,
      ordinal: chunks.length,
      start,
      end,
      text: slice,
      tokens: countTokens(slice),
    });
  };

  let next = 0; // first unit not yet in any chunk
  let prevFrom = -1; // first unit of the previous chunk
  let prevLast = -1; // last unit of the previous chunk
  while (next < units.length) {
    // Overlap: repeat the previous chunk's last units — never all of them (that chunk would be
    // redundant) — as many as still fit within maxTokens together with the next unit.
    let from = next;
    for (let k = Math.min(overlap, prevLast - prevFrom); k > 0; k--) {
      const cand = prevLast - k + 1;
      if (count((units[cand] as SentenceSpan).start, (units[next] as SentenceSpan).end) <= maxTokens) {
        from = cand;
        break;
      }
    }
    // Take the next unit (always fits maxTokens), then grow while within the target.
    let to = next;
    while (
      to + 1 < units.length &&
      count((units[from] as SentenceSpan).start, (units[to + 1] as SentenceSpan).end) <= target
    ) {
      to++;
    }
    push(from, to);
    prevFrom = from;
    prevLast = to;
    next = to + 1;
  }
  return chunks;
}

/** Chunks many articles with consecutive ids across all of them. */
export function chunkArticles(articles: readonly Article[], opts: ChunkOptions): Chunk[] {
  const all: Chunk[] = [];
  for (const a of articles) all.push(...chunkArticle(a, { ...opts, firstId: opts.firstId + all.length }));
  return all;
}
