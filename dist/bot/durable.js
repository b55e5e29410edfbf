import { BotError } from 'grammy';
import { chatOf } from '../state/journal.js';
/** A crash while handling the same update this many times: give up on it (a poison update). */
export const MAX_ATTEMPTS = 3;
/** API methods that are not replies (never recorded, never replayed). */
const NOT_REPLIES = new Set(['sendChatAction', 'getMe', 'getChat', 'getUpdates', 'getFile', 'getChatMember', 'setMyCommands', 'deleteMyCommands', 'setWebhook', 'deleteWebhook', 'getWebhookInfo']);
/** Telegram answers this when a callback/inline query is answered too late (after a restart): nothing to do. */
const TOO_OLD = /query is too old|query ID is invalid/iu;
/** With several instances: how long an update waits for its chat's earlier ones (then goes ahead). */
export const ORDER_WAIT_MS = 10_000;
/** Earlier updates recorded longer ago than this are not waited for (a dead instance's leftovers). */
const ORDER_HORIZON_MS = 120_000;
export class UpdatePipeline {
    bot;
    opts;
    inFlight = new Set();
    /** The last task of each chat in this process: the next one of that chat starts after it. */
    chatTails = new Map();
    pruneTimer;
    constructor(bot, opts) {
        this.bot = bot;
        this.opts = opts;
    }
    get journal() {
        return this.opts.journal;
    }
    /** Records updates durably; resolves with the ones to handle (not recorded before). */
    async accept(updates) {
        const journal = this.opts.journal;
        if (!journal || updates.length === 0)
            return [...updates];
        const fresh = new Set(await journal.record(updates));
        return updates.filter((u) => fresh.has(u.update_id));
    }
    /** Handles one accepted update; never rejects. */
    handle(update) {
        const chat = chatOf(update);
        const key = chat === null ? `u${update.update_id}` : String(chat);
        const prev = this.chatTails.get(key) ?? Promise.resolve();
        const task = prev.then(() => this.run(update, chat));
        this.chatTails.set(key, task);
        this.inFlight.add(task);
        void task.finally(() => {
            this.inFlight.delete(task);
            if (this.chatTails.get(key) === task)
                this.chatTails.delete(key);
        });
        return task;
    }
    /** Waits until no earlier update of this chat (recorded by any instance) is still being handled. */
    async earlierFinished(update, chat) {
        const journal = this.opts.journal;
        if (!journal || chat === null)
            return;
        const deadline = Date.now() + ORDER_WAIT_MS;
        for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 2, 250)) {
            if ((await journal.pendingBefore(chat, update.update_id, Date.now() - ORDER_HORIZON_MS)) === 0)
                return;
            await new Promise((r) => setTimeout(r, delay));
        }
        this.opts.log.warn({ updateId: update.update_id, chat }, 'an earlier update of this chat is still unfinished; handling this one anyway');
    }
    /** Starts handling what a previous run recorded and did not finish (in update order); resolves with how many. */
    async recover() {
        const journal = this.opts.journal;
        if (!journal)
            return 0;
        const pending = await journal.pending();
        let n = 0;
        for (const e of pending) {
            if (e.attempts >= MAX_ATTEMPTS) {
                this.opts.log.error({ updateId: e.updateId, attempts: e.attempts }, `update ${e.updateId} crashed the bot ${e.attempts} times; giving up on it`);
                await journal.finish(e.updateId, 'failed');
                continue;
            }
            void this.handle(e.update);
            n++;
        }
        if (n)
            this.opts.log.info({ updates: n }, 'handling updates a previous run recorded but did not finish');
        return n;
    }
    /** Resolves when every update being handled is finished. */
    async drain() {
        while (this.inFlight.size)
            await Promise.allSettled([...this.inFlight]);
    }
    /** Prunes finished updates older than the retention now and every hour (timer unref'd). */
    startPruning() {
        const journal = this.opts.journal;
        const keep = this.opts.retentionMs;
        if (!journal || keep === undefined || this.pruneTimer)
            return;
        const prune = () => void journal
            .prune(Date.now() - keep)
            .then((n) => n && this.opts.log.debug({ pruned: n }, 'update journal pruned'))
            .catch((err) => this.opts.log.warn({ err }, 'could not prune the update journal'));
        prune();
        this.pruneTimer = setInterval(prune, Math.min(keep, 3_600_000));
        this.pruneTimer.unref();
    }
    stopPruning() {
        clearInterval(this.pruneTimer);
        this.pruneTimer = undefined;
    }
    async run(update, chat) {
        const journal = this.opts.journal;
        try {
            await this.earlierFinished(update, chat);
            if (journal)
                await journal.begin(update.update_id);
            try {
                await this.bot.handleUpdate(update);
            }
            catch (err) {
                // bot.handleUpdate wraps middleware errors in BotError; the error boundary answers the user.
                if (err instanceof BotError)
                    await this.bot.errorHandler(err);
                else
                    throw err;
            }
            if (journal)
                await journal.finish(update.update_id, 'done');
        }
        catch (err) {
            // The journal itself failed (disk full…) or the error boundary threw: the update stays pending.
            this.opts.log.error({ err, updateId: update.update_id }, `update ${update.update_id} could not be finished`);
        }
    }
}
/**
 * First middleware (when there is a journal): records each reply this update sends and, when the
 * update is handled again after a crash, answers the writes it already made from the journal.
 */
export function replayGuard(journal, log) {
    return async (ctx, next) => {
        const updateId = ctx.update.update_id;
        const already = new Map((await journal.replies(updateId)).map((r) => [r.seq, r]));
        let seq = 0;
        const transformer = async (prev, method, payload, signal) => {
            if (NOT_REPLIES.has(method))
                return prev(method, payload, signal);
            const n = seq++;
            const sent = already.get(n);
            if (sent && sent.method === method) {
                log.debug({ updateId, seq: n, method }, 'reply already sent before the restart; not sending it again');
                return { ok: true, result: sent.result };
            }
            const res = await prev(method, payload, signal);
            if (res.ok) {
                await journal.recordReply(updateId, n, method, res.result);
            }
            else if (res.error_code === 400 && /^answer(Callback|Inline)Query$/u.test(method) && TOO_OLD.test(res.description)) {
                return { ok: true, result: true };
            }
            return res;
        };
        ctx.api.config.use(transformer);
        await next();
    };
}
//# sourceMappingURL=durable.js.map