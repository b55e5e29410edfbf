/**
 * Telegram's message-text rules, as the Bot API applies them, for the emulator:
 * `parse_mode: 'HTML'` parsing (the tag set, entities and nesting rules of
 * https://core.telegram.org/bots/api#html-style), explicit `entities` arrays and the
 * 1..4096 length limit counted in UTF-16 code units after entity parsing.
 *
 * Every failure is a {@link TelegramTextError} whose message is the Bot API `description`.
 */

export class TelegramTextError extends Error {
  override name = 'TelegramTextError';
}

export interface ParsedEntity {
  type: string;
  /** UTF-16 code units, like the Bot API. */
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export interface ParsedText {
  text: string;
  entities: ParsedEntity[];
}

export const MAX_MESSAGE_LENGTH = 4096;

const TAG_ENTITY: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  'tg-emoji': 'custom_emoji',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

const ENTITY_TYPES = new Set([
  'mention', 'hashtag', 'cashtag', 'bot_command', 'url', 'email', 'phone_number', 'bold', 'italic',
  'underline', 'strikethrough', 'spoiler', 'blockquote', 'expandable_blockquote', 'code', 'pre',
  'text_link', 'text_mention', 'custom_emoji',
]);

/** UTF-16 length, which is what String#length already counts. */
export function utf16Length(s: string): number {
  return s.length;
}

function fail(detail: string): never {
  throw new TelegramTextError(`Bad Request: can't parse entities: ${detail}`);
}

interface OpenTag {
  name: string;
  entity: ParsedEntity;
}

/** Parses Telegram HTML into plain text + entities, or throws TelegramTextError like the Bot API. */
export function parseTelegramHtml(html: string): ParsedText {
  let text = '';
  const entities: ParsedEntity[] = [];
  const open: OpenTag[] = [];
  const byteOffset = (i: number) => Buffer.byteLength(html.slice(0, i), 'utf8');
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '&') {
      const m = /^&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/u.exec(html.slice(i, i + 12));
      if (!m) fail(`unsupported HTML entity or bare "&" at byte offset ${byteOffset(i)}`);
      if (m[1]) text += NAMED_ENTITIES[m[1]];
      else {
        const cp = m[2] ? Number(m[2]) : Number.parseInt(m[3]!, 16);
        if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail(`invalid character reference at byte offset ${byteOffset(i)}`);
        text += String.fromCodePoint(cp);
      }
      i += m[0].length;
      continue;
    }
    if (ch === '>') {
      // Telegram tolerates a bare ">" in text; we do the same.
      text += ch;
      i += 1;
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }
    const tagStart = i;
    const close = html.indexOf('>', i);
    if (close === -1) fail(`unclosed start tag at byte offset ${byteOffset(tagStart)}`);
    const inner = html.slice(i + 1, close);
    i = close + 1;
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim().toLowerCase();
      const top = open.pop();
      if (!top) fail(`unexpected end tag at byte offset ${byteOffset(tagStart)}`);
      if (name !== top.name) {
        fail(`unmatched end tag at byte offset ${byteOffset(tagStart)}, expected "</${top.name}>", found "</${name}>"`);
      }
      top.entity.length = text.length - top.entity.offset;
      if (top.entity.length > 0) entities.push(top.entity);
      continue;
    }
    const nameMatch = /^([a-zA-Z][a-zA-Z0-9-]*)/u.exec(inner);
    const name = nameMatch?.[1]?.toLowerCase() ?? '';
    const type = TAG_ENTITY[name];
    if (!type) fail(`unsupported start tag "${name}" at byte offset ${byteOffset(tagStart)}`);
    const attrs = parseAttributes(inner.slice(name.length), () => byteOffset(tagStart));
    const parent = open[open.length - 1];
    if (parent && (parent.name === 'code' || (parent.name === 'pre' && name !== 'code'))) {
      fail(`entities can't be nested inside "${parent.name}" at byte offset ${byteOffset(tagStart)}`);
    }
    if (name === 'blockquote' && open.some((o) => o.name === 'blockquote')) {
      fail(`blockquote can't be nested at byte offset ${byteOffset(tagStart)}`);
    }
    const entity: ParsedEntity = { type, offset: text.length, length: 0 };
    if (name === 'a') {
      const href = attrs.get('href');
      if (!href) fail(`tag "a" must have attribute "href" at byte offset ${byteOffset(tagStart)}`);
      entity.url = href;
    } else if (name === 'span') {
      if (attrs.get('class') !== 'tg-spoiler') fail(`tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(tagStart)}`);
    } else if (name === 'tg-emoji') {
      const id = attrs.get('emoji-id');
      if (!id) fail(`tag "tg-emoji" must have attribute "emoji-id" at byte offset ${byteOffset(tagStart)}`);
      entity.custom_emoji_id = id;
    } else if (name === 'blockquote' && attrs.has('expandable')) {
      entity.type = 'expandable_blockquote';
    } else if (name === 'code' && parent?.name === 'pre') {
      const cls = attrs.get('class');
      if (cls?.startsWith('language-')) parent.entity.language = cls.slice('language-'.length);
    }
    open.push({ name, entity });
  }
  const unclosed = open[open.length - 1];
  if (unclosed) fail(`can't find end tag corresponding to start tag "${unclosed.name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function parseAttributes(s: string, at: () => number): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /\s*([a-zA-Z][a-zA-Z0-9_-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/uy;
  let pos = 0;
  const rest = s.trimEnd();
  while (pos < rest.length) {
    re.lastIndex = pos;
    const m = re.exec(rest);
    if (!m || m[0].length === 0) fail(`malformed attributes in start tag at byte offset ${at()}`);
    const raw = m[2] ?? m[3] ?? m[4] ?? '';
    attrs.set(m[1]!.toLowerCase(), decodeAttr(raw));
    pos = re.lastIndex;
  }
  return attrs;
}

function decodeAttr(s: string): string {
  return s.replace(/&(lt|gt|amp|quot);/gu, (_, n: string) => NAMED_ENTITIES[n]!);
}

/** Validates an explicit `entities` array against a plain text (offsets in UTF-16 units). */
export function checkEntities(text: string, entities: unknown): ParsedEntity[] {
  if (!Array.isArray(entities)) throw new TelegramTextError("Bad Request: can't parse entities: entities must be an array");
  return entities.map((e, idx) => {
    if (typeof e !== 'object' || e === null) throw new TelegramTextError(`Bad Request: can't parse entities: entity ${idx} is not an object`);
    const { type, offset, length } = e as Record<string, unknown>;
    if (typeof type !== 'string' || !ENTITY_TYPES.has(type)) {
      throw new TelegramTextError(`Bad Request: can't parse entities: unsupported entity type "${String(type)}"`);
    }
    if (!Number.isInteger(offset) || !Number.isInteger(length) || (offset as number) < 0 || (length as number) < 1) {
      throw new TelegramTextError(`Bad Request: can't parse entities: entity ${idx} has invalid offset/length`);
    }
    if ((offset as number) + (length as number) > text.length) {
      throw new TelegramTextError(`Bad Request: can't parse entities: entity ${idx} ends after the end of the text`);
    }
    return e as ParsedEntity;
  });
}

/**
 * What the Bot API does with `text` + `parse_mode` / `entities` before sending:
 * parse, then require 1..4096 UTF-16 units of visible text.
 */
export function validateMessageText(
  raw: unknown,
  parseMode: unknown,
  entities: unknown,
  { field = 'message text', max = MAX_MESSAGE_LENGTH }: { field?: string; max?: number } = {},
): ParsedText {
  if (typeof raw !== 'string' || raw.length === 0) throw new TelegramTextError(`Bad Request: ${field} is empty`);
  let parsed: ParsedText;
  if (parseMode === undefined || parseMode === null || parseMode === '') {
    parsed = { text: raw, entities: entities === undefined ? [] : checkEntities(raw, entities) };
  } else if (typeof parseMode === 'string' && parseMode.toLowerCase() === 'html') {
    parsed = parseTelegramHtml(raw);
  } else {
    throw new TelegramTextError(`Bad Request: unsupported parse_mode "${String(parseMode)}" in the emulator`);
  }
  if (parsed.text.trim().length === 0) throw new TelegramTextError(`Bad Request: ${field} is empty`);
  if (utf16Length(parsed.text) > max) throw new TelegramTextError(`Bad Request: ${field === 'message text' ? 'message is too long' : `${field} is too long`}`);
  return parsed;
}
