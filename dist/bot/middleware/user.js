export function upsertUser({ state, log }) {
    return async (ctx, next) => {
        const from = ctx.from;
        if (from && !from.is_bot) {
            try {
                // A user's private chat has the user's id, which is where digests go.
                ctx.user = await state.upsertUser({ id: from.id, chatId: from.id, ...(from.language_code ? { languageCode: from.language_code } : {}) });
            }
            catch (err) {
                log.warn({ err, userId: from.id }, 'could not store user');
            }
        }
        await next();
    };
}
//# sourceMappingURL=user.js.map