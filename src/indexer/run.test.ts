import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSeedsDir } from '../ingest/index.js';
import { createLogger } from '../log.js';
import { docSegmentFiles } from '../store/docs.js';
import { currentGeneration } from '../store/disk.js';
import { IndexLockedError } from '../store/errors.js';
import { loadIndex } from '../store/load.js';
import { tryLock } from '../store/lock.js';
import type { MemoryIndex } from '../store/memory.js';
import { splitSentences } from '../text/sentences.js';
import { passageText, runIndexer, type RunIndexerOptions } from './run.js';
import { fakeEmbedder, SEEDS_DIR, tempWorkspace, testConfig, type FakeEmbedder } from '../../test/indexing.js';

const log = createLogger('silent');
let ws: ReturnType<typeof tempWorkspace>;
let embedder: FakeEmbedder;
/** Articles per seed page, from the parser itself (31 in all at the time of writing). */
let perPage: Map<string, number>;
let total: number;

beforeAll(async () => {
  const pages = await parseSeedsDir(SEEDS_DIR);
  perPage = new Map(pages.map((p) => [p.file, p.articles.length]));
  total = pages.reduce((n, p) => n + p.articles.length, 0);
});
beforeEach(() => {
  ws = tempWorkspace();
  embedder = fakeEmbedder();
});
afterEach(() => ws.cleanup());

const run = (over: Partial<RunIndexerOptions> = {}) => runIndexer({ config: testConfig(ws), log, embedder, ...over });
const pageWith = (needle: string): string =>
  fs.readdirSync(ws.seedsDir).find((f) => fs.readFileSync(path.join(ws.seedsDir, f), 'utf8').includes(needle))!;

/** Distinct texts the index holds vectors for: chunk passages and sentences (of one article, or all). */
function textsOf(index: MemoryIndex, articleId?: string): Set<string> {
  const out = new Set<string>();
  for (const a of index.articles.values()) {
    if (articleId && a.id !== articleId) continue;
    for (const c of index.chunksOf(a.id)) out.add(passageText(a, c));
    for (const sp of index.sentences!.spansOf(a.id)) out.add(a.text.slice(sp.start, sp.end));
  }
  return out;
}

describe('runIndexer: an interrupted first build', () => {
  it('continues where it stopped: nothing embedded twice, and the same index as an uninterrupted build', async () => {
    // The model dies on its second call (after the passages, before the sentences): nothing is saved, the journal keeps what was embedded.
    let calls = 0;
    const flaky: FakeEmbedder = {
      ...embedder,
      embedPassages: async (texts, p) => {
        if (++calls === 2) throw new Error('model crashed');
        return embedder.embedPassages(texts, p);
      },
    };
    await expect(run({ embedder: flaky })).rejects.toThrow('model crashed');
    expect(currentGeneration(ws.indexDir)).toBeNull();
    const before = embedder.embeddedCount;
    expect(before).toBeGreaterThan(0);

    const s = await run();
    const index = loadIndex(ws.indexDir) as MemoryIndex;
    expect(s.resumedVectors).toBe(before);
    expect(embedder.embeddedCount).toBe(textsOf(index).size); // across both runs, each text once
    expect(fs.existsSync(path.join(ws.indexDir, '.journal'))).toBe(false);

    const clean = tempWorkspace();
    try {
      await runIndexer({ config: testConfig(clean), log, embedder: fakeEmbedder() });
      const ref = loadIndex(clean.indexDir);
      for (const q of ['通州区去年新发展了多少工会会员', '德胜街道 植树']) {
        expect(index.keywordSearch(q, 5)).toEqual(ref.keywordSearch(q, 5));
        const v = await embedder.embedQuery(q);
        expect(index.denseSearch(v, 5)).toEqual(ref.denseSearch(v, 5));
      }
    } finally {
      clean.cleanup();
    }
  });
});

describe('runIndexer: incremental', () => {
  it('first run adds every article; a second run embeds nothing and writes nothing', async () => {
    const first = await run();
    expect(total).toBeGreaterThanOrEqual(25);
    expect(first).toMatchObject({ mode: 'hybrid', articles: total, added: total, changed: 0, removed: 0, unchanged: 0, skipped: [] });
    expect(first.embedded).toBe(first.chunks);
    // Each distinct text once: every chunk's passage and every sentence (for the answer path).
    const built = loadIndex(ws.indexDir) as MemoryIndex;
    expect(first.sentencesEmbedded).toBe(built.sentences!.size);
    expect(first.sentencesEmbedded).toBeGreaterThan(first.chunks);
    expect(embedder.embeddedCount).toBe(textsOf(built).size);

    const gen = currentGeneration(ws.indexDir);
    const second = await run();
    expect(second).toMatchObject({ articles: total, chunks: first.chunks, added: 0, changed: 0, removed: 0, unchanged: total, embedded: 0, written: false });
    expect(embedder.embeddedCount).toBe(textsOf(built).size);
    expect(currentGeneration(ws.indexDir)).toBe(gen);
  });

  it('an edited article is re-chunked and re-embedded alone', async () => {
    await run();
    const file = pageWith('2.36万人');
    const p = path.join(ws.seedsDir, file);
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('2.36万人', '2.37万人'));
    const before = embedder.embeddedCount;
    const old = loadIndex(ws.indexDir) as MemoryIndex;

    const s = await run();
    const index = loadIndex(ws.indexDir) as MemoryIndex;
    const edited = [...index.articles.values()].find((a) => a.text.includes('2.37万人'))!;
    expect(s).toMatchObject({ articles: total, added: 0, changed: 1, removed: 0, unchanged: total - 1 });
    expect(s.embedded).toBe(index.chunksOf(edited.id).length);
    // Only texts the edit changed go to the model (the edited sentence, the chunk holding it).
    const fresh = [...textsOf(index, edited.id)].filter((t) => !textsOf(old, edited.id).has(t));
    expect(fresh.length).toBeGreaterThanOrEqual(2);
    expect(embedder.embeddedCount - before).toBe(fresh.length);
    expect(s.reusedVectors).toBe(textsOf(index, edited.id).size - fresh.length);
    // Every sentence of the edited article has the vector of its own text.
    for (const sp of splitSentences(edited.text)) {
      const [want] = await embedder.embedPassages([edited.text.slice(sp.start, sp.end)]);
      expect(Array.from(index.sentenceVector(edited.id, sp.start, sp.end)!)).toEqual(Array.from(want!));
    }
    // Old text gone from both retrievers; the new text is found.
    const hit = index.keywordSearch('2.37万人 通州', 1)[0]!;
    expect(index.chunks.get(hit.chunkId)!.articleId).toBe(edited.id);
    expect([...index.chunks.values()].some((c) => c.text.includes('2.36万人'))).toBe(false);
    const dense = index.denseSearch(await embedder.embedQuery(index.chunksOf(edited.id)[0]!.text), 1)[0]!;
    expect(index.chunks.get(dense.chunkId)!.articleId).toBe(edited.id);
    expect(index.chunks.size).toBe(s.chunks);
    // The edit cost what it changed: the graph, the keyword base and the first docs segment are the
    // previous generation's files (hard links), the new chunks sit beside the graph.
    const inode = (m: MemoryIndex, f: string): number => fs.statSync(path.join(ws.indexDir, m.generation, f)).ino;
    for (const f of ['vectors.hnsw', 'keyword.bin', 'docs-000001.ndjson']) expect(inode(index, f)).toBe(inode(old, f));
    expect(index.manifest.hnsw?.extra?.sort()).toEqual(index.chunksOf(edited.id).map((c) => c.id).sort());
    expect(index.vectors!.deleted).toBe(old.chunksOf(edited.id).length);
  });

  it('a new page is added, a deleted page removed', async () => {
    await run();
    const [first] = fs.readdirSync(ws.seedsDir).sort();
    fs.copyFileSync(path.join(ws.seedsDir, first!), path.join(ws.seedsDir, '999_new_page.txt'));
    const added = await run();
    const n = perPage.get(first!)!;
    expect(added).toMatchObject({ articles: total + n, added: n, removed: 0, unchanged: total });

    fs.rmSync(path.join(ws.seedsDir, first!));
    const removed = await run();
    expect(removed).toMatchObject({ articles: total, added: 0, removed: n, unchanged: total, embedded: 0 });
    const index = loadIndex(ws.indexDir);
    expect(Object.keys(index.manifest.files)).not.toContain(first);
    expect([...index.articles.values()].every((a) => a.file !== first)).toBe(true);
    expect(index.chunks.size).toBe(removed.chunks);
  });

  it('a malformed (empty) new page is skipped by name; everything else is kept', async () => {
    await run();
    fs.writeFileSync(path.join(ws.seedsDir, '500_blank.txt'), '');
    const s = await run();
    expect(s.skipped).toEqual([{ file: '500_blank.txt', error: expect.stringContaining('empty page') }]);
    expect(s).toMatchObject({ articles: total, added: 0, removed: 0, unchanged: total });
    // Reported again while it stays broken, without rewriting the index.
    const again = await run();
    expect(again.skipped.map((x) => x.file)).toEqual(['500_blank.txt']);
    expect(again.written).toBe(false);
  });

  it('a page that parsed before and now fails keeps its old articles, and says so', async () => {
    await run();
    const file = pageWith('德胜街道');
    const n = perPage.get(file)!;
    fs.writeFileSync(path.join(ws.seedsDir, file), '   \n');
    const s = await run();
    expect(s.skipped).toHaveLength(1);
    expect(s.skipped[0]!.file).toBe(file);
    expect(s.skipped[0]!.error).toContain(`kept its ${n} article(s) from the previous index`);
    expect(s).toMatchObject({ articles: total, removed: 0 });
    const index = loadIndex(ws.indexDir);
    expect(index.chunks.get(index.keywordSearch('德胜街道 植树', 1)[0]!.chunkId)!.text).toContain('德胜');

    // Fixed again: re-parsed, its unchanged articles cost no embedding.
    fs.copyFileSync(path.join(SEEDS_DIR, file), path.join(ws.seedsDir, file));
    const fixed = await run();
    expect(fixed).toMatchObject({ articles: total, skipped: [], embedded: 0, unchanged: total });
  });

  it('edits saved as segments, deltas and extra vectors answer as a rebuild from scratch does', async () => {
    await run();
    // Three edits in three runs: a changed number, a removed page, a new page (another page's copy).
    const p = path.join(ws.seedsDir, pageWith('2.36万人'));
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('2.36万人', '2.37万人'));
    await run();
    const gone = pageWith('德胜街道');
    const copy = fs.readFileSync(path.join(ws.seedsDir, gone), 'utf8').replaceAll('德胜街道', '安贞街道');
    fs.rmSync(path.join(ws.seedsDir, gone));
    await run();
    fs.writeFileSync(path.join(ws.seedsDir, 'zz-new.txt'), copy);
    const last = await run();
    const edited = loadIndex(ws.indexDir) as MemoryIndex;
    expect(docSegmentFiles(path.join(ws.indexDir, edited.generation)).length).toBeGreaterThan(1);
    expect(fs.existsSync(path.join(ws.indexDir, edited.generation, 'keyword-delta.bin'))).toBe(true);

    const rebuilt = await run({ full: true });
    const fresh = loadIndex(ws.indexDir) as MemoryIndex;
    expect(fresh.manifest.hnsw?.extra).toEqual([]);
    expect(rebuilt.chunks).toBe(last.chunks);
    const text = (m: MemoryIndex, id: number): string => `${m.chunks.get(id)!.articleId}|${m.chunks.get(id)!.text}`;
    expect([...edited.articles.values()].map((a) => a.id)).toEqual([...fresh.articles.values()].map((a) => a.id));
    for (const q of ['通州区 2.37万人', '安贞街道 植树', '德胜街道', '工会会员', '平谷区总工会调解劳动争议']) {
      const a = edited.keywordSearch(q, 10);
      const b = fresh.keywordSearch(q, 10);
      expect(a.map((h) => text(edited, h.chunkId))).toEqual(b.map((h) => text(fresh, h.chunkId)));
      a.forEach((h, i) => expect(h.bm25).toBeCloseTo(b[i]!.bm25, 9));
      const v = await embedder.embedQuery(q);
      const da = edited.denseSearch(v, 5).map((h) => text(edited, h.chunkId));
      const db = fresh.denseSearch(v, 5).map((h) => text(fresh, h.chunkId));
      expect(da).toEqual(db);
    }
  });

  it('an unchanged corpus reads only the manifest (no O(total) work)', async () => {
    await run();
    const gen = currentGeneration(ws.indexDir)!;
    for (const f of [...docSegmentFiles(path.join(ws.indexDir, gen)), 'keyword.bin', 'vectors.hnsw']) fs.rmSync(path.join(ws.indexDir, gen, f));
    const s = await run();
    expect(s).toMatchObject({ written: false, unchanged: total, embedded: 0 });
  });

  it('a full rebuild keeps the last good articles of a page that now fails', async () => {
    await run();
    const file = pageWith('德胜街道');
    fs.writeFileSync(path.join(ws.seedsDir, file), '');
    const s = await run({ full: true });
    expect(s.articles).toBe(total);
    expect(s.skipped[0]!.error).toContain(`kept its ${perPage.get(file)} article(s)`);
    const index = loadIndex(ws.indexDir);
    expect(index.articles.get(index.chunks.get(index.keywordSearch('德胜街道 植树', 1)[0]!.chunkId)!.articleId)!.file).toBe(file);
  });

  it('full rebuilds: on request, on a model change, on a mode change — with the reason', async () => {
    const first = await run();
    const full = await run({ full: true });
    expect(full).toMatchObject({ added: total, embedded: first.chunks, rebuildReason: 'requested (--full)' });

    const other = fakeEmbedder({ modelId: 'org/other', dim: 32 });
    const changedModel = await run({ embedder: other });
    expect(changedModel.rebuildReason).toContain('model changed (test/fake-embedder → org/other)');
    expect(other.embeddedCount).toBe(textsOf(loadIndex(ws.indexDir) as MemoryIndex).size);
    expect(loadIndex(ws.indexDir, { modelId: 'org/other' }).manifest.model?.dim).toBe(32);

    const keyword = await run({ embedder: null, modelError: 'model missing' });
    expect(keyword).toMatchObject({ mode: 'keyword', embedded: 0, added: total });
    expect(keyword.rebuildReason).toContain('no model is available now');
    const index = loadIndex(ws.indexDir);
    expect(index.mode).toBe('keyword');
    expect(index.manifest.modelError).toBe('model missing');

    const back = await run();
    expect(back.mode).toBe('hybrid');
    expect(back.rebuildReason).toContain('keyword-only');
  });

  it('keyword-only runs are incremental too', async () => {
    const first = await run({ embedder: null });
    expect(first).toMatchObject({ mode: 'keyword', added: total, embedded: 0 });
    const second = await run({ embedder: null });
    expect(second).toMatchObject({ unchanged: total, written: false });
  });

  it('changing HNSW settings rebuilds the graph without re-embedding', async () => {
    await run();
    const before = embedder.embeddedCount;
    const s = await run({ config: testConfig(ws, { HNSW_M: "8", HNSW_EF_CONSTRUCTION: "150" }) });
    expect(s.written).toBe(true);
    expect(embedder.embeddedCount).toBe(before);
    expect(loadIndex(ws.indexDir).manifest.hnsw).toMatchObject({ M: 8, efConstruction: 150, extra: [] });
  });

  it('removing most pages compacts the vector graph and keeps results right', async () => {
    await run();
    const files = fs.readdirSync(ws.seedsDir).sort();
    for (const f of files.slice(0, 3)) fs.rmSync(path.join(ws.seedsDir, f));
    const s = await run();
    const index = loadIndex(ws.indexDir);
    expect(s.articles).toBe(total - files.slice(0, 3).reduce((n, f) => n + perPage.get(f)!, 0));
    for (const c of [...index.chunks.values()].slice(0, 10)) {
      const top = index.denseSearch(await embedder.embedQuery(c.text), 1)[0]!;
      expect(index.chunks.has(top.chunkId)).toBe(true);
    }
    expect(index.denseSearch(new Float32Array(64).fill(0.125), 1000)).toHaveLength(index.chunks.size);
    expect((index as MemoryIndex).vectors!.deleted).toBe(0); // rebuilt: >25% of slots were deleted
  });

  it('refuses to run while another writer holds the lock, and reports progress', async () => {
    const lock = tryLock(ws.indexDir);
    await expect(run()).rejects.toThrow(IndexLockedError);
    lock.release();
    const phases = new Set<string>();
    await run({ onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(['parse', 'embed', 'write']);
  });

  it('a missing seeds folder is a clear error', async () => {
    await expect(run({ config: testConfig({ seedsDir: path.join(ws.root, 'nope'), indexDir: ws.indexDir }) })).rejects.toThrow(
      /Seeds folder .*nope not found/,
    );
  });
});
