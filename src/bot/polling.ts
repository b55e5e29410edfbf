/**
 * Long polling with @grammyjs/runner (concurrent across chats; `sequentialize` in the stack keeps
 * each chat in order). `stop()` drains handlers in flight and then confirms the last offset, so a
 * restart never processes an update twice.
 */
import type { Bot, BotError } from 'grammy';
import type { Update } from 'grammy/types';
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Logger } from '../log.js';
import type { BotContext } from './context.js';
import { ALLOWED_UPDATES } from './updates.js';

export interface Polling {
  handle: RunnerHandle;
  /** Stops fetching, waits for handlers in flight, confirms the offset. Idempotent. */
  stop(): Promise<void>;
}

export function startPolling(bot: Bot<BotContext>, opts: { log: Logger; timeoutSeconds?: number }): Polling {
  let lastUpdateId: number | undefined;
  const inFlight = new Set<Promise<void>>();
  const handle = run(
    {
      init: () => bot.init(),
      handleUpdate: (update: Update) => {
        lastUpdateId = Math.max(lastUpdateId ?? update.update_id, update.update_id);
        const task = bot.handleUpdate(update);
        inFlight.add(task);
        void task.catch(() => undefined).finally(() => inFlight.delete(task));
        return task;
      },
      errorHandler: (err: BotError<BotContext>) => bot.errorHandler(err),
      api: { getUpdates: (args, signal) => bot.api.getUpdates(args, signal) },
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
      await Promise.allSettled([...inFlight]);
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
