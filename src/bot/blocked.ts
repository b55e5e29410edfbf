/**
 * A 403 from Telegram on ANY send (the user blocked the bot, the bot was removed from a group)
 * marks the user inactive (no digests) and stops everything else this process would send to that
 * chat: later sends answer a local 403 without reaching Telegram, and the error boundary does not
 * apologise into the chat. A message the chat sends after the block was seen lifts it (the user
 * unblocked the bot).
 *
 * ```ts
 * const blocked = new BlockedChats();
 * bot.api.config.use(blockedChatGuard({ blocked, state, log }));
 * bot.use(liftBlockOnNewMessage(blocked));
 * ```
 */
import type { MiddlewareFn, Transformer } from 'grammy';
import type { Logger } from '../log.js';
import type { BotContext } from './context.js';

/** Chats that answered 403, with when (epoch ms). */
export class BlockedChats {
  private readonly since = new Map<number, number>();

  constructor(private readonly now: () => number = Date.now) {}

  add(chatId: number): void {
    if (!this.since.has(chatId)) this.since.set(chatId, this.now());
    if (this.since.size > 100_000) this.since.delete(this.since.keys().next().value!);
  }

  has(chatId: number): boolean {
    return this.since.has(chatId);
  }

  /** A message sent (Telegram `date`, seconds) after the block was seen means the chat is open again. */
  liftIfNewer(chatId: number, messageDateSeconds: number): void {
    const at = this.since.get(chatId);
    if (at !== undefined && messageDateSeconds * 1000 > at) this.since.delete(chatId);
  }
}

/** What "forbidden" looks like from Telegram. */
export const isForbidden = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { error_code?: unknown }).error_code === 403;

/** Methods that write into a chat (typing included: a blocked chat gets nothing). */
const WRITES = /^(send|copy|forward|edit|delete|pin|unpin|setMessageReaction)/u;

export function blockedChatGuard(opts: {
  blocked: BlockedChats;
  state: { setActive(userId: number, active: boolean): void | Promise<void> };
  log: Logger;
}): Transformer {
  const { blocked, state, log } = opts;
  return async (prev, method, payload, signal) => {
    const raw = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    const chatId = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/u.test(raw) ? Number(raw) : undefined;
    if (chatId === undefined || !WRITES.test(method)) return prev(method, payload, signal);
    if (blocked.has(chatId)) {
      return { ok: false, error_code: 403, description: 'Forbidden: this chat blocked the bot (not sent again)' } as Awaited<ReturnType<typeof prev>>;
    }
    const res = await prev(method, payload, signal);
    if (!res.ok && res.error_code === 403) {
      blocked.add(chatId);
      // A private chat's id is the user's id; a group 403 means the bot was removed from it.
      if (chatId > 0) {
        try {
          await state.setActive(chatId, false);
        } catch (err) {
          log.warn({ err, chatId }, 'could not mark the user inactive');
        }
      }
      log.info({ chatId, method }, 'chat blocked the bot (403): marked inactive, nothing more is sent to it');
    }
    return res;
  };
}

/** First in the stack after the error boundary: a new message from a blocked chat lifts the block. */
export function liftBlockOnNewMessage(blocked: BlockedChats): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    const msg = ctx.message;
    if (msg) blocked.liftIfNewer(msg.chat.id, msg.date);
    return next();
  };
}
