/**
 * A page file as a list of blocks (non-empty lines), and the line-level predicates the page
 * parser decides with: is this a byline, a photo credit, shaped like a headline, a finished
 * sentence? Pure functions, no knowledge of particular headlines.
 */
const MARKDOWN_HEADING = /^(#{1,6})[ \t\u3000]*(.*)$/u;
/**
 * Splits a page into blocks: one per non-empty line, BOM and CRLF tolerated.
 *
 * @example
 * splitBlocks('\n\n## 标题\n\n正文。\n');
 * // → [{ text: '标题', line: 3, level: 2 }, { text: '正文。', line: 5, level: 0 }]
 */
export function splitBlocks(content) {
    const lines = content.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u);
    const blocks = [];
    lines.forEach((raw, idx) => {
        let text = raw.trim();
        if (!text)
            return;
        let level = 0;
        const m = MARKDOWN_HEADING.exec(text);
        if (m) {
            level = m[1].length;
            text = m[2].trim();
            if (!text)
                return; // a bare `#` line carries nothing
        }
        blocks.push({ text, line: idx + 1, level });
    });
    return blocks;
}
/** `本报讯（记者 X 通讯员 Y）…`, full- or half-width brackets, optional spaces. */
export const BYLINE_RE = /^本报[讯电]\s*[（(]([^（）()]{1,60})[）)]/u;
export function isByline(text) {
    return BYLINE_RE.test(text);
}
const CREDIT_ROLE = '(?:本报)?(?:特约|实习|摄影)?(?:记者|通讯员)|实习生';
/** `本报记者 宗晓畅 通讯员 高岩 摄影报道`, `通讯员 刘晓翠 摄`: roles and names, then 摄 / 摄影报道. */
const CREDIT_RE = new RegExp(`^(?:${CREDIT_ROLE})[\\p{Script=Han}·•\\s/、]{1,48}?\\s*(摄影报道|摄影|摄)$`, 'u');
/** A photo credit line; `photoReport` when it ends with 摄影报道 (the credit of a captioned photo item). */
export function creditKind(text) {
    const m = CREDIT_RE.exec(text);
    if (!m)
        return null;
    return m[1] === '摄影报道' ? 'photo-report' : 'photo';
}
/** Sentence-final punctuation, full- and half-width. */
const FINAL = new Set(['。', '！', '？', '；', '…', '!', '?', ';']);
/** Closing quotes/brackets that may follow the final punctuation (`。”`). */
const CLOSING = new Set(['”', '’', '」', '』', '）', ')', '》', '】', '"', "'"]);
/**
 * True when the block ends a sentence: its last char (ignoring trailing closing quotes/brackets)
 * is sentence-final punctuation. `感受到“娘家人”` does not end a sentence; `……。”` does.
 */
export function endsSentence(text) {
    let i = text.length - 1;
    while (i >= 0 && CLOSING.has(text[i]))
        i--;
    return i >= 0 && FINAL.has(text[i]);
}
const PAIRS = [
    ['“', '”'],
    ['‘', '’'],
    ['「', '」'],
    ['『', '』'],
    ['（', '）'],
    ['(', ')'],
    ['《', '》'],
    ['【', '】'],
];
/** True when every opening quote/bracket in the text is closed (and none closes unopened). */
export function isBalanced(text) {
    for (const [open, close] of PAIRS) {
        let depth = 0;
        for (const ch of text) {
            if (ch === open)
                depth++;
            else if (ch === close && --depth < 0)
                return false;
        }
        if (depth !== 0)
            return false;
    }
    return true;
}
/** Longest plausible headline line, in chars (the longest real sub-headline is ~40). */
export const MAX_HEADLINE_CHARS = 64;
/**
 * Shaped like a headline line: short, no full stop, not ending like a clause (`，、：`), quotes
 * balanced, at most one comma. Shape alone never makes a headline; structure decides (see repair).
 */
export function hasHeadlineShape(text) {
    const len = [...text].length;
    if (len < 2 || len > MAX_HEADLINE_CHARS)
        return false;
    if (/[。]/u.test(text))
        return false;
    if (/[，、,：:；;]$/u.test(text))
        return false;
    if ((text.match(/[，,]/gu) ?? []).length > 1)
        return false;
    if (/^[”’」』）)》】，、。,.;；:：！？!?…]/u.test(text))
        return false;
    return isBalanced(text);
}
/** Stricter shape for a headline with no byline or credit to confirm it: no clause punctuation at all. */
export function hasStrictHeadlineShape(text) {
    return hasHeadlineShape(text) && !/[，,；;：:！？!?…]/u.test(text);
}
/**
 * A page banner (running slogan across the top of the page, e.g. `深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面`):
 * two or more space-separated phrases of 6+ chars each, no punctuation.
 */
export function looksLikeBanner(text) {
    if (/[\p{P}]/u.test(text.replace(/[“”]/gu, '')))
        return false;
    const parts = text.split(/\s+/u).filter(Boolean);
    return parts.length >= 2 && parts.every((p) => [...p].length >= 6);
}
//# sourceMappingURL=blocks.js.map