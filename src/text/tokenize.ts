/**
 * Chinese-aware tokens for BM25 and sentence scoring.
 *
 * Terms = dictionary words from `Intl.Segmenter` (ICU's Chinese dictionary) plus character bigrams
 * of every CJK run. Words give precision (`工会会员`), bigrams give recall when ICU's segmentation
 * of names and places differs between question and article (`德胜街道` vs `德胜`+`街道`).
 * Text is cut into pieces at punctuation and whitespace. A Segmenter call per piece spends more
 * time setting up ICU than segmenting, and one call over a long string is super-linear (about
 * 1,000 characters and up), so the pieces are segmented in batches of up to {@link BATCH_CHARS}
 * characters, joined by newlines: ICU always breaks at a newline (UAX #29 WB3a/b), so each piece
 * gets the segments it gets alone.
 */
import { normalizeForMatch } from './normalize.js';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const CJK = /\p{Script=Han}/u;
/** Pieces to segment separately: runs between punctuation/whitespace. */
const PIECE = /(?:[^\s\p{P}\p{S}]|(?<=\d)[.,](?=\d))+/gu;
/** Characters per Segmenter call (pieces joined by newlines; a longer piece goes alone). */
const BATCH_CHARS = 256;

/** Function words and ubiquitous newspaper words that carry no topic (kept small on purpose). */
export const STOPWORDS: ReadonlySet<string> = new Set([
  '的', '了', '和', '与', '及', '在', '是', '为', '对', '将', '把', '被', '等', '也', '都', '就', '还', '又', '并',
  '有', '个', '这', '那', '其', '之', '以', '于', '从', '向', '中', '上', '下', '到', '给', '让', '由',
  '什么', '哪些', '哪里', '哪个', '哪家', '多少', '怎么', '怎样', '如何', '为什么', '是否', '几', '吗', '呢', '吧', '啊',
  '我们', '他们', '你们', '自己', '一个', '一些', '这个', '那个', '这些', '那些', '进行', '开展', '相关',
  'the', 'a', 'an', 'of', 'to', 'in', 'on', 'at', 'for', 'and', 'or', 'is', 'are', 'was', 'were', 'be', 'by',
  'with', 'what', 'which', 'who', 'where', 'when', 'how', 'did', 'do', 'does', 'its', 'their', 'it', 'this', 'that',
]);

function isCjk(s: string): boolean {
  return CJK.test(s);
}

/**
 * Tokens of `text` in order, duplicates kept (term frequency matters to BM25).
 * Stopwords are dropped and break bigram runs, so `到哪里植的树` does not yield `哪里`-bigrams;
 * single-character words (`树`) stay as unigrams, letting IDF decide whether they matter.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let batch = '';
  for (const m of normalizeForMatch(text).matchAll(PIECE)) {
    if (batch && batch.length + m[0].length >= BATCH_CHARS) {
      segmentInto(batch, out);
      batch = '';
    }
    batch = batch ? `${batch}\n${m[0]}` : m[0];
  }
  if (batch) segmentInto(batch, out);
  return out;
}

/** Words and bigrams of `pieces` (newline-separated) appended to `out`; a newline ends a CJK run as a piece's end does. */
function segmentInto(pieces: string, out: string[]): void {
  let run = '';
  const flush = (): void => {
    for (let i = 0; i + 2 <= run.length; i++) {
      const bg = run.slice(i, i + 2);
      if (!STOPWORDS.has(bg)) out.push(bg);
    }
    run = '';
  };
  for (const seg of segmenter.segment(pieces)) {
    const w = seg.segment;
    if (!seg.isWordLike || STOPWORDS.has(w) || !isCjk(w)) {
      flush();
      if (seg.isWordLike && !STOPWORDS.has(w)) out.push(w);
      continue;
    }
    out.push(w);
    run += w;
  }
  flush();
}

/** Distinct tokens, first occurrence order (for queries, where repeats should not double-count). */
export function queryTerms(text: string): string[] {
  return [...new Set(tokenize(text))];
}
