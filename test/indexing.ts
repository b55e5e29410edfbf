/**
 * Test helpers for the store and the indexer: a deterministic fake embedder and throwaway
 * copies of the seed pages. Not used by the app (src/ never imports test/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../src/config.js';
import { embedderFrom, type CountedEmbedder } from '../src/bench/embedder.js';
import { fnv1a } from '../src/text/hash.js';

export const SEEDS_DIR = fileURLToPath(new URL('../seeds/', import.meta.url));

export type FakeEmbedder = CountedEmbedder;

/**
 * A fast, deterministic embedder: each character bigram (and character) of the text is hashed
 * into one of `dim` buckets; the counts vector is L2-normalized. Texts sharing bigrams are close,
 * so dense search behaves sensibly on Chinese text.
 */
export function fakeEmbedder(opts: { modelId?: string; dim?: number; maxTokens?: number } = {}): FakeEmbedder {
  const dim = opts.dim ?? 64;
  const embed = (text: string): Float32Array => {
    const v = new Float32Array(dim);
    const chars = [...text.replace(/\s+/gu, '')];
    for (let i = 0; i < chars.length; i++) {
      for (const g of [chars[i] ?? '', `${chars[i]}${chars[i + 1] ?? ''}`]) {
        const h = fnv1a(g);
        const b = h % dim;
        v[b] = (v[b] ?? 0) + (h & 0x10000 ? 1 : -1);
      }
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dim; i++) v[i] = v[i]! / norm;
    return v;
  };
  return embedderFrom(embed, { modelId: opts.modelId ?? 'test/fake-embedder', dim, maxTokens: opts.maxTokens ?? 256 });
}

/** A fresh temp folder with `seeds/` (a copy of the seed pages) and an `index/` path. */
export function tempWorkspace(prefix = 'baowen-test-'): { root: string; seedsDir: string; indexDir: string; cleanup(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const seedsDir = path.join(root, 'seeds');
  fs.mkdirSync(seedsDir);
  for (const f of fs.readdirSync(SEEDS_DIR)) fs.copyFileSync(path.join(SEEDS_DIR, f), path.join(seedsDir, f));
  return { root, seedsDir, indexDir: path.join(root, 'index'), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** A Config pointing at the given folders (offline model settings). */
export function testConfig(dirs: { seedsDir: string; indexDir: string }, env: Record<string, string> = {}): Config {
  return loadConfig({ SEEDS_DIR: dirs.seedsDir, INDEX_DIR: dirs.indexDir, EMBED_ALLOW_REMOTE: 'false', LOG_LEVEL: 'silent', ...env });
}
