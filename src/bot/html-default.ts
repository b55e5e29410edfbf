/**
 * Every message this bot sends is HTML (rendered and escaped in `render.ts`, translations through
 * `say` in `i18n.ts`), so the API says so once: this transformer adds `parse_mode: 'HTML'` wherever
 * the Bot API reads one and the caller gave neither a parse mode nor entities — the text or caption
 * of every send and edit, the media of `editMessageMedia` / `sendMediaGroup`, and each inline result
 * (its caption and its `input_message_content`), which a transformer that only looks at the top of
 * the payload would miss. Install it on every `Api` that sends: `bot.api` (the per-update `ctx.api`
 * copies its transformers) and any `new Api(…)` a script makes for digests.
 *
 * ```ts
 * bot.api.config.use(htmlByDefault());
 * await bot.api.sendMessage(chatId, '<b>粗体</b>');   // arrives bold
 * ```
 *
 * (`@grammyjs/parse-mode` had such a transformer up to 1.x; 2.x, the line for current grammY, builds
 * messages as text + entities instead and has none.) Polls and gifts name their modes differently
 * (`question_parse_mode`, `text_parse_mode`…) and are left alone: the bot sends neither.
 */
import type { Transformer } from 'grammy';

type Fields = Record<string, unknown>;

/** Methods whose top-level `text` or `caption` is parsed with a top-level `parse_mode`. */
const TEXT_METHODS: ReadonlySet<string> = new Set([
  'sendMessage', 'sendMessageDraft', 'editMessageText', 'editEphemeralMessageText',
  'copyMessage', 'sendPhoto', 'sendLivePhoto', 'sendAudio', 'sendDocument', 'sendVideo', 'sendAnimation',
  'sendVoice', 'sendPaidMedia', 'editMessageCaption', 'editEphemeralMessageCaption', 'postStory', 'editStory',
]);

const isFields = (x: unknown): x is Fields => typeof x === 'object' && x !== null && !Array.isArray(x);

/** `obj` with `parse_mode: 'HTML'` when it has `textKey` and says nothing of how to parse it. */
function withHtml(obj: Fields, textKey: 'text' | 'caption' | 'message_text', entitiesKey: 'entities' | 'caption_entities'): Fields {
  if (typeof obj[textKey] !== 'string' || obj.parse_mode !== undefined || obj[entitiesKey] !== undefined) return obj;
  return { ...obj, parse_mode: 'HTML' };
}

/** An InputMedia (sendMediaGroup item, editMessageMedia): its caption. */
const mediaWithHtml = (m: unknown): unknown => (isFields(m) ? withHtml(m, 'caption', 'caption_entities') : m);

/** An InlineQueryResult: its own caption (photo, GIF… results) and the message it sends. */
function resultWithHtml(r: unknown): unknown {
  if (!isFields(r)) return r;
  const out = withHtml(r, 'caption', 'caption_entities');
  const content = out.input_message_content;
  if (!isFields(content)) return out;
  const html = withHtml(content, 'message_text', 'entities');
  return html === content ? out : { ...out, input_message_content: html };
}

/** The payload as it should go out: unchanged unless something in it is parsed and has no mode. */
export function htmlPayload(method: string, payload: Fields): Fields {
  if (TEXT_METHODS.has(method)) return withHtml(withHtml(payload, 'text', 'entities'), 'caption', 'caption_entities');
  switch (method) {
    case 'sendMediaGroup':
      return Array.isArray(payload.media) ? { ...payload, media: payload.media.map(mediaWithHtml) } : payload;
    case 'editMessageMedia':
      return isFields(payload.media) ? { ...payload, media: mediaWithHtml(payload.media) } : payload;
    case 'answerInlineQuery':
      return Array.isArray(payload.results) ? { ...payload, results: payload.results.map(resultWithHtml) } : payload;
    case 'answerWebAppQuery':
    case 'savePreparedInlineMessage':
      return isFields(payload.result) ? { ...payload, result: resultWithHtml(payload.result) } : payload;
    default:
      return payload;
  }
}

/** The transformer: `api.config.use(htmlByDefault())`. */
export function htmlByDefault(): Transformer {
  return (prev, method, payload, signal) =>
    isFields(payload) ? prev(method, htmlPayload(method, payload) as typeof payload, signal) : prev(method, payload, signal);
}
