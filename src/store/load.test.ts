import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { runIndexer } from '../indexer/run.js';
import { fakeEmbedder, tempWorkspace, testConfig } from '../../test/indexing.js';
import { currentGeneration, GEN_FILES } from './disk.js';
import { IndexCorruptError, IndexMismatchError, IndexNotFoundError } from './errors.js';
import { loadIndex } from './load.js';

const log = createLogger('silent');
let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

describe('loadIndex', () => {
  it('IndexNotFoundError with the command to run when there is no index', () => {
    expect(() => loadIndex(ws.indexDir)).toThrow(IndexNotFoundError);
    expect(() => loadIndex(ws.indexDir)).toThrow(`No index in ${ws.indexDir}. Run: npm run index`);
  });

  it('loads a hybrid index built with the same model; refuses one built with another model', async () => {
    await runIndexer({ config: testConfig(ws), log, embedder: fakeEmbedder({ modelId: 'org/model-a' }) });
    const index = loadIndex(ws.indexDir, { modelId: 'org/model-a' });
    expect(index.mode).toBe('hybrid');
    expect(index.generation).toBe(currentGeneration(ws.indexDir));
    expect(index.manifest.model).toEqual({ id: 'org/model-a', dim: 64, maxTokens: 256 });

    let err: unknown;
    try {
      loadIndex(ws.indexDir, { modelId: 'org/model-b' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IndexMismatchError);
    expect((err as Error).message).toContain('built with model org/model-a, but EMBED_MODEL is org/model-b');
    expect((err as Error).message).toContain('re-index: npm run index -- --full');
    // Not saying which model is expected accepts any.
    expect(loadIndex(ws.indexDir).mode).toBe('hybrid');
  });

  it('a keyword-only index loads whatever model is configured', async () => {
    await runIndexer({ config: testConfig(ws), log, embedder: null, modelError: 'no model here' });
    const index = loadIndex(ws.indexDir, { modelId: 'Xenova/multilingual-e5-small' });
    expect(index.mode).toBe('keyword');
    expect(index.manifest.modelError).toBe('no model here');
    expect(index.denseSearch(new Float32Array(64), 5)).toEqual([]);
    expect(index.keywordSearch('德胜街道 植树', 1)).toHaveLength(1);
  });

  it('refuses an index written by another chunker or format version', async () => {
    await runIndexer({ config: testConfig(ws), log, embedder: null });
    const file = path.join(ws.indexDir, currentGeneration(ws.indexDir)!, GEN_FILES.manifest);
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...manifest, chunkerVersion: 999 }));
    expect(() => loadIndex(ws.indexDir)).toThrow(/chunker version 999.*npm run index -- --full/);
    fs.writeFileSync(file, JSON.stringify({ ...manifest, formatVersion: 999 }));
    expect(() => loadIndex(ws.indexDir)).toThrow(IndexMismatchError);
  });

  it('IndexCorruptError when the live generation is damaged', async () => {
    await runIndexer({ config: testConfig(ws), log, embedder: fakeEmbedder() });
    const gen = currentGeneration(ws.indexDir)!;
    fs.rmSync(path.join(ws.indexDir, gen, GEN_FILES.vectors));
    expect(() => loadIndex(ws.indexDir)).toThrow(IndexCorruptError);
    fs.rmSync(path.join(ws.indexDir, gen), { recursive: true });
    expect(() => loadIndex(ws.indexDir)).toThrow(/damaged .*manifest.json is missing/);
  });

  it('serves chunks in reading order with their verbatim text', async () => {
    await runIndexer({ config: testConfig(ws), log, embedder: null });
    const index = loadIndex(ws.indexDir);
    expect(index.keywordDocCount()).toBe(index.chunks.size);
    for (const article of index.articles.values()) {
      const chunks = index.chunksOf(article.id);
      expect(chunks.length).toBeGreaterThan(0);
      chunks.forEach((c, i) => {
        expect(c.ordinal).toBe(i);
        expect(c.text).toBe(article.text.slice(c.start, c.end));
      });
    }
    expect(index.chunksOf('no-such-article')).toEqual([]);
  });
});
