/**
 * Page-break repair: layout extraction cuts words and sentences at column/page ends, leaving
 * `…先进模范人物。北` + blank lines + `京儿童医院工会相关负责人表示…`. This stage gives every block
 * its role (banner, heading, byline, credit, text) and glues body fragments back together,
 * without ever gluing a real headline to the caption or paragraph below it.
 *
 * How it decides (structure, never a list of known headlines):
 * - `本报讯（…）` lines are bylines; short `本报记者 X 摄` / `… 摄影报道` lines are photo credits;
 *   markdown `#` lines are headings.
 * - A plain line is a headline when it is shaped like one (short, no `。`, quotes balanced, not
 *   ending in `，、：`) AND the structure confirms it: within up to three headline-shaped lines
 *   comes a byline, or a caption paragraph (or page-broken pieces of one) closed by a
 *   `摄影报道` credit. Such a line stays a headline even after an unfinished paragraph.
 * - Otherwise, a text block that follows a body block not ending in sentence-final punctuation
 *   (`。！？；…!?;`, optionally followed by closing quotes) is a page-break continuation and is
 *   appended to it with no separator (`作用` + `用，推动…` gives the printed `作用用，推动…`).
 * - A plain line with no confirming structure is a headline only if it has no clause punctuation
 *   at all and the paragraph before it was finished (warned about, since it is unusual).
 */
import { creditKind, endsSentence, hasHeadlineShape, hasStrictHeadlineShape, isByline, looksLikeBanner, } from './blocks.js';
/** How many headline lines one headline block may have (kicker + main + sub). */
const MAX_HEADLINE_LINES = 3;
/** How many caption pieces may sit between a photo heading and its `摄影报道` credit. */
const MAX_CAPTION_BLOCKS = 6;
function preRole(b) {
    if (b.level > 0)
        return 'heading';
    if (isByline(b.text))
        return 'byline';
    if (creditKind(b.text))
        return 'credit';
    return 'text';
}
/**
 * True when the plain line at `i` starts a headline block that the page structure confirms:
 * up to three headline-shaped lines, then a byline, or a caption closed by a `摄影报道` credit.
 */
function confirmedHeadline(blocks, roles, i) {
    let runEnd = i;
    while (runEnd < blocks.length && runEnd - i < MAX_HEADLINE_LINES) {
        const r = roles[runEnd];
        if (r === 'heading' || (r === 'text' && hasHeadlineShape(blocks[runEnd].text)))
            runEnd++;
        else
            break;
    }
    if (roles[runEnd] === 'byline')
        return true;
    // Photo item: heading line(s), then caption piece(s), then `… 摄影报道`. A short caption can be
    // headline-shaped itself, so the caption may start anywhere after line i.
    for (let k = i + 1; k < blocks.length && k <= runEnd + MAX_CAPTION_BLOCKS; k++) {
        const r = roles[k];
        if (r === 'text' || k < runEnd)
            continue;
        if (r === 'credit')
            return k >= i + 2 && creditKind(blocks[k].text) === 'photo-report';
        return false;
    }
    return false;
}
/**
 * Assigns roles and glues page-break fragments. Pure: the input blocks are not modified.
 *
 * @example
 * const { blocks } = repairPage(splitBlocks('标题\n\n本报讯（记者 甲）确保抓出实\n\n量、取得实效。'));
 * blocks.map((b) => b.text); // → ['标题', '本报讯（记者 甲）确保抓出实量、取得实效。']
 */
export function repairPage(input) {
    const roles = input.map(preRole);
    const out = [];
    const joins = [];
    const warnings = [];
    // A running slogan at the very top of the page is not part of any article.
    const first = input[0];
    if (first && looksLikeBanner(first.text) && input.length > 1) {
        const second = input[1];
        if (roles[1] === 'heading' || (roles[1] === 'text' && hasHeadlineShape(second.text))) {
            out.push({ ...first, role: 'banner', lines: [first.line] });
        }
    }
    for (let i = out.length; i < input.length; i++) {
        const b = input[i];
        const role = roles[i];
        const prev = out[out.length - 1];
        const prevUnfinished = prev !== undefined && isBodyRole(prev.role) && !endsSentence(prev.text);
        if (role !== 'text') {
            if (prevUnfinished && prev) {
                warnings.push(`line ${prev.line}: paragraph ends mid-sentence before a ${role} (line ${b.line})`);
            }
            out.push({ ...b, role, lines: [b.line] });
            continue;
        }
        if (hasHeadlineShape(b.text) && confirmedHeadline(input, roles, i)) {
            if (prevUnfinished && prev) {
                warnings.push(`line ${prev.line}: paragraph ends mid-sentence before headline "${b.text}" (line ${b.line})`);
            }
            out.push({ ...b, role: 'heading', lines: [b.line] });
            continue;
        }
        if (prevUnfinished && prev) {
            prev.text += b.text;
            prev.lines.push(b.line);
            joins.push({ line: prev.lines[prev.lines.length - 2], joined: b.line });
            continue;
        }
        const nextRole = roles[i + 1];
        const prevAllowsHeading = prev === undefined || prev.role !== 'text' || endsSentence(prev.text);
        if (hasStrictHeadlineShape(b.text) &&
            prevAllowsHeading &&
            (nextRole === 'text' || nextRole === 'heading') &&
            (prev === undefined || prev.role !== 'byline')) {
            warnings.push(`line ${b.line}: headline "${b.text}" has no byline or photo credit after it`);
            out.push({ ...b, role: 'heading', lines: [b.line] });
            continue;
        }
        out.push({ ...b, role: 'text', lines: [b.line] });
    }
    return { blocks: out, joins, warnings };
}
function isBodyRole(role) {
    return role === 'text' || role === 'byline';
}
//# sourceMappingURL=repair.js.map