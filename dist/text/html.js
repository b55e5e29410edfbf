/** Telegram HTML helpers shared by the bot's replies and the digests. */
/** Escapes text for Telegram HTML: `&`, `<`, `>` and `"` (for attribute values). */
export function escapeHtml(s) {
    return s.replace(/[&<>"]/gu, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
//# sourceMappingURL=html.js.map