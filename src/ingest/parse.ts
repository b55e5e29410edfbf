/**
 * One page file → its articles. Pure: text in, Articles out (the caller reads the file).
 *
 * Pipeline: split into blocks (`blocks.ts`) → roles + page-break repair (`repair.ts`) →
 * group into articles here: a run of heading lines opens an article; a `本报讯（…）` paragraph
 * makes it a report; a `… 摄影报道` credit closes a captioned photo item; a `… 摄` credit after a
 * report names its photographer. The banner at the top of the page belongs to no article.
 */
import { createHash } from 'node:crypto';
import type { Article, ArticleKind, ArticleMeta } from '../types.js';
import { creditKind, splitBlocks } from './blocks.js';
import { formatByline, parseByline, parseCreditLine } from './byline.js';
import { compact, extractUrlLines, FrontMatterError, splitFrontMatter } from './front-matter.js';
import { type PageBlock, repairPage } from './repair.js';

export interface ParsePageResult {
  articles: Article[];
  /** Things a human may want to look at (unfinished paragraphs, orphan text, unknown roles…). */
  warnings: string[];
}

/** A page that yields no article at all (empty, or nothing shaped like a newspaper page). */
export class PageParseError extends Error {
  override name = 'PageParseError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

interface Draft {
  headings: PageBlock[];
  paragraphs: string[];
  hasByline: boolean;
  reporters: string[];
  correspondents: string[];
  /** Credit lines after the body, in order. */
  credits: string[];
  /** A `摄影报道` credit closed the item: any further text is unexpected. */
  closed: boolean;
}

/** Organization words: the main headline of a trade-union paper names who acted. */
const ACTOR_RE = /工会|公司|集团|医院|街道|学校|大学|委员会|协会|研究院|中心|政府|管委会|局|厂|站/u;
/** A kicker/section label (`多彩三月`, `寒冬送暖 工会行动`) is at most this many non-space chars. */
const MAX_LABEL_CHARS = 10;

function nonSpaceLength(s: string): number {
  return [...s.replace(/\s+/gu, '')].length;
}

/**
 * With two headline lines A, B: A is the kicker (引题) when it is a short section label, or when
 * it names no actor while B does (`广泛推动两新组织建会…` above `顺义区总工会持续推动…`).
 * Otherwise A is the main headline and B its sub-headline (副题).
 */
export function isKickerLine(a: string, b: string): boolean {
  if (nonSpaceLength(a) <= MAX_LABEL_CHARS && nonSpaceLength(b) > nonSpaceLength(a)) return true;
  return !ACTOR_RE.test(a) && ACTOR_RE.test(b);
}

/** Splits a headline block into kicker and title (sub-headlines appended after one space). */
export function splitHeadline(lines: readonly string[]): { kicker: string | null; title: string } {
  const [a, b, ...rest] = lines;
  if (a === undefined) return { kicker: null, title: '' };
  if (b === undefined) return { kicker: null, title: a };
  if (rest.length === 0) return isKickerLine(a, b) ? { kicker: a, title: b } : { kicker: null, title: `${a} ${b}` };
  return { kicker: a, title: [b, ...rest].join(' ') };
}

function cleanHeading(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function sha(algo: 'sha1' | 'sha256', text: string): string {
  return createHash(algo).update(text, 'utf8').digest('hex');
}

/** `001_171a289de099f801.txt` → `001_171a289de099f801`. */
export function fileStem(file: string): string {
  return file.replace(/^.*[\\/]/u, '').replace(/\.txt$/iu, '');
}

/**
 * Parses one page. `file` is the page's base name (used in ids and error messages).
 * Throws {@link PageParseError} when the page is empty or yields no article.
 *
 * @example
 * const { articles } = parsePage('001_x.txt', fs.readFileSync('seeds/001_x.txt', 'utf8'));
 * articles[0].title; // → '通州区总工会推动构建纵横交织、覆盖广泛的组织体系 今年将新发展工会会员2.5万人'
 */
export function parsePage(file: string, content: string): ParsePageResult {
  if (!content.trim()) throw new PageParseError(file, 'empty page');
  const { pageMeta, body, urls } = readFrontMatter(file, content);
  const { blocks, warnings: repairWarnings } = repairPage(splitBlocks(body));
  const warnings = repairWarnings.map((w) => `${file}: ${w}`);
  const warn: Warn = (line, msg) => void warnings.push(`${file}: line ${line}: ${msg}`);

  const drafts = groupDrafts(blocks, warn);
  const ownUrl = ownUrls(drafts, urls, warn);
  const articles: Article[] = [];
  const ids = articleIds(fileStem(file));
  for (const d of drafts) {
    const headLine = d.headings[0] as PageBlock;
    if (d.paragraphs.length === 0) {
      warn(headLine.line, `headline without body, skipped: ${d.headings.map((h) => h.text).join(' / ')}`);
      continue;
    }
    const meta = compact({ ...pageMeta, url: ownUrl.get(d) ?? pageMeta?.url });
    articles.push(toArticle(file, articles.length, d, meta, ids, warn));
  }

  if (articles.length === 0) throw new PageParseError(file, 'no article found (no headline followed by body text)');
  return { articles, warnings };
}

type Warn = (line: number, msg: string) => void;

/** The page's front matter and its `url:` lines, taken out of the body. */
function readFrontMatter(file: string, content: string): { pageMeta: ArticleMeta | undefined; body: string; urls: { line: number; url: string }[] } {
  try {
    const fm = splitFrontMatter(content);
    const { body, urls } = extractUrlLines(fm.body);
    return { pageMeta: fm.meta, body, urls };
  } catch (e) {
    if (e instanceof FrontMatterError) throw new PageParseError(file, e.message);
    throw e;
  }
}

function newDraft(heading: PageBlock): Draft {
  return { headings: [heading], paragraphs: [], hasByline: false, reporters: [], correspondents: [], credits: [], closed: false };
}

/** Groups the page's blocks into article drafts: a run of heading lines opens one. */
function groupDrafts(blocks: readonly PageBlock[], warn: Warn): Draft[] {
  const drafts: Draft[] = [];
  let cur: Draft | undefined;
  for (const b of blocks) {
    if (b.role === 'banner') continue;
    if (b.role === 'heading') {
      if (cur && cur.paragraphs.length === 0 && cur.credits.length === 0) cur.headings.push(b);
      else drafts.push((cur = newDraft(b)));
    } else if (!cur) {
      if (b.role === 'byline') warn(b.line, 'byline before any headline, dropped');
      else if (b.role === 'credit') warn(b.line, `photo credit before any headline, dropped: ${b.text}`);
      else warn(b.line, `text before any headline, dropped: ${b.text.slice(0, 20)}…`);
    } else if (b.role === 'byline') {
      addByline(cur, b, warn);
    } else if (b.role === 'credit') {
      cur.credits.push(b.text);
      if (creditKind(b.text) === 'photo-report') cur.closed = true;
    } else {
      if (cur.closed) warn(b.line, 'text after a photo credit; kept in the same article');
      cur.paragraphs.push(b.text);
    }
  }
  return drafts;
}

/** A byline paragraph: its names are the article's (the first byline only), its text is body text. */
function addByline(cur: Draft, b: PageBlock, warn: Warn): void {
  if (cur.hasByline || cur.paragraphs.length > 0) warn(b.line, 'second byline inside one article');
  else {
    cur.hasByline = true;
    const names = parseByline(b.text);
    if (names) {
      cur.reporters.push(...names.reporters);
      cur.correspondents.push(...names.correspondents);
      if (names.unassigned.length) warn(b.line, `byline names without a role: ${names.unassigned.join(' ')}`);
    }
  }
  cur.paragraphs.push(b.text);
}

/** An article's own `url:` line: the last one between its headline and the next article's. */
function ownUrls(drafts: readonly Draft[], urls: readonly { line: number; url: string }[], warn: Warn): Map<Draft, string> {
  const ownUrl = new Map<Draft, string>();
  for (const u of urls) {
    const owner = [...drafts].reverse().find((d) => (d.headings[0] as PageBlock).line < u.line);
    if (owner) ownUrl.set(owner, u.url);
    else warn(u.line, `url line before any headline, ignored: ${u.url}`);
  }
  return ownUrl;
}

/** Stable ids `<stem>-<sha1(headline)>`, numbered `-2`, `-3`… when one page repeats a headline. */
function articleIds(stem: string): (kicker: string | null, title: string) => string {
  const seen = new Map<string, number>();
  return (kicker, title) => {
    const base = `${stem}-${sha('sha1', `${kicker ?? ''}|${title}`).slice(0, 8)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };
}

/** Who is named, and how: a report's byline names plus the photographers of its credits; a photo item's credits name its authors. */
function namesOf(d: Draft, kind: ArticleKind): { reporters: string[]; correspondents: string[]; photographers: string[]; photoSuffix: string } {
  let reporters = d.reporters;
  let correspondents = d.correspondents;
  const photographers: string[] = [];
  let photoSuffix = '摄影报道';
  for (const credit of d.credits) {
    const names = parseCreditLine(credit);
    photographers.push(...names.reporters, ...names.correspondents);
    if (kind === 'photo') {
      reporters = [...reporters, ...names.reporters];
      correspondents = [...correspondents, ...names.correspondents];
      if (creditKind(credit) === 'photo') photoSuffix = '摄';
    }
  }
  return { reporters: unique(reporters), correspondents: unique(correspondents), photographers: unique(photographers), photoSuffix };
}

function toArticle(
  file: string,
  position: number,
  d: Draft,
  meta: ArticleMeta | undefined,
  idOf: (kicker: string | null, title: string) => string,
  warn: Warn,
): Article {
  const headLine = d.headings[0] as PageBlock;
  const lines = d.headings.map((h) => cleanHeading(h.text));
  if (lines.length > 3) warn(headLine.line, `headline block of ${lines.length} lines`);
  const { kicker, title } = splitHeadline(lines);

  const kind: ArticleKind = d.hasByline || d.credits.length === 0 ? 'report' : 'photo';
  const { reporters, correspondents, photographers, photoSuffix } = namesOf(d, kind);
  if (kind === 'report' && !d.hasByline) warn(headLine.line, `article without byline or photo credit: ${title}`);
  const byline = formatByline({ reporters, correspondents, photographers }, kind, photoSuffix);
  const id = idOf(kicker, title);

  // The key order is part of the hash: keep it.
  const content = {
    id,
    file,
    position,
    kicker,
    title,
    byline,
    reporters,
    correspondents,
    photographers,
    kind,
    paragraphs: d.paragraphs,
    text: d.paragraphs.join('\n'),
    // Only when present, so the hashes of pages without metadata stay what they were.
    ...(meta ? { meta } : {}),
  };
  return { ...content, hash: sha('sha256', JSON.stringify(content)) };
}
