/** The update types the bot asks Telegram for (polling and webhook alike). `my_chat_member` tells us about blocks. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query', 'my_chat_member'];
//# sourceMappingURL=updates.js.map