/** Who is the bot being talked to, and what is the question — shared by the ask feature and the rate limit. */
import type { BotContext } from './context.js';

export const isPrivate = (ctx: BotContext): boolean => ctx.chat?.type === 'private';
export const isGroup = (ctx: BotContext): boolean => ctx.chat?.type === 'group' || ctx.chat?.type === 'supergroup';

/** True when a group message replies to one of the bot's own messages. */
export function repliesToBot(ctx: BotContext): boolean {
  return ctx.message?.reply_to_message?.from?.id === ctx.me.id;
}

/** The text with every `@botname` mention of this bot removed, or undefined when the bot is not mentioned. */
export function withoutMention(ctx: BotContext): string | undefined {
  const text = ctx.message?.text;
  if (!text) return undefined;
  const me = `@${ctx.me.username}`.toLowerCase();
  const mentions = (ctx.message?.entities ?? []).filter(
    (e) => e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === me,
  );
  if (mentions.length === 0) {
    // clients always send a mention entity; accept a leading "@bot" typed without one too
    return text.toLowerCase().startsWith(me) ? text.slice(me.length) : undefined;
  }
  let out = '';
  let pos = 0;
  for (const e of mentions.sort((a, b) => a.offset - b.offset)) {
    out += text.slice(pos, e.offset);
    pos = e.offset + e.length;
  }
  return out + text.slice(pos);
}

/** A message starting with a bot command, and whether that command names another bot. */
export function commandOf(ctx: BotContext): { command: string; forOtherBot: boolean } | undefined {
  const m = /^\/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?/u.exec(ctx.message?.text ?? '');
  if (!m) return undefined;
  return { command: m[1]!.toLowerCase(), forOtherBot: m[2] !== undefined && m[2].toLowerCase() !== ctx.me.username.toLowerCase() };
}

/** Does this update ask the bot to do something (what the rate limit counts)? */
export function isAddressedToBot(ctx: BotContext): boolean {
  if (ctx.callbackQuery || ctx.inlineQuery) return true;
  if (!ctx.message) return false;
  if (isPrivate(ctx)) return true;
  const cmd = commandOf(ctx);
  if (cmd) return !cmd.forOtherBot;
  return repliesToBot(ctx) || withoutMention(ctx) !== undefined;
}
