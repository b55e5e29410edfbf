/** The same-shape BERT generator, loaded through the real transformers.js + onnxruntime path. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { loadEmbedder } from '../../embed/load.js';
import type { Embedder } from '../../embed/types.js';
import { createLogger } from '../../log.js';
import { createShapedModel, MODEL_SHAPES, parameterCount, resolveShape, type ShapedModel } from './bert.js';

let dir: string;
let model: ShapedModel;
const load = async (dtype: 'fp32' | 'q8'): Promise<Embedder> => {
  const config = loadConfig({ EMBED_LOCAL_DIR: model.modelDir, EMBED_MODEL: model.modelId, EMBED_ALLOW_REMOTE: '0', EMBED_DTYPE: dtype, EMBED_BATCH: '4', LOG_LEVEL: 'silent' });
  const r = await loadEmbedder(config, createLogger('silent'), { localOnly: true });
  if (!r.ok) throw new Error(r.reason);
  return r.embedder;
};
const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-bert-'));
  model = await createShapedModel(dir, { layers: 2, hidden: 64, heads: 4, vocab: 6000, dtypes: ['fp32', 'q8'] });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('createShapedModel', () => {
  it('names the real models\' shapes with their parameter counts (24 M and 118 M)', () => {
    expect(Math.round(parameterCount(MODEL_SHAPES['bge-small-zh']!) / 1e6)).toBe(24);
    expect(Math.round(parameterCount(MODEL_SHAPES['e5-small']!) / 1e6)).toBe(118);
    expect(resolveShape({ shape: 'e5-small' }).modelId).toBe('Xenova/multilingual-e5-small');
    expect(resolveShape({ shape: 'e5-small', layers: 2 })).toMatchObject({ layers: 2, hidden: 384, vocab: 250_037, modelId: 'bench/bert-L2-H384-V250037' });
    expect(() => resolveShape({ shape: 'gpt-9' })).toThrow(/unknown model shape "gpt-9"/u);
    expect(() => resolveShape({ hidden: 100, heads: 3 })).toThrow(/not divisible/u);
  });

  it('writes a model folder whose config and tokenizer have the asked-for shape', () => {
    const root = path.join(dir, model.modelId);
    const config = JSON.parse(fs.readFileSync(path.join(root, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, vocab_size: 6000 });
    const tok = JSON.parse(fs.readFileSync(path.join(root, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } };
    expect(Object.keys(tok.model.vocab)).toHaveLength(6000);
    // q8: int8 weights, about a quarter of the fp32 file.
    expect(model.files.q8!).toBeLessThan(0.4 * model.files.fp32!);
  });

  it('loads in fp32 and q8; vectors have the hidden size, q8 stays close to fp32, padding changes nothing', async () => {
    const [fp32, q8] = [await load('fp32'), await load('q8')];
    expect(fp32.dim).toBe(64);
    const texts = ['北京市总工会举办职工技能大赛。', '通州区去年新发展工会会员2.36万人，其中农民工1.2万人，新建工会组织三百多家。'];
    const a = await fp32.embedPassages(texts);
    const b = await q8.embedPassages(texts);
    for (let i = 0; i < texts.length; i++) expect(cos(a[i]!, b[i]!)).toBeGreaterThan(0.98);
    // The short text, padded in a batch with the long one, gets the vector it gets alone.
    const [alone] = await fp32.embedPassages([texts[0]!]);
    expect(cos(alone!, a[0]!)).toBeGreaterThan(1 - 1e-6);
    // Attention sees order: the same characters reversed give another vector.
    const [reversed] = await fp32.embedPassages([[...texts[0]!].reverse().join('')]);
    expect(cos(alone!, reversed!)).toBeLessThan(1 - 1e-5);
  });
});
