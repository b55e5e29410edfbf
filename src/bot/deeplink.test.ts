import { describe, expect, it } from 'vitest';
import { decodeStartPayload, encodeStartPayload, LinkTooLongError, MAX_PAYLOAD_BYTES, MAX_START_PARAM, startLink } from './deeplink.js';

describe('start links', () => {
  it('sub_/ask_ + base64url of the UTF-8 text, and back', () => {
    const p = encodeStartPayload('sub', '植树');
    expect(p).toBe(`sub_${Buffer.from('植树', 'utf8').toString('base64url')}`);
    expect(decodeStartPayload(p)).toEqual({ kind: 'sub', text: '植树' });
    expect(decodeStartPayload(encodeStartPayload('ask', 'How many? 多少'))).toEqual({ kind: 'ask', text: 'How many? 多少' });
    expect(startLink('@baowen_bot', p)).toBe(`https://t.me/baowen_bot?start=${p}`);
  });

  it('15 Chinese characters fit in 64; the 16th does not, and the error says how much fits', () => {
    const fifteen = '顺义区去年吸纳了多少工会会员？';
    expect([...fifteen]).toHaveLength(15);
    const p = encodeStartPayload('ask', fifteen);
    expect(p.length).toBeLessThanOrEqual(MAX_START_PARAM);
    expect(p).toMatch(/^[A-Za-z0-9_-]+$/u);
    expect(() => encodeStartPayload('ask', `${fifteen}吗`)).toThrow(LinkTooLongError);
    expect(() => encodeStartPayload('sub', 'x'.repeat(MAX_PAYLOAD_BYTES + 1))).toThrow(/at most 45/u);
    expect(encodeStartPayload('sub', 'x'.repeat(MAX_PAYLOAD_BYTES)).length).toBe(64);
  });

  it('anything cut short, edited or not ours is broken or not a link at all', () => {
    const good = encodeStartPayload('sub', '植树'); // 6 bytes → 8 characters
    expect(decodeStartPayload(good.slice(0, -1))).toEqual({ kind: 'broken' }); // a cut UTF-8 character
    expect(decodeStartPayload('sub_')).toEqual({ kind: 'broken' });
    expect(decodeStartPayload('sub_!!')).toEqual({ kind: 'broken' });
    expect(decodeStartPayload(`sub_${'A'.repeat(61)}`)).toEqual({ kind: 'broken' }); // over 64
    expect(decodeStartPayload(`ask_${Buffer.from('\u0000x').toString('base64url')}`)).toEqual({ kind: 'broken' });
    expect(decodeStartPayload(`sub_${Buffer.from([0xff, 0xfe]).toString('base64url')}`)).toEqual({ kind: 'broken' });
    expect(decodeStartPayload('inline')).toBeUndefined();
    expect(decodeStartPayload('')).toBeUndefined();
    expect(decodeStartPayload(undefined)).toBeUndefined();
  });
});
