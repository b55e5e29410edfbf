export async function withTyping(ctx, work, everyMs = 4500) {
    const chatId = ctx.chat?.id;
    if (chatId === undefined)
        return work();
    const ping = () => ctx.api.sendChatAction(chatId, 'typing').then(() => undefined, () => undefined);
    const first = ping();
    const timer = setInterval(() => void ping(), everyMs);
    try {
        return await work();
    }
    finally {
        clearInterval(timer);
        await first;
    }
}
//# sourceMappingURL=typing.js.map