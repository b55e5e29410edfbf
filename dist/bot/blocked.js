/** Chats that answered 403, with when (epoch ms). */
export class BlockedChats {
    now;
    since = new Map();
    constructor(now = Date.now) {
        this.now = now;
    }
    add(chatId) {
        if (!this.since.has(chatId))
            this.since.set(chatId, this.now());
        if (this.since.size > 100_000)
            this.since.delete(this.since.keys().next().value);
    }
    has(chatId) {
        return this.since.has(chatId);
    }
    /** A message sent (Telegram `date`, seconds) after the block was seen means the chat is open again. */
    liftIfNewer(chatId, messageDateSeconds) {
        const at = this.since.get(chatId);
        if (at !== undefined && messageDateSeconds * 1000 > at)
            this.since.delete(chatId);
    }
}
/** What "forbidden" looks like from Telegram. */
export const isForbidden = (e) => typeof e === 'object' && e !== null && e.error_code === 403;
/** Methods that write into a chat (typing included: a blocked chat gets nothing). */
const WRITES = /^(send|copy|forward|edit|delete|pin|unpin|setMessageReaction)/u;
export function blockedChatGuard(opts) {
    const { blocked, state, log } = opts;
    return async (prev, method, payload, signal) => {
        const raw = payload?.chat_id;
        const chatId = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/u.test(raw) ? Number(raw) : undefined;
        if (chatId === undefined || !WRITES.test(method))
            return prev(method, payload, signal);
        if (blocked.has(chatId)) {
            return { ok: false, error_code: 403, description: 'Forbidden: this chat blocked the bot (not sent again)' };
        }
        const res = await prev(method, payload, signal);
        if (!res.ok && res.error_code === 403) {
            blocked.add(chatId);
            // A private chat's id is the user's id; a group 403 means the bot was removed from it.
            if (chatId > 0) {
                try {
                    await state.setActive(chatId, false);
                }
                catch (err) {
                    log.warn({ err, chatId }, 'could not mark the user inactive');
                }
            }
            log.info({ chatId, method }, 'chat blocked the bot (403): marked inactive, nothing more is sent to it');
        }
        return res;
    };
}
/** First in the stack after the error boundary: a new message from a blocked chat lifts the block. */
export function liftBlockOnNewMessage(blocked) {
    return (ctx, next) => {
        const msg = ctx.message;
        if (msg)
            blocked.liftIfNewer(msg.chat.id, msg.date);
        return next();
    };
}
//# sourceMappingURL=blocked.js.map