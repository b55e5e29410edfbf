/**
 * Text normalization for *matching only* (queries, keyword index, sentence scoring).
 * Quotes are always cut from the original text, never from normalized text.
 */
/**
 * NFKC folds full-width ASCII (`，（２０２４）`) to half-width; we also fold
 * whitespace runs and lower-case Latin letters. Chinese punctuation without a
 * half-width twin (`。`、`“`) is left as is.
 */
export function normalizeForMatch(text) {
    return text.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLowerCase();
}
/** Like {@link normalizeForMatch} but also strips punctuation and symbols to single spaces (for queries). */
export function normalizeQuery(text) {
    return normalizeForMatch(text)
        .replace(/[\p{P}\p{S}]+/gu, ' ')
        .replace(/\s+/gu, ' ')
        .trim();
}
//# sourceMappingURL=normalize.js.map