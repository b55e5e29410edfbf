import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIndexer } from '../indexer/run.js';
import { createLogger } from '../log.js';
import { tempWorkspace, testConfig } from '../../test/indexing.js';
import { currentGeneration, generationDir } from './disk.js';
import { docSegmentFiles, readAllDocs } from './docs.js';
import { DocReader } from './docs-reader.js';
import { IndexCorruptError } from './errors.js';
import { loadIndex, readManifest } from './load.js';

const log = createLogger('silent');
let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

const run = () => runIndexer({ config: testConfig(ws), log, embedder: null });
const genDir = (): string => generationDir(ws.indexDir, currentGeneration(ws.indexDir)!);

describe('DocReader (the bot reads articles by offset)', () => {
  it('serves what reading every docs line gave, in the same order, after edits in new segments and with a tiny cache', async () => {
    await run();
    const pages = fs.readdirSync(ws.seedsDir).sort();
    const p = path.join(ws.seedsDir, pages[1]!);
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('工会', '公会'));
    fs.rmSync(path.join(ws.seedsDir, pages[2]!));
    fs.copyFileSync(path.join(ws.seedsDir, pages[0]!), path.join(ws.seedsDir, '000_aaa-new.txt'));
    await run();
    const dir = genDir();
    expect(docSegmentFiles(dir).length).toBeGreaterThan(1);
    const manifest = readManifest(ws.indexDir, currentGeneration(ws.indexDir)!);
    const full = readAllDocs(dir, manifest);
    const lazy = new DocReader(ws.indexDir, dir, manifest, 2);

    expect([...lazy.articles.keys()]).toEqual([...full.articles.keys()]);
    expect([...lazy.articles.values()]).toEqual([...full.articles.values()]);
    expect([...lazy.chunks.keys()]).toEqual([...full.chunks.keys()]);
    expect(lazy.chunks.size).toBe(full.chunks.size);
    // Heads (for listings) read from the start of each line: every field before the body, in order.
    const headFields = ['id', 'file', 'position', 'kicker', 'title', 'byline', 'reporters', 'correspondents', 'photographers', 'kind'] as const;
    const want = [...full.articles.values()].map((a) => Object.fromEntries(headFields.map((k) => [k, a[k]])));
    expect([...lazy.heads()]).toEqual(want);
    expect(lazy.articles.size).toBe(full.articles.size);
    // Looked up out of order through a 2-article cache: same content, and the same object while cached.
    const ids = [...full.chunks.keys()].reverse();
    for (const id of ids) expect(lazy.chunks.get(id)).toEqual(full.chunks.get(id));
    expect(lazy.chunks.get(ids[0]!)).toBe(lazy.chunks.get(ids[0]!));
    expect(lazy.chunks.get(-1)).toBeUndefined();
    expect(lazy.chunks.get(1e9)).toBeUndefined();
    expect(lazy.articles.get('no-such-article')).toBeUndefined();
    expect(() => lazy.articles.set('x', full.articles.values().next().value!)).toThrow(/read-only/);
    lazy.close();
  });

  it('a truncated segment is refused at load; a damaged line says re-index when it is read', async () => {
    await run();
    const seg = path.join(genDir(), docSegmentFiles(genDir())[0]!);
    const bytes = fs.readFileSync(seg);
    fs.writeFileSync(seg, bytes.subarray(0, bytes.length - 200));
    expect(() => loadIndex(ws.indexDir)).toThrow(/damaged .*truncated.*npm run index -- --full/);

    // Same length, last line's bytes garbled: loads, and reading that article fails clearly.
    const garbled = Buffer.from(bytes);
    garbled.fill(0x20, bytes.length - 200, bytes.length - 1);
    fs.writeFileSync(seg, garbled);
    const index = loadIndex(ws.indexDir);
    const [last] = Object.entries(index.manifest.articles).find(([, e]) => e.at![1] + e.at![2] === bytes.length - 1)!;
    expect(() => index.articles.get(last)).toThrow(IndexCorruptError);
    expect(() => index.articles.get(last)).toThrow(/re-index/);
  });
});
