/**
 * Page metadata: optional YAML front matter at the top of a page file (the static-site convention),
 * and per-article `url:` lines. Pure: text in, data out.
 *
 * ```
 * ---
 * paper: 劳动午报
 * date: 2024-03-12
 * page: 3
 * url: https://example.org/2024-03/12/03.html
 * ---
 * ```
 *
 * Every key is optional. A line `url: https://…` (also `链接：https://…`) on its own inside an
 * article — by convention right under its headline — gives that article's own link, which wins
 * over the page's `url`. Both are removed from the text before the page is parsed; their lines
 * become blank, so line numbers in warnings still match the file.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
/** A `---` fence line (trailing spaces tolerated). */
const FENCE = /^---[ \t]*$/u;
/** The closing fence may also be YAML's document end marker `...`. */
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/u;
const httpUrl = z
    .string()
    .trim()
    .refine((s) => {
    try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
    }
    catch {
        return false;
    }
}, 'must be an http(s) URL');
/** `YYYY-MM-DD` that names a real day. */
const isoDate = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/u, 'must be a date YYYY-MM-DD')
    .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, 'is not a calendar date');
const FrontMatter = z
    .object({
    paper: z.string().trim().min(1).max(40).optional(),
    // YAML's core schema reads 2024-03-12 as a string; a Date can only come from explicit tags.
    date: z.union([isoDate, z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
    page: z
        .union([z.number().int().min(1).max(999), z.string().trim().regex(/^[A-Za-z]?\d{1,3}$/u, 'must be a page number like 3 or A3')])
        .transform((p) => String(p))
        .optional(),
    url: httpUrl.optional(),
})
    .strict();
export const META_KEYS = ['paper', 'date', 'page', 'url'];
/** Front matter that is not valid YAML, or has a bad value. */
export class FrontMatterError extends Error {
    name = 'FrontMatterError';
}
/**
 * Splits front matter off a page. No opening `---` on the first line → no metadata, body unchanged.
 * Throws {@link FrontMatterError} with a message naming the key for bad YAML, an unclosed fence,
 * unknown keys or bad values.
 */
export function splitFrontMatter(content) {
    const text = content.replace(/^\uFEFF/u, '');
    const lines = text.split(/\r\n|\r|\n/u);
    if (!FENCE.test(lines[0] ?? ''))
        return { meta: undefined, body: content };
    const end = lines.findIndex((l, i) => i > 0 && CLOSE.test(l));
    if (end === -1)
        throw new FrontMatterError('front matter: opening --- without a closing --- line');
    let data;
    try {
        data = parseYaml(lines.slice(1, end).join('\n'));
    }
    catch (e) {
        const msg = e instanceof YAMLParseError ? e.message.split('\n')[0] : String(e);
        throw new FrontMatterError(`front matter: not valid YAML (${msg})`);
    }
    const body = [...lines.slice(0, end + 1).map(() => ''), ...lines.slice(end + 1)].join('\n');
    if (data === null || data === undefined)
        return { meta: undefined, body };
    if (typeof data !== 'object' || Array.isArray(data))
        throw new FrontMatterError('front matter: expected key: value lines (paper, date, page, url)');
    const parsed = FrontMatter.safeParse(data);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        if (issue.code === 'unrecognized_keys') {
            throw new FrontMatterError(`front matter: unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${META_KEYS.join(', ')})`);
        }
        const key = String(issue.path[0] ?? '');
        const value = data[key];
        throw new FrontMatterError(`front matter: ${key} ${JSON.stringify(value instanceof Date ? value.toISOString() : value)} ${issue.message}`);
    }
    return { meta: compact(parsed.data), body };
}
/** A line that is only an article link: `url: https://…`, `链接：https://…`. */
const URL_LINE = /^[ \t\u3000]*(?:url|URL|链接|原文链接)[ \t]*[:：][ \t]*(\S+)[ \t]*$/u;
/**
 * Finds per-article `url:` lines. Returns the text with those lines blanked and the links by
 * 1-based line number. A `url:` line whose value is not an http(s) URL is an error.
 */
export function extractUrlLines(content) {
    const lines = content.split(/\r\n|\r|\n/u);
    const urls = [];
    const out = lines.map((l, i) => {
        const m = URL_LINE.exec(l);
        if (!m)
            return l;
        const ok = httpUrl.safeParse(m[1]);
        if (!ok.success)
            throw new FrontMatterError(`line ${i + 1}: url ${JSON.stringify(m[1])} must be an http(s) URL`);
        urls.push({ line: i + 1, url: ok.data });
        return '';
    });
    return { body: urls.length ? out.join('\n') : content, urls };
}
/** Drops absent keys; undefined when nothing is left. */
export function compact(meta) {
    const out = {};
    for (const k of META_KEYS)
        if (meta[k] !== undefined)
            out[k] = meta[k];
    return Object.keys(out).length ? out : undefined;
}
//# sourceMappingURL=front-matter.js.map