/** Shows "typing…" in the chat while `work` runs (Telegram shows it ~5 s, so it is repeated). */
import type { BotContext } from '../context.js';

export async function withTyping<T>(ctx: BotContext, work: () => Promise<T>, everyMs = 4500): Promise<T> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return work();
  const ping = () => void ctx.api.sendChatAction(chatId, 'typing').catch(() => undefined);
  ping();
  const timer = setInterval(ping, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
