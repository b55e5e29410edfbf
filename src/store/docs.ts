/**
 * Articles and their chunks on disk, as immutable segment files (`docs-<n>.ndjson`): one line per
 * article, `[article, chunks]` (chunks without their text, which is a slice of the article's).
 *
 * The manifest is the table of contents: each article's entry says which segment holds its line, at
 * which byte offset and how long it is (`ManifestArticle.at`), and `manifest.docs` lists the segments
 * with their line counts. A save hard-links the previous generation's segments into the new one and
 * writes one new segment with the articles added, changed or refreshed since, so an edit costs what
 * it changed; a line no entry points at is garbage. When garbage passes half of all lines, or there
 * are more than {@link MAX_DOC_SEGMENTS} segments, a save writes every live article into one new
 * segment instead. The writer reads an old article by its offset (one positioned read); readers read
 * every segment once at load.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Article, Chunk } from '../types.js';
import { linkOrCopy, readLines, writeLinesSynced, type GenerationFile } from './disk.js';
import type { DocSegments, IndexManifest } from './types.js';

/** A chunk as stored: its text is `article.text.slice(start, end)`, so it is not repeated. */
export type StoredChunk = Omit<Chunk, 'text'>;

/** One line of a docs segment. */
export type DocLine = [Article, StoredChunk[]];

const SEGMENT_RE = /^docs-(\d{6})\.ndjson$/u;
/** Segments a generation may have before a save compacts them into one. */
export const MAX_DOC_SEGMENTS = 16;
/** Garbage share of lines above which a save compacts. */
export const DOC_GARBAGE_RATIO = 0.5;

export function docSegmentName(id: number): string {
  return `docs-${String(id).padStart(6, '0')}.ndjson`;
}

export function storedChunk(c: Chunk): StoredChunk {
  return { id: c.id, articleId: c.articleId, ordinal: c.ordinal, start: c.start, end: c.end, tokens: c.tokens };
}

/** Chunks with their text, from a stored line. */
export function withText(article: Article, chunks: readonly StoredChunk[]): Chunk[] {
  return chunks.map((c) => ({ ...c, text: article.text.slice(c.start, c.end) }));
}

/** Docs segment files in a generation folder, sorted. */
export function docSegmentFiles(genDir: string): string[] {
  return fs.readdirSync(genDir).filter((f) => SEGMENT_RE.test(f)).sort();
}

/**
 * Every live article of generation `genDir` with its chunks (what a reader loads). A line is live when
 * the manifest's entry for its article points at it.
 */
export function readAllDocs(genDir: string, manifest: IndexManifest): { articles: Map<string, Article>; chunks: Map<number, Chunk> } {
  const lines: DocLine[] = [];
  for (const seg of manifest.docs?.segments ?? []) {
    const buf = fs.readFileSync(path.join(genDir, docSegmentName(seg.id)));
    let offset = 0;
    for (const line of readLines(buf)) {
      const at = offset;
      offset += Buffer.byteLength(line, 'utf8') + 1;
      const entry = manifest.articles[articleIdOf(line)];
      if (!entry?.at || entry.at[0] !== seg.id || entry.at[1] !== at) continue;
      lines.push(JSON.parse(line) as DocLine);
    }
    if (offset !== buf.length && offset !== buf.length + 1) throw new Error(`${docSegmentName(seg.id)} is truncated`);
  }
  if (lines.length !== Object.keys(manifest.articles).length) throw new Error(`${Object.keys(manifest.articles).length - lines.length} article(s) missing from the docs segments`);
  // In (file, position) and chunk-id order, as one file held them before segments.
  lines.sort((x, y) => (x[0].file === y[0].file ? x[0].position - y[0].position : x[0].file < y[0].file ? -1 : 1));
  const articles = new Map<string, Article>();
  const all: Chunk[] = [];
  for (const [article, stored] of lines) {
    articles.set(article.id, article);
    for (const c of withText(article, stored)) all.push(c);
  }
  all.sort((x, y) => x.id - y.id);
  return { articles, chunks: new Map(all.map((c) => [c.id, c])) };
}

/** The article id of a docs line (`[{"id":"…",`), read without parsing the whole line. */
function articleIdOf(line: string): string {
  const m = /^\[\{"id":("(?:[^"\\]|\\.)*")/u.exec(line);
  return m ? (JSON.parse(m[1] as string) as string) : (JSON.parse(line) as DocLine)[0].id;
}

/** One article's line, by the manifest's pointer (a positioned read). */
export function readDoc(genDir: string, at: [number, number, number]): DocLine {
  const [seg, offset, length] = at;
  const fd = fs.openSync(path.join(genDir, docSegmentName(seg)), 'r');
  try {
    const buf = Buffer.alloc(length);
    if (fs.readSync(fd, buf, 0, length, offset) !== length) throw new Error(`${docSegmentName(seg)}: short read at ${offset}`);
    return JSON.parse(buf.toString('utf8')) as DocLine;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The files of a new generation's docs: the previous segments still pointed at (hard links from
 * `prevGenDir`), and one new segment with `fresh` (articles added, changed or refreshed); or, when
 * compacting, one segment with every live article (`all` gives them). Sets the manifest's pointers
 * and segment list as the files will be.
 */
export function docGenerationFiles(
  manifest: IndexManifest,
  prevGenDir: string | null,
  fresh: Iterable<DocLine>,
  all: () => Iterable<DocLine>,
): GenerationFile[] {
  const old = prevGenDir ? (manifest.docs?.segments ?? []) : [];
  const freshLines = [...fresh];
  const live = Object.keys(manifest.articles).length;
  const oldLines = old.reduce((n, s) => n + s.lines, 0);
  const compact = old.length + 1 > MAX_DOC_SEGMENTS || (oldLines > 0 && live < (1 - DOC_GARBAGE_RATIO) * (oldLines + freshLines.length));
  const nextId = Math.max(0, ...old.map((s) => s.id)) + 1;
  const files: GenerationFile[] = [];
  const segments: DocSegments['segments'] = [];
  let lines: Iterable<DocLine> = freshLines;
  if (compact || !prevGenDir) {
    lines = all();
  } else {
    const freshIds = new Set(freshLines.map((l) => l[0].id));
    const used = new Set<number>();
    for (const [id, e] of Object.entries(manifest.articles)) if (e.at && !freshIds.has(id)) used.add(e.at[0]);
    for (const s of old) {
      if (!used.has(s.id)) continue;
      segments.push(s);
      const from = path.join(prevGenDir, docSegmentName(s.id));
      files.push({ name: docSegmentName(s.id), write: (f) => linkOrCopy(from, f) });
    }
  }
  // Serialized now, so the pointers are known before the manifest is written.
  const texts: string[] = [];
  let offset = 0;
  for (const line of lines) {
    const text = JSON.stringify(line);
    const length = Buffer.byteLength(text, 'utf8');
    const entry = manifest.articles[line[0].id];
    if (entry) entry.at = [nextId, offset, length];
    offset += length + 1;
    texts.push(`${text}\n`);
  }
  if (texts.length > 0 || segments.length === 0) {
    segments.push({ id: nextId, lines: texts.length });
    files.push({ name: docSegmentName(nextId), write: (f) => writeLinesSynced(f, texts) });
  }
  manifest.docs = { segments };
  return files;
}
