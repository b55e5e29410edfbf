/** Shared test setup: a real index built from the seed pages in a temp folder (keyword-only or with an embedder). */
import { loadConfig, type Config } from '../src/config.js';
import type { Embedder } from '../src/embed/types.js';
import { tempWorkspace } from '../src/indexer/testing.js';
import { runIndexer } from '../src/indexer/run.js';
import { createLogger } from '../src/log.js';
import { loadIndex } from '../src/store/load.js';
import type { SearchIndex } from '../src/store/types.js';

export interface SeedIndex {
  config: Config;
  index: SearchIndex;
  root: string;
  seedsDir: string;
  indexDir: string;
  cleanup(): void;
}

export const quietLog = createLogger('silent');

/** Builds an index of the five seed pages in a temp workspace and loads it. */
export async function buildSeedIndex(opts: { embedder?: Embedder | null; env?: Record<string, string> } = {}): Promise<SeedIndex> {
  const ws = tempWorkspace();
  const config = loadConfig({ SEEDS_DIR: ws.seedsDir, INDEX_DIR: ws.indexDir, DATA_DIR: `${ws.root}/data`, EMBED_MODEL: opts.embedder?.modelId ?? 'Xenova/multilingual-e5-small', ...opts.env }, ws.root);
  await runIndexer({ config, log: quietLog, embedder: opts.embedder ?? null, modelError: opts.embedder ? null : 'no model in tests' });
  const index = loadIndex(ws.indexDir, { modelId: config.EMBED_MODEL });
  return { config, index, ...ws };
}
