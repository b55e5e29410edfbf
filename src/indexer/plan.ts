/**
 * What an indexing run must do, decided without a disk: from the previous manifest and the pages'
 * content hashes, which pages to parse, which are unchanged, which are gone, or why everything must
 * be rebuilt; and, for a parsed page, which of its articles are unchanged, changed, new or gone.
 * run.ts applies the plan.
 *
 * @example
 * const plan = planPages({ prev: manifest, pages: [{ file: 'a.txt', hash: 'h1' }], full: false,
 *   mode: 'keyword', model: null, hnsw: null });
 * plan.parse; // → ['a.txt'] when its hash differs from the manifest's
 */
import { CHUNKER_VERSION } from '../ingest/index.js';
import { FORMAT_VERSION } from '../store/memory.js';
import type { IndexManifest, ManifestArticle } from '../store/types.js';
import type { Article, SearchMode } from '../types.js';

/** The model an index is built with (what the manifest records of it). */
export interface ModelShape {
  modelId: string;
  dim: number;
  maxTokens: number;
}

export interface PlanInput {
  /** The previous generation's manifest (null: none, or unreadable). */
  prev: IndexManifest | null;
  /** Every page file now, with the sha256 of its bytes. */
  pages: readonly { file: string; hash: string }[];
  /** `--full`: rebuild whatever the previous index is. */
  full: boolean;
  mode: SearchMode;
  model: ModelShape | null;
  /** HNSW build settings now (hybrid). */
  hnsw: { M: number; efConstruction: number } | null;
}

export interface PagePlan {
  /** Why everything is rebuilt (null: an incremental update of `prev`). */
  rebuildReason: string | null;
  /** Pages to parse: new or changed (every page in a rebuild). */
  parse: string[];
  /** Pages whose articles stay as they are. */
  unchanged: string[];
  /** Pages that are gone: their articles are removed. */
  removed: string[];
  /** The HNSW settings changed: the graph is rebuilt (no re-embedding). */
  hnswChanged: boolean;
  /** Nothing to do: the index is up to date. */
  upToDate: boolean;
}

/** What to do with the pages (see the module comment). */
export function planPages(input: PlanInput): PagePlan {
  const { prev } = input;
  const rebuildReason = input.full ? 'requested (--full)' : prev ? whyRebuild(prev, input.mode, input.model) : null;
  const incremental = prev !== null && rebuildReason === null;
  const parse: string[] = [];
  const unchanged: string[] = [];
  for (const { file, hash } of input.pages) {
    if (incremental && prev?.files[file]?.hash === hash) unchanged.push(file);
    else parse.push(file);
  }
  const present = new Set(input.pages.map((p) => p.file));
  const removed = incremental && prev ? Object.keys(prev.files).filter((f) => !present.has(f)) : [];
  const hnswChanged = incremental && input.mode === 'hybrid' && (prev?.hnsw?.M !== input.hnsw?.M || prev?.hnsw?.efConstruction !== input.hnsw?.efConstruction);
  const upToDate = incremental && parse.length === 0 && removed.length === 0 && !hnswChanged;
  return { rebuildReason, parse, unchanged, removed, hnswChanged, upToDate };
}

/** Why the previous index cannot be updated incrementally, or null when it can. */
export function whyRebuild(prev: IndexManifest, mode: SearchMode, model: ModelShape | null): string | null {
  if (prev.formatVersion !== FORMAT_VERSION) return `index format changed (${prev.formatVersion} → ${FORMAT_VERSION})`;
  if (prev.chunkerVersion !== CHUNKER_VERSION) return `chunker changed (${prev.chunkerVersion} → ${CHUNKER_VERSION})`;
  if (prev.mode !== mode) {
    return mode === 'hybrid'
      ? `the previous index is keyword-only; the model ${model?.modelId} is now available`
      : `the previous index is hybrid (${prev.model?.id}), but no model is available now`;
  }
  if (model && prev.model) {
    if (prev.model.id !== model.modelId) return `model changed (${prev.model.id} → ${model.modelId})`;
    if (prev.model.dim !== model.dim) return `model dimension changed (${prev.model.dim} → ${model.dim})`;
    if (prev.model.maxTokens !== model.maxTokens) return `model max tokens changed (${prev.model.maxTokens} → ${model.maxTokens})`;
  }
  return null;
}

export interface ArticleDiff {
  /** The page's article ids now, in page order (a repeated id counts once). */
  ids: string[];
  /** Same content hash as indexed: kept (refreshed, e.g. a new position). */
  unchanged: Article[];
  /** Indexed with another hash: re-chunked and re-embedded. */
  changed: Article[];
  /** Not indexed yet. */
  added: Article[];
  /** Were on this page, are no more. */
  removed: string[];
  /** A second article with an id already on the page (same headline): dropped. */
  duplicates: Article[];
}

/** A parsed page's articles against the manifest: `oldIds` are the ids the page had. */
export function planArticles(entries: Readonly<Record<string, ManifestArticle>>, oldIds: readonly string[], parsed: readonly Article[]): ArticleDiff {
  const diff: ArticleDiff = { ids: [], unchanged: [], changed: [], added: [], removed: [], duplicates: [] };
  const seen = new Set<string>();
  for (const article of parsed) {
    if (seen.has(article.id)) {
      diff.duplicates.push(article);
      continue;
    }
    seen.add(article.id);
    diff.ids.push(article.id);
    const entry = entries[article.id];
    if (!entry) diff.added.push(article);
    else if (entry.hash === article.hash) diff.unchanged.push(article);
    else diff.changed.push(article);
  }
  diff.removed = oldIds.filter((id) => !seen.has(id));
  return diff;
}
