import { run } from '@grammyjs/runner';
import { UpdatePipeline } from './durable.js';
import { ALLOWED_UPDATES } from './updates.js';
export function startPolling(bot, opts) {
    const pipeline = opts.pipeline ?? new UpdatePipeline(bot, { log: opts.log });
    let lastUpdateId;
    /** Ids of the current batches that were recorded for the first time (the rest were handled before). */
    const toHandle = new Set();
    const handle = run({
        init: () => bot.init(),
        handleUpdate: (update) => {
            lastUpdateId = Math.max(lastUpdateId ?? update.update_id, update.update_id);
            if (!toHandle.delete(update.update_id))
                return Promise.resolve();
            return pipeline.handle(update);
        },
        errorHandler: (err) => bot.errorHandler(err),
        api: {
            getUpdates: async (args, signal) => {
                const updates = await bot.api.getUpdates(args, signal);
                // Durable before the runner moves the offset past them (its next getUpdates call).
                for (const u of await pipeline.accept(updates))
                    toHandle.add(u.update_id);
                return updates;
            },
        },
    }, {
        runner: {
            fetch: { allowed_updates: ALLOWED_UPDATES, timeout: opts.timeoutSeconds ?? 30 },
            silent: true,
            retryInterval: 'exponential',
        },
    });
    void handle.task()?.catch((err) => opts.log.error({ err }, 'polling stopped with an error'));
    let stopping;
    const stop = () => (stopping ??= (async () => {
        await handle.stop();
        await pipeline.drain();
        if (lastUpdateId !== undefined) {
            try {
                await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 });
            }
            catch (err) {
                opts.log.warn({ err }, 'could not confirm the last update offset');
            }
        }
    })());
    return { handle, stop };
}
//# sourceMappingURL=polling.js.map