/**
 * A corpus to measure on: page files written into a temporary folder and indexed by the normal
 * indexer, so an external question set goes through exactly the path users' questions take.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import type { Embedder } from '../embed/types.js';
import { runIndexer } from '../indexer/run.js';
import type { Logger } from '../log.js';
import { loadIndex } from '../store/load.js';
import type { SearchIndex } from '../store/types.js';

export interface TempCorpus {
  config: Config;
  index: SearchIndex;
  root: string;
  cleanup(): void;
}

/** Writes `pages` to a temp seeds folder, indexes them (with `embedder` when given) and loads the index. */
export async function indexPages(
  pages: { file: string; content: string }[],
  log: Logger,
  opts: { embedder?: Embedder | null; env?: Record<string, string> } = {},
): Promise<TempCorpus> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'baowen-corpus-'));
  const seedsDir = path.join(root, 'seeds');
  mkdirSync(seedsDir);
  for (const p of pages) writeFileSync(path.join(seedsDir, p.file), p.content);
  const config = loadConfig(
    { ...process.env, SEEDS_DIR: seedsDir, INDEX_DIR: path.join(root, 'index'), DATA_DIR: path.join(root, 'data'), ...(opts.embedder ? { EMBED_MODEL: opts.embedder.modelId } : {}), ...opts.env },
    root,
  );
  await runIndexer({ config, log, embedder: opts.embedder ?? null, modelError: opts.embedder ? null : 'measuring keyword-only' });
  const index = loadIndex(config.indexDir, { modelId: config.EMBED_MODEL });
  return { config, index, root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
