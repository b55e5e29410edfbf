/** Telegram HTML helpers shared by the bot's replies and the digests. */

/** Escapes text for Telegram HTML: `&`, `<`, `>` and `"` (for attribute values). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/gu, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
