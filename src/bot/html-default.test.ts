import { Api } from 'grammy';
import { describe, expect, it } from 'vitest';
import { htmlByDefault, htmlPayload } from './html-default.js';

describe('htmlPayload: HTML wherever the Bot API parses text and the caller said nothing', () => {
  it('text and captions of sends and edits', () => {
    expect(htmlPayload('sendMessage', { chat_id: 1, text: '<b>x</b>' }).parse_mode).toBe('HTML');
    expect(htmlPayload('editMessageText', { chat_id: 1, message_id: 2, text: 'x' }).parse_mode).toBe('HTML');
    expect(htmlPayload('sendPhoto', { chat_id: 1, photo: 'id', caption: 'x' }).parse_mode).toBe('HTML');
    expect(htmlPayload('editMessageCaption', { chat_id: 1, message_id: 2, caption: 'x' }).parse_mode).toBe('HTML');
    expect(htmlPayload('copyMessage', { chat_id: 1, from_chat_id: 2, message_id: 3, caption: 'x' }).parse_mode).toBe('HTML');
  });

  it('a mode or entities the caller gave win; no text, no mode', () => {
    expect(htmlPayload('sendMessage', { chat_id: 1, text: '*x*', parse_mode: 'MarkdownV2' }).parse_mode).toBe('MarkdownV2');
    expect(htmlPayload('sendMessage', { chat_id: 1, text: 'x', entities: [{ type: 'bold', offset: 0, length: 1 }] })).not.toHaveProperty('parse_mode');
    expect(htmlPayload('sendPhoto', { chat_id: 1, photo: 'id', caption: 'x', caption_entities: [] })).not.toHaveProperty('parse_mode');
    expect(htmlPayload('sendPhoto', { chat_id: 1, photo: 'id' })).not.toHaveProperty('parse_mode');
    expect(htmlPayload('copyMessage', { chat_id: 1, from_chat_id: 2, message_id: 3 })).not.toHaveProperty('parse_mode');
  });

  it('methods whose text is never parsed stay as they are (toasts, polls, commands, getUpdates)', () => {
    for (const [method, payload] of [
      ['answerCallbackQuery', { callback_query_id: 'q', text: 'toast' }],
      ['sendPoll', { chat_id: 1, question: 'q', options: [{ text: 'a' }] }],
      ['setMyCommands', { commands: [{ command: 'ask', description: '问' }] }],
      ['getUpdates', { offset: 1 }],
      ['sendChatAction', { chat_id: 1, action: 'typing' }],
    ] as const) {
      expect(htmlPayload(method, payload)).toEqual(payload);
    }
  });

  it('inline results: the message each one sends, and a caption of its own; the caller’s objects are not changed', () => {
    const results = [
      { type: 'article', id: 'a', title: 't', input_message_content: { message_text: '<blockquote>q</blockquote>' } },
      { type: 'article', id: 'b', title: 't', input_message_content: { message_text: 'x', parse_mode: 'MarkdownV2' } },
      { type: 'photo', id: 'c', photo_url: 'https://example.org/p.jpg', thumbnail_url: 'https://example.org/t.jpg', caption: '<i>c</i>' },
    ];
    const before = JSON.stringify(results);
    const out = htmlPayload('answerInlineQuery', { inline_query_id: 'q', results }).results as Record<string, Record<string, unknown>>[];
    expect(out[0]!.input_message_content!.parse_mode).toBe('HTML');
    expect(out[1]!.input_message_content!.parse_mode).toBe('MarkdownV2');
    expect(out[2]!.parse_mode).toBe('HTML');
    expect(JSON.stringify(results)).toBe(before);
  });

  it('media: each caption of a media group, the new media of an edit', () => {
    const group = htmlPayload('sendMediaGroup', { chat_id: 1, media: [{ type: 'photo', media: 'a', caption: 'x' }, { type: 'photo', media: 'b' }] });
    expect((group.media as Record<string, unknown>[]).map((m) => m.parse_mode)).toEqual(['HTML', undefined]);
    const edit = htmlPayload('editMessageMedia', { chat_id: 1, message_id: 2, media: { type: 'photo', media: 'a', caption: 'x' } });
    expect((edit.media as Record<string, unknown>).parse_mode).toBe('HTML');
  });
});

describe('htmlByDefault on a grammY Api', () => {
  it('what reaches the wire carries parse_mode HTML — sendMessage and inline results alike', async () => {
    const api = new Api('1:x');
    const wire: { method: string; payload: Record<string, unknown> }[] = [];
    api.config.use(async (_prev, method, payload) => {
      wire.push({ method, payload: payload as Record<string, unknown> });
      return { ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: 'private' } } } as never;
    });
    api.config.use(htmlByDefault()); // installed after the "wire": runs before it
    await api.sendMessage(1, '<b>x</b>');
    await api.answerInlineQuery('q', [{ type: 'article', id: 'a', title: 't', input_message_content: { message_text: '<b>x</b>' } }]);
    expect(wire[0]!.payload.parse_mode).toBe('HTML');
    expect((wire[1]!.payload.results as { input_message_content: { parse_mode?: string } }[])[0]!.input_message_content.parse_mode).toBe('HTML');
  });
});
