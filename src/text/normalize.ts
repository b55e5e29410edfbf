/**
 * Text normalization for *matching only* (queries, keyword index, sentence scoring).
 * Quotes are always cut from the original text, never from normalized text.
 */

/**
 * NFKC folds full-width ASCII (`，（２０２４）`) to half-width; we also fold
 * whitespace runs and lower-case Latin letters. Chinese punctuation without a
 * half-width twin (`。`、`“`) is left as is.
 */
export function normalizeForMatch(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLowerCase();
}

/** Normalized text with punctuation, symbols and spaces removed: for runs of characters compared across them. */
export function withoutPunctuation(normalized: string): string {
  return normalized.replace(/[\p{P}\p{S}\s]+/gu, '');
}

/** Like {@link normalizeForMatch} but also strips punctuation and symbols to single spaces (for queries). */
export function normalizeQuery(text: string): string {
  return normalizeForMatch(text)
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}
