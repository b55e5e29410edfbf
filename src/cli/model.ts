/**
 * The embedding model a measuring CLI (`npm run eval`, `npm run train`) runs with, chosen on its
 * command line and loaded through the app's own path (`loadEmbedder`):
 *
 * - no flag: none — keyword-only, as these CLIs always measured;
 * - `--model`: the configured model (`EMBED_MODEL`, `EMBED_LOCAL_DIR`, `EMBED_DTYPE`, …), as `npm start`
 *   would load it; a model that does not load stops the run (a measurement that silently fell back to
 *   keyword-only would report the wrong mode);
 * - `--model-shape NAME [--dtype q8|fp32]`: a generated BERT with random weights and a real model's
 *   shape (`src/bench/model/bert.ts`, named like the real model so its preset applies), written once
 *   into a cache folder and loaded from there like a downloaded model. It knows nothing, which is the
 *   point: answers with it loaded must not be worse than keyword-only.
 *
 * @example
 * const model = await modelFromArgs(args, config, log);   // args from parseArgs(…, MODEL_VALUED_ARGS)
 * const load = model ? { ok: true, embedder: model.embedder } : undefined;
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { createHash } from 'node:crypto';
import { createShapedModel, MODEL_SHAPES, resolveShape, type ShapeDtype } from '../bench/model/bert.js';
import { buildVocab } from '../bench/model/vocab.js';
import { loadEmbedder } from '../embed/load.js';
import type { Embedder } from '../embed/types.js';
import type { Logger } from '../log.js';
import { UsageError } from './common.js';

/** Valued flags to pass to `parseArgs` (besides the `--model` flag). */
export const MODEL_VALUED_ARGS = ['model-shape', 'dtype'] as const;

/** One line for a CLI's usage text. */
export const MODEL_USAGE = '[--model | --model-shape bge-small-zh|e5-small [--dtype q8|fp32]]';

export interface CliModel {
  embedder: Embedder;
  /** The configuration the model was loaded with (EMBED_* pointing at it); use it for indexing. */
  config: Config;
  /** What to print: `Xenova/bge-small-zh-v1.5 (random weights, bge-small-zh shape, q8)`. */
  label: string;
}

/** Where generated models are kept between runs (`BAOWEN_MODEL_CACHE`, else the OS temp folder). */
export function shapedModelCache(): string {
  return process.env.BAOWEN_MODEL_CACHE ?? path.join(os.tmpdir(), 'baowen-shaped-models');
}

/** The model the command line asks for, loaded; null when it asks for none. Throws UsageError on a bad flag or a model that does not load. */
export async function modelFromArgs(
  args: { flags: ReadonlySet<string>; values: ReadonlyMap<string, string> },
  config: Config,
  log: Logger,
): Promise<CliModel | null> {
  const shape = args.values.get('model-shape');
  const dtype = args.values.get('dtype');
  if (shape !== undefined && args.flags.has('model')) throw new UsageError('--model (the configured model) and --model-shape (a generated one) exclude each other');
  if (dtype !== undefined && shape === undefined) throw new UsageError('--dtype goes with --model-shape (for the configured model set EMBED_DTYPE)');
  if (shape !== undefined) {
    if (!Object.hasOwn(MODEL_SHAPES, shape)) throw new UsageError(`--model-shape: unknown shape "${shape}" (known: ${Object.keys(MODEL_SHAPES).join(', ')})`);
    if (dtype !== undefined && dtype !== 'q8' && dtype !== 'fp32') throw new UsageError(`--dtype is q8 or fp32 (got "${dtype}")`);
    return loadShaped(shape, (dtype ?? 'q8') as ShapeDtype, config, log);
  }
  if (!args.flags.has('model')) return null;
  const load = await loadEmbedder(config, log);
  if (!load.ok) throw new UsageError(`--model: ${config.EMBED_MODEL} did not load: ${load.reason}`);
  return { embedder: load.embedder, config, label: config.EMBED_MODEL };
}

/**
 * Writes the shaped model into the cache unless it is there (a stamp names what was written: shape,
 * dtype and the tokenizer, whose vocabulary comes from the seed pages), then loads it offline.
 */
async function loadShaped(shape: string, dtype: ShapeDtype, base: Config, log: Logger): Promise<CliModel> {
  const s = resolveShape({ shape });
  const cache = shapedModelCache();
  const dir = path.join(cache, `${shape}-${dtype}`);
  const stampFile = path.join(dir, 'stamp.json');
  const vocab = createHash('sha256').update((await buildVocab(undefined, s.vocab)).join('\n')).digest('hex').slice(0, 16);
  const stamp = JSON.stringify({ shape: s, dtype, vocab, format: 1 });
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    // Written beside, then renamed: two runs at once never load a half-written model.
    mkdirSync(cache, { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    log.warn({ shape, dtype, dir }, `writing a random-weight ${shape} model (${dtype}) into ${dir}`);
    await createShapedModel(tmp, { shape, dtypes: [dtype] });
    writeFileSync(path.join(tmp, 'stamp.json'), stamp);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  const config = loadConfig({
    ...process.env,
    SEEDS_DIR: base.seedsDir,
    INDEX_DIR: base.indexDir,
    DATA_DIR: base.dataDir,
    EMBED_LOCAL_DIR: dir,
    EMBED_MODEL: s.modelId,
    EMBED_ALLOW_REMOTE: 'false',
    EMBED_DTYPE: dtype,
  });
  const load = await loadEmbedder(config, log, { localOnly: true });
  if (!load.ok) throw new UsageError(`--model-shape ${shape}: the generated model did not load: ${load.reason}`);
  return { embedder: load.embedder, config, label: `${s.modelId} (random weights, ${shape} shape, ${dtype})` };
}
