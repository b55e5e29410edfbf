import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { runIndexer } from '../indexer/run.js';
import { fakeEmbedder, tempWorkspace, testConfig } from '../../test/indexing.js';
import { CURRENT_FILE, currentGeneration, saveGeneration, type SaveStep } from './disk.js';
import { loadIndex } from './load.js';
import { LOCK_FILE } from './lock.js';

const log = createLogger('silent');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

const gens = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.startsWith('gen-')).sort();

/** What a reader sees: every article's text, by id. */
function snapshot(dir: string): Record<string, string> {
  const index = loadIndex(dir);
  return Object.fromEntries([...index.articles.values()].map((a) => [a.id, a.text]));
}

/** Changes one sentence of the 通州 page so the next run has something to write. */
function editPage(seedsDir: string, from = '2.36万人', to = '2.37万人'): void {
  const file = fs.readdirSync(seedsDir).map((f) => path.join(seedsDir, f)).find((f) => fs.readFileSync(f, 'utf8').includes(from))!;
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(from, to));
}

describe('saveGeneration', () => {
  it('switches CURRENT to the new generation, keeps the previous one, deletes older ones and temp files', () => {
    const dir = ws.indexDir;
    const g1 = saveGeneration(dir, [{ name: 'a.txt', write: '1' }]);
    expect(fs.readFileSync(path.join(dir, CURRENT_FILE), 'utf8')).toBe(`${g1}\n`);
    const g2 = saveGeneration(dir, [{ name: 'a.txt', write: '2' }]);
    expect(currentGeneration(dir)).toBe(g2);
    expect(gens(dir)).toEqual([g1, g2].sort());
    fs.writeFileSync(path.join(dir, 'CURRENT.tmp-dead'), 'gen-x');
    fs.mkdirSync(path.join(dir, 'gen-00000000T000000000Z-orphan'));
    const g3 = saveGeneration(dir, [{ name: 'a.txt', write: Buffer.from('3') }, { name: 'b.bin', write: (f) => fs.writeFileSync(f, 'b') }]);
    expect(gens(dir)).toEqual([g2, g3].sort());
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('CURRENT.tmp'))).toEqual([]);
    expect(fs.readFileSync(path.join(dir, g3, 'b.bin'), 'utf8')).toBe('b');
  });

  it('currentGeneration is null without an index, or when CURRENT holds garbage', () => {
    expect(currentGeneration(ws.indexDir)).toBeNull();
    fs.mkdirSync(ws.indexDir);
    fs.writeFileSync(path.join(ws.indexDir, CURRENT_FILE), '../../etc\n');
    expect(currentGeneration(ws.indexDir)).toBeNull();
  });
});

describe('atomic index writes under a crash', () => {
  // The edit's save: docs, keyword, graph and vector segments of the previous generation are hard-linked
  // (docs-000001, keyword.bin, vectors.hnsw, sentvec-000001, passvec-000001); the rest is new.
  const steps: SaveStep[] = [
    'write:docs-000001.ndjson',
    'write:docs-000002.ndjson',
    'write:keyword.bin',
    'write:keyword-delta.bin',
    'write:vectors.hnsw',
    'write:sentvec-000002.f32',
    'write:sentences.ndjson',
    'write:passvec-000002.f32',
    'write:manifest.json',
    'sync',
    'switch',
  ];

  it.each(steps)('a save that dies at %s leaves the previous generation live and loadable', async (step) => {
    const config = testConfig(ws);
    const embedder = fakeEmbedder();
    await runIndexer({ config, log, embedder });
    const before = currentGeneration(ws.indexDir);
    const content = snapshot(ws.indexDir);

    editPage(ws.seedsDir);
    const crash = (s: SaveStep): void => {
      if (s === step) throw new Error(`simulated crash at ${s}`);
    };
    await expect(runIndexer({ config, log, embedder, saveHooks: { onStep: crash } })).rejects.toThrow('simulated crash');
    expect(currentGeneration(ws.indexDir)).toBe(before);
    expect(snapshot(ws.indexDir)).toEqual(content);
    expect(gens(ws.indexDir)).toHaveLength(2); // live + the half-written one

    // The next save succeeds (lock was released), picks up the edit and removes the leftover.
    const summary = await runIndexer({ config, log, embedder });
    expect(summary.changed).toBe(1);
    expect(gens(ws.indexDir)).toEqual([before, summary.generation].sort());
    expect(Object.values(snapshot(ws.indexDir)).some((t) => t.includes('2.37万人'))).toBe(true);
  });

  it('a crash after the switch (during cleanup) leaves the NEW generation live', async () => {
    const config = testConfig(ws);
    await runIndexer({ config, log, embedder: null });
    const before = currentGeneration(ws.indexDir);
    editPage(ws.seedsDir);
    const crash = (s: SaveStep): void => {
      if (s === 'cleanup') throw new Error('simulated crash at cleanup');
    };
    await expect(runIndexer({ config, log, embedder: null, saveHooks: { onStep: crash } })).rejects.toThrow();
    expect(currentGeneration(ws.indexDir)).not.toBe(before);
    expect(Object.values(snapshot(ws.indexDir)).some((t) => t.includes('2.37万人'))).toBe(true);
  });

  it('a writer process killed mid-write (SIGKILL) leaves the previous index, its stale lock is taken over', async () => {
    const config = testConfig(ws);
    const embedder = fakeEmbedder();
    await runIndexer({ config, log, embedder });
    const before = currentGeneration(ws.indexDir);
    const content = snapshot(ws.indexDir);
    editPage(ws.seedsDir);

    const child = path.join(ws.root, 'crash.mts');
    fs.writeFileSync(
      child,
      `import { runIndexer } from ${JSON.stringify(path.join(ROOT, 'src/indexer/run.ts'))};
import { fakeEmbedder, testConfig } from ${JSON.stringify(path.join(ROOT, 'test/indexing.ts'))};
import { createLogger } from ${JSON.stringify(path.join(ROOT, 'src/log.ts'))};
await runIndexer({
  config: testConfig({ seedsDir: ${JSON.stringify(ws.seedsDir)}, indexDir: ${JSON.stringify(ws.indexDir)} }),
  log: createLogger('silent'),
  embedder: fakeEmbedder(),
  saveHooks: { onStep: (s) => { if (s === 'write:vectors.hnsw') process.kill(process.pid, 'SIGKILL'); } },
});
console.log('not killed');
`,
    );
    // `node --import tsx` runs the script in this very process, so the signal is the child's own.
    const res = spawnSync(process.execPath, ['--import', 'tsx', child], { cwd: ROOT, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.signal).toBe('SIGKILL');
    expect(res.stdout).not.toContain('not killed');
    expect(fs.existsSync(path.join(ws.indexDir, LOCK_FILE))).toBe(true); // the dead writer's lock
    expect(gens(ws.indexDir)).toHaveLength(2);
    expect(currentGeneration(ws.indexDir)).toBe(before);
    expect(snapshot(ws.indexDir)).toEqual(content);

    const summary = await runIndexer({ config, log, embedder });
    expect(summary.changed).toBe(1);
    expect(gens(ws.indexDir)).toEqual([before, summary.generation].sort());
    expect(fs.existsSync(path.join(ws.indexDir, LOCK_FILE))).toBe(false);
  });
});
