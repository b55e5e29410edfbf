/** Hybrid retrieval hands back the keyword-only retrieval beside the fused one (the answer weighs both). */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSeedIndex, type SeedIndex } from '../../test/helpers.js';
import { fakeEmbedder, SEEDS_DIR } from '../../test/indexing.js';
import { retrieve } from './retrieve.js';

const embedder = fakeEmbedder();
let seed: SeedIndex;

beforeAll(async () => {
  seed = await buildSeedIndex({ embedder });
});
afterAll(() => seed?.cleanup());

it("is what keyword-only retrieval returns for the same question, and the fused list is not", async () => {
  const questions = fs
    .readFileSync(path.join(SEEDS_DIR, '..', 'eval', 'dev.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { question: string }).question);
  const opts = { k: 30, perArticle: 3, candidates: 60 };
  let fusedDiffers = 0;
  for (const q of questions) {
    const hybrid = await retrieve(seed.index, embedder, q, opts);
    const keyword = await retrieve(seed.index, null, q, opts);
    expect(hybrid.mode).toBe('hybrid');
    expect(keyword.keywordOnly).toBeUndefined();
    expect(hybrid.keywordOnly, q).toEqual(keyword);
    if (JSON.stringify(hybrid.passages.map((p) => p.chunk.id)) !== JSON.stringify(keyword.passages.map((p) => p.chunk.id))) fusedDiffers++;
  }
  expect(fusedDiffers).toBeGreaterThan(0);
});
