/**
 * Callback payloads of our inline buttons, validated with zod. Each fits Telegram's 64 bytes:
 *
 * - `src:<articleId>:<start36>-<end36>` — 原文 n: the passage [start, end) of an article (stateless)
 * - `srq:<answerKey>:<n>`             — 原文 n when the article id is too long for the above (answer cache)
 * - `fb:<answerKey>:up|down`          — 👍 / 👎 on a cached answer
 * - `lang:zh|en`                       — the /lang buttons
 * - `more:<answerKey>`                 — 更多 / More: the next quotes of a cached answer
 *
 * Anything else decodes to `undefined`; handlers answer it politely.
 */
import { z } from 'zod';
export const MAX_CALLBACK_BYTES = 64;
const answerKey = z.string().regex(/^[A-Za-z0-9_-]{4,16}$/u);
const offset = z.number().int().min(0).max(10_000_000);
const SourceData = z
    .object({ kind: z.literal('src'), articleId: z.string().min(1).max(48).regex(/^[^\s]+$/u), start: offset, end: offset })
    .refine((d) => d.end > d.start, 'end must be after start');
const CachedSourceData = z.object({ kind: z.literal('srq'), key: answerKey, n: z.number().int().min(1).max(99) });
const FeedbackData = z.object({ kind: z.literal('fb'), key: answerKey, vote: z.enum(['up', 'down']) });
const LangData = z.object({ kind: z.literal('lang'), lang: z.enum(['zh', 'en']) });
const MoreData = z.object({ kind: z.literal('more'), key: answerKey });
export const CallbackDataSchema = z.union([SourceData, CachedSourceData, FeedbackData, LangData, MoreData]);
const b36 = (n) => n.toString(36);
function serialize(d) {
    switch (d.kind) {
        case 'src':
            return `src:${d.articleId}:${b36(d.start)}-${b36(d.end)}`;
        case 'srq':
            return `srq:${d.key}:${d.n}`;
        case 'fb':
            return `fb:${d.key}:${d.vote}`;
        case 'lang':
            return `lang:${d.lang}`;
        case 'more':
            return `more:${d.key}`;
    }
}
/** Encodes a payload; undefined when it is invalid or would exceed 64 bytes. */
export function tryEncodeCallback(d) {
    if (!CallbackDataSchema.safeParse(d).success)
        return undefined;
    const s = serialize(d);
    return Buffer.byteLength(s, 'utf8') <= MAX_CALLBACK_BYTES ? s : undefined;
}
/** Encodes a payload or throws (for payloads that are always small). */
export function encodeCallback(d) {
    const s = tryEncodeCallback(d);
    if (s === undefined)
        throw new Error(`callback data does not fit: ${JSON.stringify(d)}`);
    return s;
}
const int36 = (s) => (s !== undefined && /^[0-9a-z]{1,6}$/u.test(s) ? Number.parseInt(s, 36) : Number.NaN);
/** Parses callback data from Telegram; undefined for junk, foreign or over-long data. */
export function decodeCallback(data) {
    if (!data || Buffer.byteLength(data, 'utf8') > MAX_CALLBACK_BYTES)
        return undefined;
    let candidate;
    let m;
    if ((m = /^src:(.+):([0-9a-z]+)-([0-9a-z]+)$/u.exec(data)))
        candidate = { kind: 'src', articleId: m[1], start: int36(m[2]), end: int36(m[3]) };
    else if ((m = /^srq:([^:]+):(\d{1,2})$/u.exec(data)))
        candidate = { kind: 'srq', key: m[1], n: Number(m[2]) };
    else if ((m = /^fb:([^:]+):(up|down)$/u.exec(data)))
        candidate = { kind: 'fb', key: m[1], vote: m[2] };
    else if ((m = /^lang:(\w+)$/u.exec(data)))
        candidate = { kind: 'lang', lang: m[1] };
    else if ((m = /^more:([^:]+)$/u.exec(data)))
        candidate = { kind: 'more', key: m[1] };
    else
        return undefined;
    const parsed = CallbackDataSchema.safeParse(candidate);
    return parsed.success ? parsed.data : undefined;
}
//# sourceMappingURL=callback-data.js.map