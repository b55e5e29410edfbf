export const isPrivate = (ctx) => ctx.chat?.type === 'private';
export const isGroup = (ctx) => ctx.chat?.type === 'group' || ctx.chat?.type === 'supergroup';
/** True when a group message replies to one of the bot's own messages. */
export function repliesToBot(ctx) {
    return ctx.message?.reply_to_message?.from?.id === ctx.me.id;
}
/**
 * The mentions of this bot in a message, read from its entities only (never by text prefix: a
 * `@baowen_bot_helper` typed in a group is another bot): `mention` entities whose text is exactly
 * `@<our username>` (case-insensitive) and `text_mention` entities pointing at our user id.
 */
export function botMentions(ctx) {
    const text = ctx.message?.text;
    if (!text)
        return [];
    const me = `@${ctx.me.username}`.toLowerCase();
    return (ctx.message?.entities ?? []).filter((e) => (e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === me) ||
        (e.type === 'text_mention' && e.user.id === ctx.me.id));
}
/** The text with every mention of this bot removed, or undefined when the bot is not mentioned. */
export function withoutMention(ctx) {
    const text = ctx.message?.text;
    const mentions = botMentions(ctx);
    if (!text || mentions.length === 0)
        return undefined;
    let out = '';
    let pos = 0;
    for (const e of [...mentions].sort((a, b) => a.offset - b.offset)) {
        out += text.slice(pos, e.offset);
        pos = e.offset + e.length;
    }
    return out + text.slice(pos);
}
/**
 * A message that starts with a bot command, and whether that command names another bot. Like
 * grammY's `bot.command` (and Telegram), this reads the `bot_command` entity at offset 0: `/开始`,
 * `/ 问题`, `//` or `/🙂` carry none and are text, not commands.
 */
export function commandOf(ctx) {
    const text = ctx.message?.text;
    const entity = ctx.message?.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
    if (!text || !entity)
        return undefined;
    const m = /^\/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?$/u.exec(text.slice(0, entity.length));
    if (!m)
        return undefined;
    return { command: m[1].toLowerCase(), forOtherBot: m[2] !== undefined && m[2].toLowerCase() !== ctx.me.username.toLowerCase() };
}
/**
 * What a private text that starts with `/` but is not a command asks: the text without its
 * leading slashes (and a leading `@name` typed after them), or '' when nothing is left to ask.
 * `/ 通州区去年新发展了多少工会会员？` → the question; `//`, `/🙂`, `/@bot` → ''.
 */
export function slashQuestion(text) {
    const rest = text.replace(/^[/\s]+/u, '').replace(/^@[A-Za-z0-9_]*\s*/u, '').trim();
    return /[\p{L}\p{N}]/u.test(rest) ? rest : '';
}
/** Does this update ask the bot to do something (what the rate limit counts)? */
export function isAddressedToBot(ctx) {
    if (ctx.callbackQuery || ctx.inlineQuery)
        return true;
    if (!ctx.message)
        return false;
    if (isPrivate(ctx))
        return true;
    const cmd = commandOf(ctx);
    if (cmd)
        return !cmd.forOtherBot;
    return repliesToBot(ctx) || withoutMention(ctx) !== undefined;
}
//# sourceMappingURL=filters.js.map