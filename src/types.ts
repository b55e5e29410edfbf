/**
 * The nouns of baowen, named as the retrieval field names them:
 * page file → Article → Chunk → (embedding) → Passage (a retrieved chunk) → Answer with Citations.
 * Every stage passes these plain objects; none carries I/O handles.
 */

export type ArticleKind = 'report' | 'photo';

/**
 * Where an article was published, from the page file's YAML front matter (`paper`, `date`, `page`,
 * `url`) and the article's own `url:` line (which overrides the page's url). Every key is optional;
 * an article of a page without front matter has no `meta` at all.
 */
export interface ArticleMeta {
  /** Newspaper name without book-title marks, e.g. `劳动午报`. */
  paper?: string;
  /** Publication date, `YYYY-MM-DD`. */
  date?: string;
  /** Page (版) as printed: `3`, `A3`. */
  page?: string;
  /** http(s) link to the report online: the article's own `url:` line, else the page's `url`. */
  url?: string;
}

/** One article (report or captioned photo item) cut out of a page file. */
export interface Article {
  /** Stable across re-indexing while file and headline stay the same: `${fileStem}-${hash8(kicker|title)}`. */
  id: string;
  /** Page file name, e.g. `001_171a289de099f801.txt` (no directory). */
  file: string;
  /** 0-based position of the article on its page. */
  position: number;
  /** Optional first headline line (引题) above the main headline. */
  kicker: string | null;
  /** Main headline (主题), or the short heading of a photo item. Sub-headlines (副题) are appended after a space. */
  title: string;
  /** Normalized byline for display, e.g. `记者 周美玉 通讯员 于佳慧`; null when the page gives none. */
  byline: string | null;
  /** Names by role, for display and search. */
  reporters: string[];
  correspondents: string[];
  photographers: string[];
  kind: ArticleKind;
  /** Body paragraphs after page-break repair, byline prefix kept as printed. */
  paragraphs: string[];
  /** `paragraphs.join('\n')`; all character offsets (Chunk.start/end, quotes) point into this string. */
  text: string;
  /** Publication data (paper, date, page, url); absent when the page gives none. */
  meta?: ArticleMeta;
  /** sha256 hex of everything above (meta included) that affects indexing; drives incremental re-indexing. */
  hash: string;
}

/** A sentence-aligned slice of one article, sized in the embedding model's tokens. */
export interface Chunk {
  /** Integer label, unique within an index (also the HNSW label). */
  id: number;
  articleId: string;
  /** 0-based order of the chunk in its article. */
  ordinal: number;
  /** Offsets into Article.text: text === article.text.slice(start, end). */
  start: number;
  end: number;
  text: string;
  /** Length in model tokens (or the fallback estimate in keyword-only mode). */
  tokens: number;
}

/** A half-open character range [start, end) of a sentence inside Article.text. */
export interface SentenceSpan {
  start: number;
  end: number;
}

export type SearchMode = 'hybrid' | 'keyword';

/** The headline block as printed and as the eval files name articles: `kicker title` (kicker omitted when absent). */
export function headlineOf(a: { kicker: string | null; title: string }): string {
  return a.kicker ? `${a.kicker} ${a.title}` : a.title;
}

/** A chunk returned by retrieval, with the scores that put it there. */
export interface Passage {
  chunk: Chunk;
  article: Article;
  /** Reciprocal-rank-fused score that ordered retrieval (higher is better; see src/search/fuse.ts). */
  fusedScore: number;
  /** Evidence from each list: the chunk's cosine similarity and its BM25 score (absent when not in that list). */
  denseScore?: number;
  keywordScore?: number;
}

/** One source an answer cites; `n` is the number shown to the reader as [n]. */
export interface Citation {
  n: number;
  articleId: string;
  file: string;
  title: string;
  kicker: string | null;
  byline: string | null;
  kind: ArticleKind;
  /** The ranker's calibrated probability that this article answers the question (0…1). */
  probability: number;
  /** The article's publication data, for the source line the reader sees (see src/citation.ts). */
  meta?: ArticleMeta;
}

/** The citation [n] of an article (its publication data included). */
export function citationOf(a: Article, n: number, probability: number): Citation {
  const c: Citation = { n, articleId: a.id, file: a.file, title: a.title, kicker: a.kicker, byline: a.byline, kind: a.kind, probability };
  if (a.meta) c.meta = a.meta;
  return c;
}

/** A verbatim sentence (or run of sentences) from one cited article. */
export interface Quote {
  /** Exactly `article.text.slice(start, end)`. */
  text: string;
  /** `n` of the Citation it comes from. */
  source: number;
  articleId: string;
  start: number;
  end: number;
}

/** What the reader gets: quotes that always travel with their citations. */
export interface Answer {
  question: string;
  answered: boolean;
  mode: SearchMode;
  quotes: Quote[];
  citations: Citation[];
  /**
   * Why the answer was refused; absent when answered. `needs-model`: an English question while only
   * the keyword index is available (Chinese terms cannot match English words).
   */
  refusal?: 'empty' | 'weak-evidence' | 'no-match' | 'needs-model';
  /**
   * Probability (0-1) that the best sentence answers the question, from the learned ranker; the
   * answer is refused below the threshold `npm run train` calibrated. Absent for fixed refusals.
   */
  confidence?: number;
  /**
   * Further verbatim quotes for "更多 / More" (filled by src/answer/more.ts): best first, never
   * overlapping the shown quotes, with their own citations numbered from 1. Absent or empty when
   * there is nothing more worth showing.
   */
  more?: { quotes: Quote[]; citations: Citation[] };
}

export type Lang = 'zh' | 'en';
