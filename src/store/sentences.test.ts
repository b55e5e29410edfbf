import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { runIndexer } from '../indexer/run.js';
import { fakeEmbedder, tempWorkspace, testConfig } from '../../test/indexing.js';
import { currentGeneration } from './disk.js';
import { loadIndex } from './load.js';
import type { MemoryIndex } from './memory.js';
import { articleSentenceSpans, segmentFiles, SentenceStore } from './sentences.js';

const dim = 4;
const vec = (x: number): Float32Array => Float32Array.from([x, x + 1, x + 2, x + 3]);
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-sent-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes the store's generation files into a fresh folder, as saveIndex does. */
function save(store: SentenceStore, name: string): string {
  const gen = path.join(dir, name);
  fs.mkdirSync(gen);
  for (const f of store.generationFiles()) {
    const file = path.join(gen, f.name);
    if (typeof f.write === 'function') f.write(file);
    else fs.writeFileSync(file, f.write);
  }
  store.committed(gen);
  return gen;
}

describe('SentenceStore', () => {
  it('round-trips vectors by article and span, and knows what it lacks', () => {
    const s = SentenceStore.create(dim);
    s.add('a', [{ start: 0, end: 5 }, { start: 5, end: 9 }], [vec(1), vec(2)]);
    s.add('b', [{ start: 0, end: 3 }], [vec(3)]);
    const gen = save(s, 'g1');
    const r = SentenceStore.read(gen, dim);
    expect(Array.from(r.vector('a', 5, 9)!)).toEqual([2, 3, 4, 5]);
    expect(Array.from(r.vector('b', 0, 3)!)).toEqual([3, 4, 5, 6]);
    expect(r.vector('a', 0, 9)).toBeNull();
    expect(r.vector('zzz', 0, 5)).toBeNull();
    expect(r.size).toBe(3);
    r.close();
  });

  it('a later generation hard-links unchanged segments and writes only the new rows', () => {
    const s = SentenceStore.create(dim);
    s.add('a', [{ start: 0, end: 5 }], [vec(1)]);
    s.add('b', [{ start: 0, end: 5 }], [vec(2)]);
    const g1 = save(s, 'g1');
    s.add('c', [{ start: 0, end: 5 }], [vec(3)]);
    const g2 = save(s, 'g2');
    expect(segmentFiles(g2)).toEqual(['sentvec-000001.f32', 'sentvec-000002.f32']);
    expect(fs.statSync(path.join(g2, 'sentvec-000001.f32')).ino).toBe(fs.statSync(path.join(g1, 'sentvec-000001.f32')).ino);
    expect(fs.statSync(path.join(g2, 'sentvec-000002.f32')).size).toBe(dim * 4);
    // The old generation can go; the new one still reads.
    fs.rmSync(g1, { recursive: true });
    const r = SentenceStore.read(g2, dim);
    expect(Array.from(r.vector('a', 0, 5)!)).toEqual([1, 2, 3, 4]);
    expect(Array.from(r.vector('c', 0, 5)!)).toEqual([3, 4, 5, 6]);
    r.close();
  });

  it('compacts into one segment once removed rows are the majority', () => {
    const s = SentenceStore.create(dim);
    for (let i = 0; i < 6; i++) s.add(`a${i}`, [{ start: 0, end: 5 }], [vec(i)]);
    save(s, 'g1');
    for (let i = 0; i < 4; i++) s.remove(`a${i}`);
    const g2 = save(s, 'g2');
    expect(segmentFiles(g2)).toEqual(['sentvec-000002.f32']);
    expect(fs.statSync(path.join(g2, 'sentvec-000002.f32')).size).toBe(2 * dim * 4);
    const r = SentenceStore.read(g2, dim);
    expect(Array.from(r.vector('a5', 0, 5)!)).toEqual([5, 6, 7, 8]);
    expect(r.vector('a0', 0, 5)).toBeNull();
    r.close();
  });

  it('a reader keeps answering after its generation is deleted (it holds the segment files open)', () => {
    const s = SentenceStore.create(dim);
    s.add('a', [{ start: 0, end: 5 }], [vec(7)]);
    const gen = save(s, 'g1');
    const r = SentenceStore.read(gen, dim);
    fs.rmSync(gen, { recursive: true });
    expect(Array.from(r.vector('a', 0, 5)!)).toEqual([7, 8, 9, 10]);
  });

  it('keeps at most 16 segments: one more save compacts them into one', () => {
    const s = SentenceStore.create(dim);
    let gen = '';
    for (let i = 0; i < 17; i++) {
      s.add(`a${i}`, [{ start: 0, end: 5 }], [vec(i)]);
      gen = save(s, `g${i}`);
    }
    expect(segmentFiles(gen).length).toBeLessThanOrEqual(16);
    const r = SentenceStore.read(gen, dim);
    for (let i = 0; i < 17; i++) expect(r.vector(`a${i}`, 0, 5)![0]).toBe(i);
  });

  it('refuses a truncated segment file', () => {
    const s = SentenceStore.create(dim);
    s.add('a', [{ start: 0, end: 5 }, { start: 5, end: 8 }], [vec(1), vec(2)]);
    const gen = save(s, 'g1');
    fs.truncateSync(path.join(gen, 'sentvec-000001.f32'), dim * 4);
    expect(() => SentenceStore.read(gen, dim)).toThrow(/sentvec-000001\.f32 has 16 bytes, expected 32/u);
  });
});

describe('articleSentenceSpans', () => {
  it('is splitSentences over the article, plus the pieces of a sentence the chunker had to cut', () => {
    const text = '第一句。第二句很长很长很长很长。第三句！';
    // A chunk boundary inside the second sentence (as for a sentence over the token limit).
    const cut = text.indexOf('很长很长。');
    const chunks = [
      { start: 0, text: text.slice(0, cut) },
      { start: cut, text: text.slice(cut) },
    ];
    const spans = articleSentenceSpans({ text }, chunks).map((s) => text.slice(s.start, s.end));
    expect(spans).toEqual(['第一句。', '第二句很长很长', '第二句很长很长很长很长。', '很长很长。', '第三句！']);
  });
});

describe('sentence vectors in the index generations', () => {
  it('an incremental save links the previous segment; an interrupted save leaves the previous generation whole', async () => {
    const ws = tempWorkspace('baowen-sent-idx-');
    try {
      const config = testConfig(ws);
      const log = createLogger('silent');
      const embedder = fakeEmbedder();
      await runIndexer({ config, log, embedder });
      const g1 = currentGeneration(ws.indexDir)!;
      // New rows were spilled to a scratch file while embedding, then linked in; no scratch is left.
      expect(fs.existsSync(path.join(ws.indexDir, '.spill'))).toBe(false);
      expect(fs.statSync(path.join(ws.indexDir, g1, segmentFiles(path.join(ws.indexDir, g1))[0]!)).nlink).toBe(1);
      const page = fs.readdirSync(ws.seedsDir)[0]!;
      const p = path.join(ws.seedsDir, page);
      fs.appendFileSync(p, '\n\n## 新增报道\n\n本报讯（记者 王明）北京市总工会日前举办职工书画展。\n');
      await expect(
        runIndexer({ config, log, embedder, saveHooks: { onStep: (s) => { if (s === 'switch') throw new Error('crash'); } } }),
      ).rejects.toThrow('crash');
      expect(currentGeneration(ws.indexDir)).toBe(g1);
      const before = loadIndex(ws.indexDir) as MemoryIndex;
      expect(before.sentences!.size).toBeGreaterThan(100);

      await runIndexer({ config, log, embedder });
      const g2 = currentGeneration(ws.indexDir)!;
      const d1 = path.join(ws.indexDir, g1);
      const d2 = path.join(ws.indexDir, g2);
      expect(fs.statSync(path.join(d2, segmentFiles(d1)[0]!)).ino).toBe(fs.statSync(path.join(d1, segmentFiles(d1)[0]!)).ino);
      const after = loadIndex(ws.indexDir);
      const added = [...after.articles.values()].find((a) => a.text.includes('职工书画展'))!;
      const span = { start: added.text.indexOf('北京市'), end: added.text.length };
      expect(after.sentenceVector(added.id, 0, span.end)).not.toBeNull();
    } finally {
      ws.cleanup();
    }
  });
});
