import { describe, expect, it } from 'vitest';
import { MAX_CALLBACK_BYTES, decodeCallback, encodeCallback, tryEncodeCallback, type CallbackData } from './callback-data.js';

describe('callback data', () => {
  const samples: CallbackData[] = [
    { kind: 'src', articleId: '001_171a289de099f801-0a1b2c3d', start: 1234, end: 987654 },
    { kind: 'srq', key: 'Ab3dE_f9', n: 12 },
    { kind: 'fb', key: 'Ab3dE_f9', vote: 'down' },
    { kind: 'lang', lang: 'en' },
  ];

  it.each(samples)('round-trips %o within 64 bytes', (d) => {
    const s = encodeCallback(d);
    expect(Buffer.byteLength(s)).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
    expect(decodeCallback(s)).toEqual(d);
  });

  it('refuses to encode what would not fit (callers fall back to the answer cache)', () => {
    expect(tryEncodeCallback({ kind: 'src', articleId: 'x'.repeat(60), start: 0, end: 1 })).toBeUndefined();
    expect(() => encodeCallback({ kind: 'src', articleId: 'x'.repeat(60), start: 0, end: 1 })).toThrow();
  });

  it.each([
    undefined, '', 'hello', 'src:', 'src:a:1', 'src:a:zz-1', 'src:a:5-5', 'src:a:-1-3', 'src:a b:1-2', 'fb:key:maybe', 'fb::up',
    'fb:k:up', 'lang:fr', 'lang:', 'srq:Ab3dE_f9:0', 'srq:Ab3dE_f9:x', `fb:${'a'.repeat(70)}:up`, 'x'.repeat(65), '原文:1',
  ])('rejects junk %s', (s) => {
    expect(decodeCallback(s)).toBeUndefined();
  });
});
