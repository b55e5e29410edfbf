/** Telegram HTML helpers shared by the bot's replies and the digests. */

/**
 * Telegram's limit for one text message (4096). Held here as characters of HTML *source*, stricter
 * than Telegram's count of visible characters, so a message holds whatever the escaping adds.
 */
export const MAX_MESSAGE = 4096;

/** Escapes text for Telegram HTML: `&`, `<`, `>` and `"` (for attribute values). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/gu, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
