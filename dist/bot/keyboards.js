/** Inline keyboards. Button texts come from the .ftl files; payloads from callback-data.ts. */
import { InlineKeyboard } from 'grammy';
import { encodeCallback, tryEncodeCallback } from './callback-data.js';
const PER_ROW = 4;
/**
 * 原文 1 … 原文 n (one per cited source, linking its first quote), then 更多 / More when `moreKey`
 * (the answer whose further quotes it sends) is given, then 👍 / 👎.
 */
export function answerKeyboard(answer, key, tr, moreKey) {
    const kb = new InlineKeyboard();
    const seen = new Set();
    let inRow = 0;
    for (const q of answer.quotes) {
        if (seen.has(q.source))
            continue;
        seen.add(q.source);
        const data = tryEncodeCallback({ kind: 'src', articleId: q.articleId, start: q.start, end: q.end }) ??
            encodeCallback({ kind: 'srq', key, n: q.source });
        if (inRow === PER_ROW) {
            kb.row();
            inRow = 0;
        }
        kb.text(tr('btn-source', { n: q.source }), data);
        inRow++;
    }
    kb.row();
    if (moreKey)
        kb.text(tr('btn-more'), encodeCallback({ kind: 'more', key: moreKey }));
    return kb
        .text('👍', encodeCallback({ kind: 'fb', key, vote: 'up' }))
        .text('👎', encodeCallback({ kind: 'fb', key, vote: 'down' }));
}
/** 中文 / English. */
export function langKeyboard() {
    return new InlineKeyboard().text('中文', encodeCallback({ kind: 'lang', lang: 'zh' })).text('English', encodeCallback({ kind: 'lang', lang: 'en' }));
}
//# sourceMappingURL=keyboards.js.map