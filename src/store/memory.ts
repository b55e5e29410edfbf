/**
 * The index in memory: articles, chunks, keyword index and (hybrid) vectors, plus its manifest.
 * `loadIndex` hands it out read-only (as {@link SearchIndex}); the indexer mutates it and saves it
 * as a new generation with {@link saveIndex}.
 */
import type { Article, Chunk, SearchMode, SentenceSpan } from '../types.js';
import { GEN_FILES, generationDir, saveGeneration, writeLinesSynced, type GenerationFile, type SaveHooks } from './disk.js';
import type { VectorIndex } from './hnsw.js';
import type { KeywordIndex } from './keyword.js';
import type { SentenceStore } from './sentences.js';
import type { DenseHit, DenseStats, IndexManifest, KeywordHit, SearchIndex } from './types.js';

/** Bumped when the on-disk layout changes (files, their shapes). */
export const FORMAT_VERSION = 3;

/** A chunk as stored in chunks.json: its text is `article.text.slice(start, end)`, so it is not repeated. */
export type StoredChunk = Omit<Chunk, 'text'>;

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
  ) {}

  get denseStats(): DenseStats | null {
    return this.manifest.dense ?? null;
  }

  sentenceVector(articleId: string, start: number, end: number): Float32Array | null {
    return this.sentences?.vector(articleId, start, end) ?? null;
  }

  get mode(): SearchMode {
    return this.manifest.mode;
  }

  chunksOf(articleId: string): Chunk[] {
    const ids = this.manifest.articles[articleId]?.chunkIds ?? [];
    const out: Chunk[] = [];
    for (const id of ids) {
      const c = this.chunks.get(id);
      if (c) out.push(c);
    }
    return out;
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
    if (this.articles.has(article.id)) throw new Error(`article ${article.id} is already in the index`);
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
    if (this.sentences) {
      if (!sentences) throw new Error(`no sentence vectors for ${article.id}`);
      this.sentences.add(article.id, sentences.spans, sentences.vectors);
    }
    this.manifest.articles[article.id] = { file: article.file, hash: article.hash, chunkIds: chunks.map((c) => c.id) };
  }

  /** Removes an article with its chunks and vectors; returns how many chunks went. */
  removeArticle(articleId: string): number {
    const entry = this.manifest.articles[articleId];
    this.articles.delete(articleId);
    this.sentences?.remove(articleId);
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
    this.articles.set(article.id, article);
    const entry = this.manifest.articles[article.id];
    if (entry) entry.file = article.file;
  }
}

/**
 * Saves `index` as a new generation of `index.dir` (see disk.ts) and returns its name.
 * The caller must hold the writer lock.
 */
export async function saveIndex(index: MemoryIndex, hooks: SaveHooks = {}, onFile?: (done: number, total: number) => void): Promise<string> {
  const now = new Date().toISOString();
  index.manifest.updatedAt = now;
  const chunks: StoredChunk[] = [];
  for (const c of index.chunks.values()) {
    chunks.push({ id: c.id, articleId: c.articleId, ordinal: c.ordinal, start: c.start, end: c.end, tokens: c.tokens });
  }
  chunks.sort((a, b) => a.id - b.id);
  const articles = [...index.articles.values()].sort((a, b) => (a.file === b.file ? a.position - b.position : a.file < b.file ? -1 : 1));

  const files: GenerationFile[] = [
    { name: GEN_FILES.articles, write: (f) => writeLinesSynced(f, jsonArrayLines(articles)) },
    { name: GEN_FILES.chunks, write: (f) => writeLinesSynced(f, jsonArrayLines(chunks)) },
    { name: GEN_FILES.keyword, write: (f) => index.keyword.write(f) },
  ];
  const vectors = index.vectors;
  if (vectors) files.push({ name: GEN_FILES.vectors, write: (f) => vectors.write(f) });
  const sentences = index.sentences;
  if (sentences) files.push(...sentences.generationFiles());
  // The manifest goes last: a generation folder with a manifest is complete.
  files.push({ name: GEN_FILES.manifest, write: `${JSON.stringify(index.manifest)}\n` });

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
  sentences?.committed(generationDir(index.dir, gen));
  return gen;
}

/** `[\n<item>,\n<item>\n]\n`: a JSON array written one element per line. */
function* jsonArrayLines(items: readonly unknown[]): Generator<string> {
  yield '[\n';
  for (let i = 0; i < items.length; i++) yield `${JSON.stringify(items[i])}${i + 1 < items.length ? ',' : ''}\n`;
  yield ']\n';
}
