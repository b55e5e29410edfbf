/**
 * Sentence splitting for Chinese newspaper text with mixed full- and half-width punctuation.
 * Spans point into the original string, so quotes can always be cut verbatim.
 */
import type { SentenceSpan } from '../types.js';

/**
 * Characters that end a sentence: `。！？…` and their half-width twins `!?`. A `；` joins clauses of
 * one sentence (lists of measures, parallel statements): a quote cut there reads as half an answer.
 */
const TERMINALS = new Set(['。', '！', '？', '…', '!', '?']);

/** Closing quotes/brackets that belong to the sentence they follow (`……。”` ends at the `”`). */
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '》', '】', '〕']);

function isSpace(code: number): boolean {
  // ASCII whitespace, NBSP, ideographic space and the usual Unicode space separators.
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x3000 ||
    (code >= 0x2000 && code <= 0x200b) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0xfeff
  );
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function isLatin(ch: string | undefined): boolean {
  return ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
}

/**
 * Whether the `.` at `i` ends a Latin abbreviation inside a name rather than a sentence: the Latin
 * word before it is one capital letter (an initial: `Reginald W. Stewart`, `S.G. Hulme`) or a
 * capitalised word with no vowel (`St. John`, `Mr. Smith`, `Dr.`, `Jr.`: no English word lacks
 * one), and the text goes on in Latin letters after the space.
 */
function endsAbbreviation(text: string, i: number): boolean {
  let k = i;
  while (k > 0 && isLatin(text[k - 1])) k--;
  const word = text.slice(k, i);
  if (word.length === 0 || !(word[0] as string).match(/[A-Z]/u)) return false;
  if (word.length > 1 && /[aeiouyAEIOUY]/u.test(word)) return false;
  let j = i + 1;
  while (j < text.length && isSpace(text.charCodeAt(j)) && text[j] !== '\n') j++;
  return isLatin(text[j]);
}

/**
 * For each `《` that its `》` closes later in the same paragraph, that `》`'s index: a title
 * (`《CDTV×Sacas！》`, `《你好，李焕英！》`) is part of the sentence that names it, whatever
 * punctuation it holds. An unclosed `《` closes nothing. One pass from the end, O(n).
 */
function titleCloses(text: string): Map<number, number> {
  const out = new Map<number, number>();
  if (!text.includes('《')) return out;
  let close = -1; // the nearest `》` after the current position within the paragraph
  for (let i = text.length - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r') close = -1;
    else if (ch === '》') close = i;
    else if (ch === '《' && close >= 0) out.set(i, close);
  }
  return out;
}

/**
 * Splits `text` into half-open sentence spans, in order, without overlap.
 *
 * - Ends: `。！？…` and `!?` (not `；`: it separates clauses of one sentence); a run of them (`……`, `？！`) is one end, and closing quotes or
 *   brackets right after it (`。”`, `！）`) stay with the sentence.
 * - ASCII `"` counts as a closer only when it closes a quote opened in the same sentence.
 * - A half-width `.` (or full-width `．`) ends a sentence only before whitespace or the end of text and never after a
 *   digit, so `2.36万` and `17.34` are safe; nor after an initial or a vowel-less abbreviation followed by more Latin
 *   text (`Reginald W. Stewart`, `St. John`). Commas never end a sentence.
 * - Nothing inside a book title ends a sentence (`《CDTV×Sacas！》节目中…` is one sentence) when the title closes in
 *   the same paragraph.
 * - A newline always ends a sentence (paragraphs never share a span).
 * - Spans exclude leading and trailing whitespace; empty spans are dropped.
 *
 * Single pass, O(n).
 *
 * @example
 * splitSentences('会上，他说：“好。”大家鼓掌！').map((s) => text.slice(s.start, s.end));
 * // → ['会上，他说：“好。”', '大家鼓掌！']
 */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const n = text.length;
  let start = -1; // first non-space char of the current sentence, -1 when none yet
  let lastNonSpace = -1; // index of the last non-space char seen in the current sentence
  let openAscii = false; // an ASCII `"` was opened in the current sentence and not yet closed
  const titles = titleCloses(text);

  const close = (endExclusive: number): void => {
    if (start >= 0 && endExclusive > start) spans.push({ start, end: endExclusive });
    start = -1;
    lastNonSpace = -1;
    openAscii = false;
  };

  let i = 0;
  while (i < n) {
    const ch = text[i] as string;
    const code = text.charCodeAt(i);

    if (ch === '\n' || ch === '\r') {
      close(lastNonSpace + 1);
      i++;
      continue;
    }
    if (isSpace(code)) {
      i++;
      continue;
    }
    if (start < 0) start = i;
    lastNonSpace = i;

    if (ch === '"') openAscii = !openAscii;
    const title = ch === '《' ? titles.get(i) : undefined;
    if (title !== undefined) {
      // Jump to the title's closing `》`: the sentence goes on after it.
      lastNonSpace = title;
      i = title + 1;
      continue;
    }
    let isEnd = TERMINALS.has(ch);
    if (!isEnd && (ch === '.' || ch === '．')) {
      const next = text[i + 1];
      isEnd = !isDigit(text[i - 1]) && (next === undefined || isSpace(text.charCodeAt(i + 1))) && !(ch === '.' && endsAbbreviation(text, i));
    }
    if (!isEnd) {
      i++;
      continue;
    }

    // Swallow the rest of a terminal run (`……`, `？！`, `!!`), then closing quotes/brackets.
    let j = i + 1;
    while (j < n && TERMINALS.has(text[j] as string)) j++;
    for (;;) {
      const c = text[j];
      if (c !== undefined && CLOSERS.has(c)) j++;
      else if (c === '"' && openAscii) {
        // The ASCII `"` is ambiguous: it closes only a quote opened in this sentence.
        openAscii = false;
        j++;
      } else break;
    }
    close(j);
    i = j;
  }
  close(lastNonSpace + 1);
  return spans;
}

/**
 * The text cut after each sentence end (the same ends as {@link splitSentences}), whitespace and
 * all: the pieces concatenate back to `text` exactly, each sentence's leading whitespace travels
 * with it and trailing whitespace stays with the last piece. For splitting long messages.
 *
 * @example
 * sentencePieces('他说：“好。”然后走了！ Yes. No'); // → ['他说：“好。”', '然后走了！', ' Yes.', ' No']
 */
export function sentencePieces(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const s of splitSentences(text)) {
    out.push(text.slice(from, s.end));
    from = s.end;
  }
  if (from < text.length) {
    if (out.length) out[out.length - 1] += text.slice(from);
    else out.push(text);
  }
  return out;
}

/** Convenience: the sentence strings themselves. */
export function sentenceTexts(text: string): string[] {
  return splitSentences(text).map((s) => text.slice(s.start, s.end));
}
