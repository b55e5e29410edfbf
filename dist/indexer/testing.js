/**
 * Test helpers for the store and the indexer: a deterministic fake embedder and throwaway
 * copies of the seed pages. Not used by the app.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.js';
import { estimateTokens } from '../ingest/index.js';
import { fnv1a } from '../text/hash.js';
export const SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));
/**
 * A fast, deterministic embedder: each character bigram (and character) of the text is hashed
 * into one of `dim` buckets; the counts vector is L2-normalized. Texts sharing bigrams are close,
 * so dense search behaves sensibly on Chinese text.
 */
export function fakeEmbedder(opts = {}) {
    const dim = opts.dim ?? 64;
    const embed = (text) => {
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
        for (const x of v)
            norm += x * x;
        norm = Math.sqrt(norm) || 1;
        for (let i = 0; i < dim; i++)
            v[i] = v[i] / norm;
        return v;
    };
    return embedderFrom(embed, { modelId: opts.modelId ?? 'test/fake-embedder', dim, maxTokens: opts.maxTokens ?? 256 });
}
/** Wraps a synchronous text → vector function as an Embedder that counts what it embedded. */
export function embedderFrom(embed, opts) {
    const e = {
        ...opts,
        embeddedCount: 0,
        countTokens: estimateTokens,
        async embedPassages(texts, onProgress) {
            const out = texts.map(embed);
            e.embeddedCount += texts.length;
            onProgress?.(texts.length, texts.length);
            return out;
        },
        async embedQuery(text) {
            return embed(text);
        },
    };
    return e;
}
/** A fresh temp folder with `seeds/` (a copy of the seed pages) and an `index/` path. */
export function tempWorkspace(prefix = 'baowen-test-') {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const seedsDir = path.join(root, 'seeds');
    fs.mkdirSync(seedsDir);
    for (const f of fs.readdirSync(SEEDS_DIR))
        fs.copyFileSync(path.join(SEEDS_DIR, f), path.join(seedsDir, f));
    return { root, seedsDir, indexDir: path.join(root, 'index'), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}
/** A Config pointing at the given folders (offline model settings). */
export function testConfig(dirs, env = {}) {
    return loadConfig({ SEEDS_DIR: dirs.seedsDir, INDEX_DIR: dirs.indexDir, EMBED_ALLOW_REMOTE: 'false', LOG_LEVEL: 'silent', ...env });
}
//# sourceMappingURL=testing.js.map