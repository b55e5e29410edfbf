import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET, MODEL_PRESETS, findPreset, resolvePreset } from './models.js';

describe('model presets', () => {
  it('resolves the default e5 model by id: e5 prefixes, mean pooling, 512 tokens', () => {
    const p = resolvePreset('Xenova/multilingual-e5-small');
    expect(p).toMatchObject({
      queryPrefix: 'query: ',
      passagePrefix: 'passage: ',
      pooling: 'mean',
      normalize: true,
      maxTokens: 512,
      known: true,
    });
  });

  it('resolves bge-small-zh: the retrieval instruction on queries only, CLS pooling', () => {
    const p = resolvePreset('Xenova/bge-small-zh-v1.5');
    expect(p.queryPrefix).toBe('为这个句子生成表示以用于检索相关文章：');
    expect(p.passagePrefix).toBe('');
    expect(p.pooling).toBe('cls');
    expect(p.maxTokens).toBe(512);
  });

  it('resolves bge-m3 with its long context', () => {
    expect(resolvePreset('Xenova/bge-m3')).toMatchObject({ pooling: 'cls', queryPrefix: '', maxTokens: 8192 });
  });

  it('finds the same model published under another org, case-insensitively', () => {
    expect(findPreset('intfloat/Multilingual-E5-Small')).toBe(MODEL_PRESETS['Xenova/multilingual-e5-small']);
    expect(findPreset('BAAI/bge-small-zh-v1.5')).toBe(MODEL_PRESETS['Xenova/bge-small-zh-v1.5']);
    expect(findPreset('someone/else-entirely')).toBeUndefined();
  });

  it('gives unknown ids mean pooling, normalization, no prefixes and the model limit or 512', () => {
    const p = resolvePreset('acme/mystery-embedder');
    expect(p).toMatchObject({ queryPrefix: '', passagePrefix: '', pooling: 'mean', normalize: true, known: false });
    expect(p.maxTokens).toBe(512);
    expect(resolvePreset('acme/mystery-embedder', {}, { tokenizerMaxLength: 256 }).maxTokens).toBe(256);
    // 1e30 is the tokenizer's "unbounded": fall through to the position embeddings.
    expect(resolvePreset('acme/x', {}, { tokenizerMaxLength: 1e30, maxPositionEmbeddings: 1024 }).maxTokens).toBe(1024);
    expect(resolvePreset('acme/x', {}, { maxPositionEmbeddings: 514, modelType: 'xlm-roberta' }).maxTokens).toBe(512);
    expect(DEFAULT_PRESET.maxTokens).toBeUndefined();
  });

  it('lets explicit overrides win, ignoring undefined ones', () => {
    const p = resolvePreset('Xenova/multilingual-e5-small', {
      queryPrefix: 'Q: ',
      pooling: 'cls',
      maxTokens: 128,
      passagePrefix: undefined,
    });
    expect(p).toMatchObject({ queryPrefix: 'Q: ', passagePrefix: 'passage: ', pooling: 'cls', maxTokens: 128 });
  });

  it('never lets maxTokens exceed what the tokenizer truncates at', () => {
    expect(resolvePreset('Xenova/bge-m3', {}, { tokenizerMaxLength: 512 }).maxTokens).toBe(512);
    expect(resolvePreset('acme/x', { maxTokens: 4096 }, { tokenizerMaxLength: 512 }).maxTokens).toBe(512);
  });
});
