/**
 * Shows "typing…" in the chat while `work` runs (Telegram shows it ~5 s, so it is repeated).
 * The first ping runs beside `work` and is awaited before returning (or rethrowing), so a chat that
 * blocked the bot is known (403, see ../blocked.ts) before the answer or an apology is sent.
 */
import type { BotContext } from '../context.js';

export async function withTyping<T>(ctx: BotContext, work: () => Promise<T>, everyMs = 4500): Promise<T> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return work();
  const ping = () => ctx.api.sendChatAction(chatId, 'typing').then(() => undefined, () => undefined);
  const first = ping();
  const timer = setInterval(() => void ping(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await first;
  }
}
