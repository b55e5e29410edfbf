/**
 * Loading an index: follow `CURRENT`, check the manifest against this code and configuration,
 * read the generation into memory. Never returns an index that would give wrong results.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../config.js';
import { CHUNKER_VERSION } from '../ingest/index.js';
import type { Chunk } from '../types.js';
import { currentGeneration, GEN_FILES, generationDir, isErrno } from './disk.js';
import { DocReader } from './docs-reader.js';
import { IndexCorruptError, IndexMismatchError, IndexNotFoundError } from './errors.js';
import { efForSize, VectorIndex } from './hnsw.js';
import { KeywordIndex } from './keyword.js';
import { PASSAGE_NAMES, SentenceStore } from './sentences.js';
import { FORMAT_VERSION, MemoryIndex, type LoadedIndex } from './memory.js';
import type { IndexManifest } from './types.js';

export interface LoadOptions {
  /**
   * The configured model (`EMBED_MODEL`). A hybrid index built with another model is refused;
   * a keyword-only index is accepted whatever is configured (the app then runs keyword-only).
   * Omit (or null) to accept any model.
   */
  modelId?: string | null;
  /** Query-time HNSW beam width (HNSW_EF; its default lives in config.ts). */
  ef?: number;
}

const DEFAULT_EF = DEFAULTS.HNSW_EF;

/**
 * Loads the live generation of the index in `dir`.
 *
 * @throws {IndexNotFoundError} no index yet ("Run: npm run index")
 * @throws {IndexMismatchError} format/chunker version or model differ ("re-index: npm run index -- --full")
 * @throws {IndexCorruptError} the generation named by CURRENT is unreadable
 *
 * @example
 * const index = loadIndex(config.indexDir, { modelId: config.EMBED_MODEL, ef: config.HNSW_EF });
 * index.keywordSearch('德胜街道 植树', 5);
 */
export function loadIndex(dir: string, expect: LoadOptions = {}): LoadedIndex {
  // A writer may switch CURRENT and delete the generation we are reading (two saves during one
  // load); then follow CURRENT again.
  for (let attempt = 0; ; attempt++) {
    const gen = currentGeneration(dir);
    if (gen === null) throw new IndexNotFoundError(dir);
    try {
      const manifest = readManifest(dir, gen);
      checkCompatible(manifest, dir, expect);
      return readGeneration(dir, gen, manifest, expect.ef ?? DEFAULT_EF);
    } catch (e) {
      if (attempt < 2 && e instanceof IndexCorruptError && currentGeneration(dir) !== gen) continue;
      throw e;
    }
  }
}

/** The manifest of generation `gen` (cheap: one small file). */
export function readManifest(dir: string, gen: string): IndexManifest {
  const file = path.join(generationDir(dir, gen), GEN_FILES.manifest);
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as IndexManifest;
  } catch (e) {
    throw new IndexCorruptError(isErrno(e, 'ENOENT') ? `${gen}/${GEN_FILES.manifest} is missing` : `${gen}/${GEN_FILES.manifest}: ${String(e)}`, dir, { cause: e });
  }
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.formatVersion !== 'number') {
    throw new IndexCorruptError(`${gen}/${GEN_FILES.manifest} is not an index manifest`, dir);
  }
  return manifest;
}

/** Why `manifest` cannot serve `expect`, or null when it can. */
export function incompatibility(manifest: IndexManifest, expect: LoadOptions = {}): string | null {
  if (manifest.formatVersion !== FORMAT_VERSION) {
    return `has format version ${manifest.formatVersion}, this version of baowen reads ${FORMAT_VERSION}`;
  }
  if (manifest.chunkerVersion !== CHUNKER_VERSION) {
    return `was chunked by chunker version ${manifest.chunkerVersion}, this version of baowen chunks with ${CHUNKER_VERSION}`;
  }
  if (manifest.mode === 'hybrid' && expect.modelId && manifest.model?.id !== expect.modelId) {
    return `was built with model ${manifest.model?.id ?? '(none)'}, but EMBED_MODEL is ${expect.modelId}`;
  }
  return null;
}

/** Throws {@link IndexMismatchError} when {@link incompatibility} finds a reason. */
export function checkCompatible(manifest: IndexManifest, dir: string, expect: LoadOptions = {}): void {
  const reason = incompatibility(manifest, expect);
  if (reason) throw new IndexMismatchError(reason, dir);
}

/**
 * Opens generation `gen` (already checked) as a {@link MemoryIndex}: what a reader (the bot) loads.
 * The keyword index, the HNSW graph and the small tables are read into memory; articles and chunks
 * are read from their docs segments when asked for (see docs-reader.ts), vectors by row.
 */
export function readGeneration(dir: string, gen: string, manifest: IndexManifest, ef = DEFAULT_EF): MemoryIndex {
  const genDir = generationDir(dir, gen);
  const file = (name: string): string => path.join(genDir, name);
  try {
    const { articles, chunks } = new DocReader(dir, genDir, manifest);
    const keyword = KeywordIndex.readWithDelta(file(GEN_FILES.keyword), keywordDeltaFile(genDir));
    let vectors: VectorIndex | null = null;
    let sentences: SentenceStore | null = null;
    let passages: SentenceStore | null = null;
    if (manifest.mode === 'hybrid') {
      const { model, hnsw } = hybridSettings(manifest);
      sentences = SentenceStore.read(genDir, model.dim);
      passages = SentenceStore.read(genDir, model.dim, PASSAGE_NAMES);
      const extra = extraVectors(manifest, passages, (id) => chunks.get(id));
      vectors = VectorIndex.read(file(GEN_FILES.vectors), model.dim, { ...hnsw, ef: efForSize(ef, chunks.size) }, chunks.keys(), extra);
    }
    return new MemoryIndex(dir, gen, manifest, articles, chunks, keyword, vectors, sentences, passages);
  } catch (e) {
    if (e instanceof IndexCorruptError) throw e;
    throw new IndexCorruptError(`${gen}: ${e instanceof Error ? e.message : String(e)}`, dir, { cause: e });
  }
}

/**
 * Generation `gen` opened for update (the indexer's): only the manifest and small tables are read;
 * articles, keyword postings and the HNSW graph stay in their files until needed, and a save
 * hard-links what did not change (see memory.ts). `spillDir`: where new sentence and passage
 * vectors are spilled while the run embeds.
 */
export function openForUpdate(dir: string, gen: string, manifest: IndexManifest, ef: number, spillDir: string | null): MemoryIndex {
  const genDir = generationDir(dir, gen);
  const file = (name: string): string => path.join(genDir, name);
  try {
    const keyword = KeywordIndex.readForUpdate(file(GEN_FILES.keyword), keywordDeltaFile(genDir));
    let vectors: VectorIndex | null = null;
    let sentences: SentenceStore | null = null;
    let passages: SentenceStore | null = null;
    if (manifest.mode === 'hybrid') {
      const { model, hnsw } = hybridSettings(manifest);
      sentences = SentenceStore.readForUpdate(genDir, model.dim, spillDir);
      passages = SentenceStore.readForUpdate(genDir, model.dim, spillDir, PASSAGE_NAMES);
      const live: number[] = [];
      const chunkSpan = new Map<number, { articleId: string; start: number; end: number }>();
      const extraIds = new Set(hnsw.extra ?? []);
      for (const [articleId, a] of Object.entries(manifest.articles)) {
        for (const id of a.chunkIds) {
          live.push(id);
          if (extraIds.has(id)) chunkSpan.set(id, { articleId, start: -1, end: -1 });
        }
      }
      const index = MemoryIndex.forUpdate(genDir, new MemoryIndex(dir, gen, manifest, new Map(), new Map(), keyword, null, sentences, passages));
      // Extra vectors (chunks not in the graph) by their chunk's span: their articles are read for it.
      const extra = extraVectors(manifest, passages, (id) => {
        const at = chunkSpan.get(id);
        return at ? index.chunksOf(at.articleId).find((c) => c.id === id) : undefined;
      });
      index.vectors = VectorIndex.forUpdate(file(GEN_FILES.vectors), hnsw.points ?? 0, model.dim, { ...hnsw, ef }, live, extra);
      return index;
    }
    return MemoryIndex.forUpdate(genDir, new MemoryIndex(dir, gen, manifest, new Map(), new Map(), keyword, vectors, sentences, passages));
  } catch (e) {
    throw new IndexCorruptError(`${gen}: ${e instanceof Error ? e.message : String(e)}`, dir, { cause: e });
  }
}

function hybridSettings(manifest: IndexManifest): { model: NonNullable<IndexManifest['model']>; hnsw: NonNullable<IndexManifest['hnsw']> } {
  if (!manifest.model || !manifest.hnsw) throw new Error('hybrid manifest without model/hnsw settings');
  return { model: manifest.model, hnsw: manifest.hnsw };
}

function keywordDeltaFile(genDir: string): string | null {
  const f = path.join(genDir, GEN_FILES.keywordDelta);
  return fs.existsSync(f) ? f : null;
}

/** The vectors of the chunks the manifest lists as not in the HNSW graph, from the passage store. */
function extraVectors(manifest: IndexManifest, passages: SentenceStore, chunkOf: (id: number) => Pick<Chunk, 'articleId' | 'start' | 'end'> | undefined): Map<number, Float32Array> {
  const out = new Map<number, Float32Array>();
  for (const id of manifest.hnsw?.extra ?? []) {
    const c = chunkOf(id);
    if (!c) continue; // removed since
    const v = passages.vector(c.articleId, c.start, c.end);
    if (!v) throw new Error(`the passage vector of chunk ${id} is missing`);
    out.set(id, v);
  }
  return out;
}
