/**
 * From a chosen sentence to the verbatim span a reader is shown: whole sentences only, the byline
 * prefix trimmed (unless it is the answer), and a quotation shown with the sentence that says who
 * spoke. Chinese reports usually name the speaker after the quotation (`“……。”某区总工会副主席某某指出，……`), sometimes
 * before it (`某某说：“……。……。”`). Every span is still an exact slice of article.text.
 */
import { bylinePrefixLength } from '../ingest/byline.js';
import type { SentenceSpan } from '../types.js';
import { MAX_QUOTE_CHARS } from '../rank/extend.js';

/** Sentences a quotation block may span before we stop extending (a speech is not one quote). */
const MAX_BLOCK = 4;

const count = (s: string, ch: string): number => s.split(ch).length - 1;

/** Paragraph number of each sentence (sentences never cross a newline). */
function paragraphsOf(text: string, spans: readonly SentenceSpan[]): number[] {
  const out: number[] = [];
  let para = 0;
  let pos = 0;
  for (const s of spans) {
    for (; pos < s.start; pos++) if (text.charCodeAt(pos) === 10) para++;
    out.push(para);
  }
  return out;
}

/**
 * The span to quote for sentence `i`: extended over the quotation it belongs to and the sentence
 * naming the speaker, then trimmed of the byline prefix (unless `keepByline`: its names are asked
 * for) and of a dangling closing quote.
 */
export function quoteSpan(
  text: string,
  spans: readonly SentenceSpan[],
  i: number,
  opts: { keepByline?: boolean } = {},
): { start: number; end: number; first: number; last: number } {
  const paras = paragraphsOf(text, spans);
  const at = (k: number): string => {
    const s = spans[k] as SentenceSpan;
    return text.slice(s.start, s.end);
  };
  // Quotation depth before each sentence of the paragraph.
  let first = i;
  let last = i;
  const depthBefore = (k: number): number => {
    let d = 0;
    for (let j = k - 1; j >= 0 && paras[j] === paras[k]; j--) {
      d += count(at(j), '“') - count(at(j), '”');
    }
    return Math.max(0, d);
  };
  const opensHere = count(at(i), '“') > count(at(i), '”');
  const inside = depthBefore(i) > 0;
  if (inside || opensHere) {
    // Walk back to the sentence that opened the quotation.
    if (inside) {
      let d = depthBefore(i);
      for (let j = i - 1; j >= 0 && paras[j] === paras[i] && i - j < MAX_BLOCK; j--) {
        d -= count(at(j), '“') - count(at(j), '”');
        first = j;
        if (d <= 0) break;
      }
    }
    // Forward to the sentence that closes it.
    let d = depthBefore(first);
    for (let j = first; j < spans.length && paras[j] === paras[i] && j - first < MAX_BLOCK; j++) {
      d += count(at(j), '“') - count(at(j), '”');
      last = Math.max(last, j);
      if (d <= 0) break;
    }
  }
  const blockText = text.slice((spans[first] as SentenceSpan).start, (spans[last] as SentenceSpan).end);
  const quotation = blockText.includes('“') && blockText.trimEnd().endsWith('”');
  const speakerBefore = quotation && /[：:，,]\s*“/u.test(at(first)) && !at(first).startsWith('“');
  // A quotation that opens the sentence and closes it has its speaker in the next sentence.
  if (quotation && !speakerBefore) {
    const next = last + 1;
    if (next < spans.length && paras[next] === paras[last] && !at(next).startsWith('“')) last = next;
  }
  if (first !== i || last !== i) {
    // Keep the chosen sentence's own quote when the block would be long: a quote is read on a phone.
    const len = (spans[last] as SentenceSpan).end - (spans[first] as SentenceSpan).start;
    if (len > MAX_QUOTE_CHARS) {
      first = i;
      last = Math.min(last, i + 1);
    }
  }
  let start = (spans[first] as SentenceSpan).start;
  let end = (spans[last] as SentenceSpan).end;
  if (!opts.keepByline) start += bylinePrefixLength(text.slice(start, end));
  const s = text.slice(start, end);
  if (count(s, '”') > count(s, '“') && s.endsWith('”')) end -= 1;
  if (count(s, '“') > count(s, '”') && s.startsWith('“')) start += 1;
  return { start, end, first, last };
}
