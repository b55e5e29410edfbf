/**
 * A conservative token count for when no tokenizer is loaded (keyword-only mode, tests).
 * It over-estimates on purpose: a chunk sized with it never overflows the real model.
 */
/** One token per CJK ideograph / kana / hangul syllable. */
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
/** A run of non-CJK letters/digits (a Latin word or a number) | any other visible char (CJK, punctuation). */
const PIECE_RE = new RegExp(`([^\\s\\p{P}\\p{S}${CJK}]+)|\\S`, 'gu');
/** Special tokens the embedding model adds around every input (`<s>` … `</s>`). */
export const SPECIAL_TOKENS = 2;
/**
 * Estimated model tokens for `text`: each CJK char 1; each Latin word or number
 * `ceil(len / 3) + 1` (subword pieces plus the word-start marker); each punctuation mark or
 * symbol 1; whitespace 0; plus {@link SPECIAL_TOKENS}.
 *
 * @example
 * estimateTokens('工会');       // → 4 (2 chars + 2 special)
 * estimateTokens('DIY活动');    // → 6 (DIY = 2, 活动 = 2, + 2)
 */
export function estimateTokens(text) {
    let n = SPECIAL_TOKENS;
    for (const m of text.matchAll(PIECE_RE)) {
        const word = m[1];
        n += word === undefined ? 1 : Math.ceil(word.length / 3) + 1;
    }
    return n;
}
//# sourceMappingURL=tokens.js.map