/**
 * One page file → its articles. Pure: text in, Articles out (the caller reads the file).
 *
 * Pipeline: split into blocks (`blocks.ts`) → roles + page-break repair (`repair.ts`) →
 * group into articles here: a run of heading lines opens an article; a `本报讯（…）` paragraph
 * makes it a report; a `… 摄影报道` credit closes a captioned photo item; a `… 摄` credit after a
 * report names its photographer. The banner at the top of the page belongs to no article.
 */
import { createHash } from 'node:crypto';
import { creditKind, splitBlocks } from './blocks.js';
import { formatByline, parseByline, parseCreditLine } from './byline.js';
import { compact, extractUrlLines, FrontMatterError, splitFrontMatter } from './front-matter.js';
import { repairPage } from './repair.js';
/** A page that yields no article at all (empty, or nothing shaped like a newspaper page). */
export class PageParseError extends Error {
    file;
    reason;
    name = 'PageParseError';
    constructor(file, reason) {
        super(`${file}: ${reason}`);
        this.file = file;
        this.reason = reason;
    }
}
/** Organization words: the main headline of a trade-union paper names who acted. */
const ACTOR_RE = /工会|公司|集团|医院|街道|学校|大学|委员会|协会|研究院|中心|政府|管委会|局|厂|站/u;
/** A kicker/section label (`多彩三月`, `寒冬送暖 工会行动`) is at most this many non-space chars. */
const MAX_LABEL_CHARS = 10;
function nonSpaceLength(s) {
    return [...s.replace(/\s+/gu, '')].length;
}
/**
 * With two headline lines A, B: A is the kicker (引题) when it is a short section label, or when
 * it names no actor while B does (`广泛推动两新组织建会…` above `顺义区总工会持续推动…`).
 * Otherwise A is the main headline and B its sub-headline (副题).
 */
export function isKickerLine(a, b) {
    if (nonSpaceLength(a) <= MAX_LABEL_CHARS && nonSpaceLength(b) > nonSpaceLength(a))
        return true;
    return !ACTOR_RE.test(a) && ACTOR_RE.test(b);
}
/** Splits a headline block into kicker and title (sub-headlines appended after one space). */
export function splitHeadline(lines) {
    const [a, b, ...rest] = lines;
    if (a === undefined)
        return { kicker: null, title: '' };
    if (b === undefined)
        return { kicker: null, title: a };
    if (rest.length === 0)
        return isKickerLine(a, b) ? { kicker: a, title: b } : { kicker: null, title: `${a} ${b}` };
    return { kicker: a, title: [b, ...rest].join(' ') };
}
function cleanHeading(text) {
    return text.replace(/\s+/gu, ' ').trim();
}
function unique(names) {
    return [...new Set(names)];
}
function sha(algo, text) {
    return createHash(algo).update(text, 'utf8').digest('hex');
}
/** `001_171a289de099f801.txt` → `001_171a289de099f801`. */
export function fileStem(file) {
    return file.replace(/^.*[\\/]/u, '').replace(/\.txt$/iu, '');
}
/**
 * Parses one page. `file` is the page's base name (used in ids and error messages).
 * Throws {@link PageParseError} when the page is empty or yields no article.
 *
 * @example
 * const { articles } = parsePage('001_x.txt', fs.readFileSync('seeds/001_x.txt', 'utf8'));
 * articles[0].title; // → '通州区总工会推动构建纵横交织、覆盖广泛的组织体系 今年将新发展工会会员2.5万人'
 */
export function parsePage(file, content) {
    if (!content.trim())
        throw new PageParseError(file, 'empty page');
    let pageMeta;
    let urls;
    try {
        const fm = splitFrontMatter(content);
        pageMeta = fm.meta;
        ({ body: content, urls } = extractUrlLines(fm.body));
    }
    catch (e) {
        if (e instanceof FrontMatterError)
            throw new PageParseError(file, e.message);
        throw e;
    }
    const { blocks, warnings: repairWarnings } = repairPage(splitBlocks(content));
    const warnings = repairWarnings.map((w) => `${file}: ${w}`);
    const warn = (line, msg) => {
        warnings.push(`${file}: line ${line}: ${msg}`);
    };
    const drafts = [];
    let cur;
    const open = (heading) => {
        const d = {
            headings: [heading],
            paragraphs: [],
            hasByline: false,
            reporters: [],
            correspondents: [],
            credits: [],
            closed: false,
        };
        drafts.push(d);
        return d;
    };
    for (const b of blocks) {
        switch (b.role) {
            case 'banner':
                break;
            case 'heading':
                if (cur && cur.paragraphs.length === 0 && cur.credits.length === 0)
                    cur.headings.push(b);
                else
                    cur = open(b);
                break;
            case 'byline': {
                if (!cur) {
                    warn(b.line, 'byline before any headline, dropped');
                    break;
                }
                if (cur.hasByline || cur.paragraphs.length > 0)
                    warn(b.line, 'second byline inside one article');
                else {
                    cur.hasByline = true;
                    const names = parseByline(b.text);
                    if (names) {
                        cur.reporters.push(...names.reporters);
                        cur.correspondents.push(...names.correspondents);
                        if (names.unassigned.length)
                            warn(b.line, `byline names without a role: ${names.unassigned.join(' ')}`);
                    }
                }
                cur.paragraphs.push(b.text);
                break;
            }
            case 'credit':
                if (!cur) {
                    warn(b.line, `photo credit before any headline, dropped: ${b.text}`);
                    break;
                }
                cur.credits.push(b.text);
                if (creditKind(b.text) === 'photo-report')
                    cur.closed = true;
                break;
            case 'text':
                if (!cur) {
                    warn(b.line, `text before any headline, dropped: ${b.text.slice(0, 20)}…`);
                    break;
                }
                if (cur.closed)
                    warn(b.line, 'text after a photo credit; kept in the same article');
                cur.paragraphs.push(b.text);
                break;
        }
    }
    // An article's own `url:` line: the last one between its headline and the next article's.
    const ownUrl = new Map();
    for (const u of urls) {
        const owner = [...drafts].reverse().find((d) => d.headings[0].line < u.line);
        if (owner)
            ownUrl.set(owner, u.url);
        else
            warn(u.line, `url line before any headline, ignored: ${u.url}`);
    }
    const articles = [];
    const stem = fileStem(file);
    const seen = new Map();
    for (const d of drafts) {
        const headLine = d.headings[0];
        if (d.paragraphs.length === 0) {
            warn(headLine.line, `headline without body, skipped: ${d.headings.map((h) => h.text).join(' / ')}`);
            continue;
        }
        const lines = d.headings.map((h) => cleanHeading(h.text));
        if (lines.length > 3)
            warn(headLine.line, `headline block of ${lines.length} lines`);
        const { kicker, title } = splitHeadline(lines);
        const kind = d.hasByline || d.credits.length === 0 ? 'report' : 'photo';
        let reporters = d.reporters;
        let correspondents = d.correspondents;
        const photographers = [];
        let photoSuffix = '摄影报道';
        for (const credit of d.credits) {
            const names = parseCreditLine(credit);
            photographers.push(...names.reporters, ...names.correspondents);
            if (kind === 'photo') {
                reporters = [...reporters, ...names.reporters];
                correspondents = [...correspondents, ...names.correspondents];
                if (creditKind(credit) === 'photo')
                    photoSuffix = '摄';
            }
        }
        if (kind === 'report' && !d.hasByline)
            warn(headLine.line, `article without byline or photo credit: ${title}`);
        const fields = {
            file,
            position: articles.length,
            kicker,
            title,
            reporters: unique(reporters),
            correspondents: unique(correspondents),
            photographers: unique(photographers),
            kind,
            paragraphs: d.paragraphs,
        };
        const byline = formatByline(fields, kind, photoSuffix);
        const base = `${stem}-${sha('sha1', `${kicker ?? ''}|${title}`).slice(0, 8)}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        const id = n === 1 ? base : `${base}-${n}`;
        const text = d.paragraphs.join('\n');
        const meta = compact({ ...pageMeta, url: ownUrl.get(d) ?? pageMeta?.url });
        const content = {
            id,
            file,
            position: fields.position,
            kicker,
            title,
            byline,
            reporters: fields.reporters,
            correspondents: fields.correspondents,
            photographers: fields.photographers,
            kind,
            paragraphs: fields.paragraphs,
            text,
            // Only when present, so the hashes of pages without metadata stay what they were.
            ...(meta ? { meta } : {}),
        };
        articles.push({ ...content, hash: sha('sha256', JSON.stringify(content)) });
    }
    if (articles.length === 0)
        throw new PageParseError(file, 'no article found (no headline followed by body text)');
    return { articles, warnings };
}
//# sourceMappingURL=parse.js.map