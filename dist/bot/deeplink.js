/**
 * Deep links `https://t.me/<bot>?start=<payload>` (printed beside a report as a QR code):
 *
 * - `sub_<base64url(topic)>` — subscribes to the topic (the normal /subscribe reply)
 * - `ask_<base64url(question)>` — answers the question
 *
 * The text is its UTF-8 bytes in unpadded base64url. Telegram allows at most 64 characters of
 * `A-Za-z0-9_-` in a start parameter, so the text may be at most {@link MAX_PAYLOAD_BYTES} bytes:
 * 15 Chinese characters (3 bytes each) or 45 ASCII ones. Longer texts get no link:
 * {@link encodeStartPayload} throws {@link LinkTooLongError} saying how much to cut, and the
 * bot treats an over-long or broken parameter as a broken link (welcome + a short note).
 */
export const MAX_START_PARAM = 64;
const PREFIX_CHARS = 4; // 'sub_' | 'ask_'
/** 60 base64url characters hold 45 bytes. */
export const MAX_PAYLOAD_BYTES = Math.floor(((MAX_START_PARAM - PREFIX_CHARS) * 6) / 8);
export class LinkTooLongError extends Error {
    kind;
    bytes;
    name = 'LinkTooLongError';
    constructor(kind, bytes) {
        super(`${kind === 'sub' ? 'topic' : 'question'} is ${bytes} bytes of UTF-8; a Telegram start link holds at most ${MAX_PAYLOAD_BYTES} ` +
            `(64 characters of base64url after "${kind}_"): about 15 Chinese characters or 45 Latin ones. Shorten it.`);
        this.kind = kind;
        this.bytes = bytes;
    }
}
/** `sub_5qSN5qCR` for ("sub", "植树"). Throws {@link LinkTooLongError} when it would exceed 64 characters. */
export function encodeStartPayload(kind, text) {
    const bytes = Buffer.from(text.trim(), 'utf8');
    if (bytes.length === 0)
        throw new Error(`empty ${kind === 'sub' ? 'topic' : 'question'}`);
    if (bytes.length > MAX_PAYLOAD_BYTES)
        throw new LinkTooLongError(kind, bytes.length);
    return `${kind}_${bytes.toString('base64url')}`;
}
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * Reads a /start parameter: a topic or question, `broken` for a `sub_`/`ask_` parameter that does
 * not decode to text (cut short, edited, over-long), undefined for anything else (plain /start,
 * the inline-mode button's `inline`).
 */
export function decodeStartPayload(param) {
    const m = /^(sub|ask)_(.*)$/su.exec(param?.trim() ?? '');
    if (!m)
        return undefined;
    const kind = m[1];
    const b64 = m[2];
    if (b64.length === 0 || PREFIX_CHARS + b64.length > MAX_START_PARAM || !/^[A-Za-z0-9_-]+$/u.test(b64) || b64.length % 4 === 1)
        return { kind: 'broken' };
    let text;
    try {
        text = fatalUtf8.decode(Buffer.from(b64, 'base64url'));
    }
    catch {
        return { kind: 'broken' };
    }
    // Strict: the canonical encoding of what we decoded must be what we got (no stray bits).
    if (Buffer.from(text, 'utf8').toString('base64url') !== b64)
        return { kind: 'broken' };
    text = text.trim();
    // Control characters never belong in a topic or question.
    if (!text || /\p{Cc}/u.test(text))
        return { kind: 'broken' };
    return { kind, text };
}
/** `https://t.me/<bot>?start=<payload>`. */
export function startLink(botUsername, payload) {
    return `https://t.me/${botUsername.replace(/^@/u, '')}?start=${payload}`;
}
//# sourceMappingURL=deeplink.js.map