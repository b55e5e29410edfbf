/**
 * The index in memory: articles, chunks, keyword index and (hybrid) vectors, plus its manifest.
 * `loadIndex` hands it out read-only (as {@link SearchIndex}); the indexer mutates it and saves it
 * as a new generation with {@link saveIndex}.
 *
 * The indexer opens the previous generation *for update* (`openForUpdate` in load.ts): then only the
 * manifest is read, articles come from their docs segment one by one when needed (see docs.ts), the
 * keyword index and the HNSW graph leave their files unread (keyword.ts, hnsw.ts), and a save
 * hard-links every unchanged file and writes only what changed.
 */
import path from 'node:path';
import type { Article, Chunk, SearchMode, SentenceSpan } from '../types.js';
import { GEN_FILES, generationDir, linkOrCopy, saveGeneration, writeFileSynced, type GenerationFile, type SaveHooks } from './disk.js';
import { docGenerationFiles, readDoc, storedChunk, withText, type DocLine } from './docs.js';
import type { VectorIndex } from './hnsw.js';
import type { KeywordIndex } from './keyword.js';
import type { SentenceStore } from './sentences.js';
import { ArticleMap } from './docs-reader.js';
import type { ArticleHead, DenseHit, DenseStats, IndexManifest, KeywordHit, SearchIndex } from './types.js';

/** Bumped when the on-disk layout changes (files, their shapes). */
export const FORMAT_VERSION = 4;

export type { StoredChunk } from './docs.js';

/** A file entry of the manifest, extended with the parse error of a page that could not be read. */
export interface ManifestFile {
  hash: string;
  articleIds: string[];
  /** Set when the page's current content failed to parse; `articleIds` are then the ones kept from before. */
  error?: string;
}

/** A loaded index: a {@link SearchIndex} that also names the generation it came from. */
export interface LoadedIndex extends SearchIndex {
  /** Generation directory name (compare with `currentGeneration(dir)` to notice a newer index). */
  readonly generation: string;
}

export class MemoryIndex implements LoadedIndex {
  /** Opened for update: the generation folder articles not in memory are read from. */
  private sourceDir: string | null = null;
  /** Articles added, changed or refreshed since loading: a save writes their lines. */
  private readonly fresh = new Set<string>();

  constructor(
    readonly dir: string,
    public generation: string,
    public manifest: IndexManifest,
    readonly articles: Map<string, Article>,
    readonly chunks: Map<number, Chunk>,
    public keyword: KeywordIndex,
    public vectors: VectorIndex | null,
    /** Hybrid: sentence vectors computed at index time (see sentences.ts). */
    public sentences: SentenceStore | null = null,
    /** Hybrid: chunk passage vectors by chunk span (see sentences.ts `PASSAGE_NAMES`). */
    public passages: SentenceStore | null = null,
  ) {}

  /** An index over generation `genDir` whose articles are read from there on demand (the indexer's). */
  static forUpdate(genDir: string, index: MemoryIndex): MemoryIndex {
    index.sourceDir = genDir;
    return index;
  }

  get denseStats(): DenseStats | null {
    return this.manifest.dense ?? null;
  }

  sentenceVector(articleId: string, start: number, end: number): Float32Array | null {
    return this.sentences?.vector(articleId, start, end) ?? null;
  }

  get mode(): SearchMode {
    return this.manifest.mode;
  }

  /** Articles in the index (loaded or not). */
  get articleCount(): number {
    return Object.keys(this.manifest.articles).length;
  }

  articleIds(): string[] {
    return Object.keys(this.manifest.articles);
  }

  hasArticle(id: string): boolean {
    return this.manifest.articles[id] !== undefined;
  }

  /** An article of the index (read from its segment if it is not in memory yet). */
  article(id: string): Article | undefined {
    const a = this.articles.get(id);
    if (a || !this.sourceDir) return a;
    const at = this.manifest.articles[id]?.at;
    if (!at) return undefined;
    const [article, stored] = readDoc(this.sourceDir, at);
    this.articles.set(id, article);
    for (const c of withText(article, stored)) this.chunks.set(c.id, c);
    return article;
  }

  articleHeads(): Iterable<ArticleHead> {
    return this.articles instanceof ArticleMap ? this.articles.heads() : this.articles.values();
  }

  chunksOf(articleId: string): Chunk[] {
    const ids = this.manifest.articles[articleId]?.chunkIds ?? [];
    if (ids.length > 0 && !this.chunks.has(ids[0] as number)) this.article(articleId);
    const out: Chunk[] = [];
    for (const id of ids) {
      const c = this.chunks.get(id);
      if (c) out.push(c);
    }
    return out;
  }

  /** The stored passage vector of a chunk (hybrid), or null. */
  chunkVector(chunk: Pick<Chunk, 'articleId' | 'start' | 'end' | 'id'>): Float32Array | null {
    return this.passages?.vector(chunk.articleId, chunk.start, chunk.end) ?? null;
  }

  keywordSearch(query: string, k: number): KeywordHit[] {
    return this.keyword.search(query, k);
  }

  keywordDocCount(): number {
    return this.keyword.size;
  }

  keywordDf(term: string): number {
    return this.keyword.df(term);
  }

  denseSearch(vector: Float32Array, k: number): DenseHit[] {
    return this.vectors ? this.vectors.search(vector, k) : [];
  }

  /**
   * Adds an article and its (already numbered) chunks; vectors, when given, are in chunk order;
   * sentence vectors (hybrid) one per span, in span order. `keyword: false` leaves the chunks out of the
   * keyword index (a full build indexes them all at once at the end: see keyword-build.ts).
   */
  addArticle(
    article: Article,
    chunks: Chunk[],
    vectors: Float32Array[] | null,
    sentences?: { spans: SentenceSpan[]; vectors: Float32Array[] },
    opts: { keyword?: boolean } = {},
  ): void {
    if (this.hasArticle(article.id)) throw new Error(`article ${article.id} is already in the index`);
    this.articles.set(article.id, article);
    for (const [i, c] of chunks.entries()) {
      this.chunks.set(c.id, c);
      if (opts.keyword !== false) this.keyword.add(c, article);
      const v = vectors?.[i];
      if (this.vectors) {
        if (!v) throw new Error(`no vector for chunk ${c.id} of ${article.id}`);
        this.vectors.add(c.id, v);
      }
    }
    if (this.passages && vectors) {
      this.passages.add(
        article.id,
        chunks.map((c) => ({ start: c.start, end: c.end })),
        vectors,
      );
    }
    if (this.sentences) {
      if (!sentences) throw new Error(`no sentence vectors for ${article.id}`);
      this.sentences.add(article.id, sentences.spans, sentences.vectors);
    }
    this.manifest.articles[article.id] = { file: article.file, hash: article.hash, chunkIds: chunks.map((c) => c.id) };
    this.fresh.add(article.id);
  }

  /** Removes an article with its chunks and vectors; returns how many chunks went. */
  removeArticle(articleId: string): number {
    const entry = this.manifest.articles[articleId];
    this.articles.delete(articleId);
    this.fresh.delete(articleId);
    this.sentences?.remove(articleId);
    this.passages?.remove(articleId);
    if (!entry) return 0;
    for (const id of entry.chunkIds) {
      this.chunks.delete(id);
      this.keyword.remove(id);
      this.vectors?.remove(id);
    }
    delete this.manifest.articles[articleId];
    return entry.chunkIds.length;
  }

  /**
   * Replaces an article whose indexed content is unchanged (same hash) by its re-parsed version,
   * e.g. a new `position`; chunks and vectors stay.
   */
  refreshArticle(article: Article): void {
    this.article(article.id); // its chunks, into memory
    this.articles.set(article.id, article);
    const entry = this.manifest.articles[article.id];
    if (entry) entry.file = article.file;
    this.fresh.add(article.id);
  }

  /** Lines of the articles added, changed or refreshed since loading (or all, without a source). */
  freshLines(): DocLine[] {
    const ids = this.sourceDir ? [...this.fresh] : this.articleIds();
    return ids.map((id) => this.docLine(id));
  }

  /** Every article's line, in (file, position) order. */
  allLines(): DocLine[] {
    const lines = this.articleIds().map((id) => this.docLine(id));
    return lines.sort((a, b) => (a[0].file === b[0].file ? a[0].position - b[0].position : a[0].file < b[0].file ? -1 : 1));
  }

  private docLine(id: string): DocLine {
    const article = this.article(id);
    if (!article) throw new Error(`article ${id} is in the manifest but not readable`);
    return [article, this.chunksOf(id).map(storedChunk)];
  }

  /** The generation folder this index was read from, when opened for update. */
  get source(): string | null {
    return this.sourceDir;
  }

  /** After a save into `genDir`: later reads and saves refer to it. */
  committed(genDir: string): void {
    if (this.sourceDir) this.sourceDir = genDir;
    this.fresh.clear();
  }
}

/**
 * Saves `index` as a new generation of `index.dir` (see disk.ts) and returns its name.
 * The caller must hold the writer lock.
 */
export async function saveIndex(index: MemoryIndex, hooks: SaveHooks = {}, onFile?: (done: number, total: number) => void): Promise<string> {
  const now = new Date().toISOString();
  index.manifest.updatedAt = now;
  const source = index.source;
  const files: GenerationFile[] = [...docGenerationFiles(index.manifest, source, index.freshLines(), () => index.allLines())];
  files.push(...keywordFiles(index.keyword));
  const vectors = index.vectors;
  if (vectors) {
    const link = vectors.linkableFile();
    const hnsw = index.manifest.hnsw;
    if (link) {
      files.push({ name: GEN_FILES.vectors, write: (f) => linkOrCopy(link, f) });
      if (hnsw) Object.assign(hnsw, { points: vectors.points, extra: vectors.extraIds });
    } else {
      files.push({
        name: GEN_FILES.vectors,
        write: (f) => {
          vectors.write(f);
          if (hnsw) Object.assign(hnsw, { points: vectors.points, extra: [] });
        },
      });
    }
  }
  if (index.sentences) files.push(...index.sentences.generationFiles());
  if (index.passages) files.push(...index.passages.generationFiles());
  // The manifest goes last (a generation folder with a manifest is complete), serialized once the
  // other files have set what it records of them.
  files.push({ name: GEN_FILES.manifest, write: (f) => writeManifest(f, index.manifest) });

  let done = 0;
  const step = hooks.onStep;
  const gen = saveGeneration(index.dir, files, {
    onStep: (s) => {
      step?.(s);
      if (s.startsWith('write:')) onFile?.(done++, files.length);
      if (s === 'sync') onFile?.(files.length, files.length);
    },
  });
  index.generation = gen;
  const genDir = generationDir(index.dir, gen);
  index.sentences?.committed(genDir);
  index.passages?.committed(genDir);
  index.keyword.committed(path.join(genDir, GEN_FILES.keyword));
  index.vectors?.committed(path.join(genDir, GEN_FILES.vectors));
  index.committed(genDir);
  return gen;
}

/** keyword.bin — hard-linked when a delta beside it suffices (keyword-delta.bin), else merged and written. */
function keywordFiles(keyword: KeywordIndex): GenerationFile[] {
  const base = keyword.baseFilePath;
  if (base && keyword.canWriteDelta) {
    return [
      { name: GEN_FILES.keyword, write: (f) => linkOrCopy(base, f) },
      { name: GEN_FILES.keywordDelta, write: (f) => keyword.writeDelta(f) },
    ];
  }
  return [{ name: GEN_FILES.keyword, write: (f) => keyword.write(f) }];
}

function writeManifest(file: string, manifest: IndexManifest): void {
  writeFileSynced(file, `${JSON.stringify(manifest)}\n`);
}
