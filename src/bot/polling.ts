/**
 * Long polling with @grammyjs/runner (concurrent across chats; `sequentialize` in the stack keeps
 * each chat in order), through the durable pipeline (./durable.ts): each batch getUpdates returns
 * is recorded in the journal before the runner sees it, and the runner asks for the next batch —
 * whose `offset` tells Telegram the previous one was received — only after that. So an update
 * Telegram considers delivered is always on disk, and a SIGKILL loses nothing.
 *
 * `stop()` drains handlers in flight and then confirms the last offset, so a graceful restart has
 * nothing to recover.
 */
import type { Bot, BotError } from 'grammy';
import type { Update } from 'grammy/types';
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Logger } from '../log.js';
import type { BotContext } from './context.js';
import { UpdatePipeline } from './durable.js';
import { ALLOWED_UPDATES } from './updates.js';

export interface Polling {
  handle: RunnerHandle;
  /** Stops fetching, waits for handlers in flight, confirms the offset. Idempotent. */
  stop(): Promise<void>;
}

export function startPolling(
  bot: Bot<BotContext>,
  opts: { log: Logger; timeoutSeconds?: number; pipeline?: UpdatePipeline },
): Polling {
  const pipeline = opts.pipeline ?? new UpdatePipeline(bot, { log: opts.log });
  let lastUpdateId: number | undefined;
  /** Ids of the current batches that were recorded for the first time (the rest were handled before). */
  const toHandle = new Set<number>();
  const handle = run(
    {
      init: () => bot.init(),
      handleUpdate: (update: Update) => {
        lastUpdateId = Math.max(lastUpdateId ?? update.update_id, update.update_id);
        if (!toHandle.delete(update.update_id)) return Promise.resolve();
        return pipeline.handle(update);
      },
      errorHandler: (err: BotError<BotContext>) => bot.errorHandler(err),
      api: {
        getUpdates: async (args, signal) => {
          const updates = await bot.api.getUpdates(args, signal);
          // Durable before the runner moves the offset past them (its next getUpdates call).
          for (const u of await pipeline.accept(updates)) toHandle.add(u.update_id);
          return updates;
        },
      },
    },
    {
      runner: {
        fetch: { allowed_updates: ALLOWED_UPDATES, timeout: opts.timeoutSeconds ?? 30 },
        silent: true,
        retryInterval: 'exponential',
      },
    },
  );
  void handle.task()?.catch((err: unknown) => opts.log.error({ err }, 'polling stopped with an error'));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await handle.stop();
      await pipeline.drain();
      if (lastUpdateId !== undefined) {
        try {
          await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 });
        } catch (err) {
          opts.log.warn({ err }, 'could not confirm the last update offset');
        }
      }
    })());
  return { handle, stop };
}
