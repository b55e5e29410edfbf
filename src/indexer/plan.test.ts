import { describe, expect, it } from 'vitest';
import { CHUNKER_VERSION } from '../ingest/index.js';
import { FORMAT_VERSION } from '../store/memory.js';
import type { IndexManifest } from '../store/types.js';
import type { Article } from '../types.js';
import { planArticles, planPages, type PlanInput } from './plan.js';

/** A manifest of pages a.txt (articles a1, a2) and b.txt (b1), hashes ha and hb. */
function manifest(over: Partial<IndexManifest> = {}): IndexManifest {
  return {
    formatVersion: FORMAT_VERSION,
    chunkerVersion: CHUNKER_VERSION,
    mode: 'keyword',
    model: null,
    modelError: 'no model',
    hnsw: null,
    dense: null,
    createdAt: '',
    updatedAt: '',
    nextChunkId: 3,
    files: { 'a.txt': { hash: 'ha', articleIds: ['a1', 'a2'] }, 'b.txt': { hash: 'hb', articleIds: ['b1'] } },
    articles: {
      a1: { file: 'a.txt', hash: 'x1', chunkIds: [0] },
      a2: { file: 'a.txt', hash: 'x2', chunkIds: [1] },
      b1: { file: 'b.txt', hash: 'y1', chunkIds: [2] },
    },
    ...over,
  };
}

const input = (over: Partial<PlanInput>): PlanInput => ({
  prev: manifest(),
  pages: [
    { file: 'a.txt', hash: 'ha' },
    { file: 'b.txt', hash: 'hb' },
  ],
  full: false,
  mode: 'keyword',
  model: null,
  hnsw: null,
  ...over,
});

const article = (id: string, hash: string): Article => ({ id, hash }) as Article;

describe('planPages', () => {
  it('nothing to do when every page hash matches the manifest', () => {
    expect(planPages(input({}))).toEqual({ rebuildReason: null, parse: [], unchanged: ['a.txt', 'b.txt'], removed: [], hnswChanged: false, upToDate: true });
  });

  it('parses a changed and a new page, removes a missing one, keeps the rest', () => {
    const plan = planPages(input({ pages: [{ file: 'a.txt', hash: 'ha2' }, { file: 'c.txt', hash: 'hc' }] }));
    expect(plan).toMatchObject({ rebuildReason: null, parse: ['a.txt', 'c.txt'], unchanged: [], removed: ['b.txt'], upToDate: false });
  });

  it('a first build parses everything; --full and a new format rebuild everything, with the reason', () => {
    expect(planPages(input({ prev: null }))).toMatchObject({ rebuildReason: null, parse: ['a.txt', 'b.txt'], removed: [], upToDate: false });
    expect(planPages(input({ full: true }))).toMatchObject({ rebuildReason: 'requested (--full)', parse: ['a.txt', 'b.txt'], removed: [] });
    const old = planPages(input({ prev: manifest({ formatVersion: FORMAT_VERSION - 1 }), pages: [{ file: 'a.txt', hash: 'ha' }] }));
    expect(old.rebuildReason).toBe(`index format changed (${FORMAT_VERSION - 1} → ${FORMAT_VERSION})`);
    expect(old).toMatchObject({ parse: ['a.txt'], removed: [] });
  });

  it('a model now, where the index was keyword-only, or another model: a rebuild that says why', () => {
    const model = { modelId: 'm1', dim: 8, maxTokens: 512 };
    expect(planPages(input({ mode: 'hybrid', model, hnsw: { M: 16, efConstruction: 100 } })).rebuildReason).toBe('the previous index is keyword-only; the model m1 is now available');
    const hybrid = manifest({ mode: 'hybrid', model: { id: 'm0', dim: 8, maxTokens: 512 }, hnsw: { M: 16, efConstruction: 100 } });
    expect(planPages(input({ prev: hybrid, mode: 'hybrid', model, hnsw: { M: 16, efConstruction: 100 } })).rebuildReason).toBe('model changed (m0 → m1)');
  });

  it('new HNSW settings: no page parsed, the graph rebuilt', () => {
    const hybrid = manifest({ mode: 'hybrid', model: { id: 'm1', dim: 8, maxTokens: 512 }, hnsw: { M: 16, efConstruction: 100 } });
    const plan = planPages(input({ prev: hybrid, mode: 'hybrid', model: { modelId: 'm1', dim: 8, maxTokens: 512 }, hnsw: { M: 8, efConstruction: 100 } }));
    expect(plan).toMatchObject({ rebuildReason: null, parse: [], hnswChanged: true, upToDate: false });
  });
});

describe('planArticles', () => {
  it('sorts a parsed page into unchanged, changed, added and removed articles; a repeated id is dropped', () => {
    const m = manifest();
    const parsed = [article('a2', 'x2-new'), article('a3', 'z'), article('a1', 'x1'), article('a3', 'other')];
    const diff = planArticles(m.articles, ['a1', 'a2', 'a9'], parsed);
    expect(diff.ids).toEqual(['a2', 'a3', 'a1']);
    expect(diff.unchanged.map((a) => a.id)).toEqual(['a1']);
    expect(diff.changed.map((a) => a.id)).toEqual(['a2']);
    expect(diff.added.map((a) => a.id)).toEqual(['a3']);
    expect(diff.removed).toEqual(['a9']);
    expect(diff.duplicates.map((a) => a.hash)).toEqual(['other']);
  });
});
