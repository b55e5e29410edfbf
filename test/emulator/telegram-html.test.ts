import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_LENGTH, TelegramTextError, checkEntities, parseTelegramHtml, validateMessageText } from './telegram-html.js';

describe('parseTelegramHtml (emulator)', () => {
  it('parses the supported tags into entities with UTF-16 offsets', () => {
    const r = parseTelegramHtml('😀<b>粗</b> <i>i</i><a href="https://x.test/?a=1&amp;b=2">链接</a><blockquote expandable>引</blockquote><pre><code class="language-ts">x</code></pre><span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>');
    expect(r.text).toBe('😀粗 i链接引xst');
    expect(r.entities).toContainEqual({ type: 'bold', offset: 2, length: 1 });
    expect(r.entities).toContainEqual({ type: 'text_link', offset: 5, length: 2, url: 'https://x.test/?a=1&b=2' });
    expect(r.entities).toContainEqual({ type: 'expandable_blockquote', offset: 7, length: 1 });
    expect(r.entities.find((e) => e.type === 'pre')).toMatchObject({ language: 'ts' });
    expect(r.entities.filter((e) => e.type === 'spoiler')).toHaveLength(2);
  });

  it('decodes the four named entities and numeric references', () => {
    expect(parseTelegramHtml('&lt;b&gt; &amp; &quot;x&quot; &#20013; &#x6587;').text).toBe('<b> & "x" 中 文');
  });

  it.each([
    ['<x>bad</x>', /unsupported start tag "x"/u],
    ['<div>bad</div>', /unsupported start tag "div"/u],
    ['a < b > c', /unsupported start tag ""/u],
    ['a < b', /unclosed start tag/u],
    ['a <b', /unclosed start tag/u],
    ['<b>unclosed', /can't find end tag corresponding to start tag "b"/u],
    ['<b><i>x</b></i>', /unmatched end tag/u],
    ['x</b>', /unexpected end tag/u],
    ['AT&T', /bare "&"/u],
    ['&nbsp;', /unsupported HTML entity/u],
    ['<span>x</span>', /must have class "tg-spoiler"/u],
    ['<a>x</a>', /must have attribute "href"/u],
    ['<blockquote>a<blockquote>b</blockquote></blockquote>', /can't be nested/u],
    ['<code><b>x</b></code>', /can't be nested inside "code"/u],
  ])('rejects %s', (html, re) => {
    expect(() => parseTelegramHtml(html)).toThrow(TelegramTextError);
    expect(() => parseTelegramHtml(html)).toThrow(re);
    expect(() => parseTelegramHtml(html)).toThrow(/^Bad Request: can't parse entities: /u);
  });

  it('counts length after parsing, in UTF-16 units', () => {
    const ok = '&amp;'.repeat(MAX_MESSAGE_LENGTH); // 4096 visible chars, 20480 source chars
    expect(validateMessageText(ok, 'HTML', undefined).text).toHaveLength(MAX_MESSAGE_LENGTH);
    expect(() => validateMessageText('&amp;'.repeat(MAX_MESSAGE_LENGTH + 1), 'HTML', undefined)).toThrow(/message is too long/u);
    // 2048 emoji = 4096 UTF-16 units: fine; one more is too long.
    expect(() => validateMessageText('😀'.repeat(2048), undefined, undefined)).not.toThrow();
    expect(() => validateMessageText('😀'.repeat(2049), undefined, undefined)).toThrow(/too long/u);
  });

  it('rejects empty text (also after parsing)', () => {
    expect(() => validateMessageText('', undefined, undefined)).toThrow(/message text is empty/u);
    expect(() => validateMessageText('<b> </b>', 'HTML', undefined)).toThrow(/message text is empty/u);
  });

  it('checks explicit entity arrays against the text', () => {
    expect(checkEntities('😀ab', [{ type: 'bold', offset: 2, length: 2 }])).toHaveLength(1);
    expect(() => checkEntities('😀ab', [{ type: 'bold', offset: 2, length: 3 }])).toThrow(/after the end/u);
    expect(() => checkEntities('ab', [{ type: 'blink', offset: 0, length: 1 }])).toThrow(/unsupported entity type/u);
    expect(() => checkEntities('ab', [{ type: 'bold', offset: -1, length: 1 }])).toThrow(/invalid offset/u);
  });
});
