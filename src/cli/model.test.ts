import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { parseArgs, UsageError } from './common.js';
import { MODEL_VALUED_ARGS, modelFromArgs } from './model.js';

const log = createLogger('silent');
const args = (...argv: string[]) => parseArgs(argv, [...MODEL_VALUED_ARGS]);

describe('the model a measuring CLI runs with (--model, --model-shape)', () => {
  it('is none without a flag: keyword-only, as before', async () => {
    expect(await modelFromArgs(args('eval/dev.jsonl'), loadConfig({}), log)).toBeNull();
  });

  it('says what is wrong with a bad flag, before generating or loading anything', async () => {
    const config = loadConfig({});
    await expect(modelFromArgs(args('--model-shape', 'bge-large'), config, log)).rejects.toThrow(/unknown shape "bge-large" \(known: bge-small-zh, e5-small\)/u);
    await expect(modelFromArgs(args('--model-shape', 'bge-small-zh', '--dtype', 'fp16'), config, log)).rejects.toThrow(/--dtype is q8 or fp32/u);
    await expect(modelFromArgs(args('--dtype', 'q8'), config, log)).rejects.toThrow(/--dtype goes with --model-shape/u);
    await expect(modelFromArgs(args('--model', '--model-shape', 'bge-small-zh'), config, log)).rejects.toBeInstanceOf(UsageError);
  });

  it('--model stops with the reason when the configured model does not load (never measures keyword-only instead)', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'baowen-no-model-'));
    const config = loadConfig({ EMBED_LOCAL_DIR: empty, EMBED_ALLOW_REMOTE: 'false', EMBED_MODEL: 'Xenova/bge-small-zh-v1.5' });
    try {
      const run = modelFromArgs(args('--model'), config, log);
      await expect(run).rejects.toBeInstanceOf(UsageError);
      await expect(run).rejects.toThrow(/--model: Xenova\/bge-small-zh-v1\.5 did not load: .*is not in/u);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
