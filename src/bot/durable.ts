/**
 * Durable update handling: the path from "Telegram handed us an update" to "it was answered",
 * shared by long polling and the webhook.
 *
 *  1. `accept(updates)` records them in the journal (src/state/journal.ts) and resolves once they
 *     are durable — only then may Telegram learn they were received (polling: the next getUpdates
 *     moves the offset past them; webhook: the 200). Updates already recorded (Telegram re-sent
 *     them after a crash) are not handled again.
 *  2. `handle(update)` runs the bot on it and marks it done; errors go to the bot's error boundary,
 *     which answers the user. Per-chat order: updates of one chat are chained here, in the order
 *     `handle` is called (before any database round trip, whose latency varies on PostgreSQL), and
 *     with several instances each waits (bounded) for the same chat's earlier updates recorded by
 *     any instance to be finished first (`UpdateJournal.pendingBefore`).
 *  3. `recover()` at start handles what a crashed run recorded and never finished, oldest first,
 *     before anything new. An update that crashed the process `MAX_ATTEMPTS` times is given up.
 *
 * Replies are recorded per update as they are sent (`replayGuard`, an API transformer installed on
 * each update's `ctx.api`): when a recovered update is handled again, the writes it already made
 * are answered from the journal instead of being sent twice. The one window left is a crash after
 * Telegram accepted a reply and before it was recorded: that reply may be sent again
 * (at-least-once — an answer twice is better than a question never answered).
 *
 * Without a journal (tests, CLIs) `accept` passes everything through and `handle` just handles.
 */
import type { Bot, MiddlewareFn, Transformer } from 'grammy';
import { BotError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../log.js';
import { chatOf, type UpdateJournal } from '../state/journal.js';
import type { BotContext } from './context.js';

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
  private readonly inFlight = new Set<Promise<void>>();
  /** The last task of each chat in this process: the next one of that chat starts after it. */
  private readonly chatTails = new Map<string, Promise<void>>();
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bot: Bot<BotContext>,
    private readonly opts: { journal?: UpdateJournal; log: Logger; retentionMs?: number },
  ) {}

  get journal(): UpdateJournal | undefined {
    return this.opts.journal;
  }

  /** Records updates durably; resolves with the ones to handle (not recorded before). */
  async accept(updates: readonly Update[]): Promise<Update[]> {
    const journal = this.opts.journal;
    if (!journal || updates.length === 0) return [...updates];
    const fresh = new Set(await journal.record(updates));
    return updates.filter((u) => fresh.has(u.update_id));
  }

  /** Handles one accepted update; never rejects. */
  handle(update: Update): Promise<void> {
    const chat = chatOf(update);
    const key = chat === null ? `u${update.update_id}` : String(chat);
    const prev = this.chatTails.get(key) ?? Promise.resolve();
    const task = prev.then(() => this.run(update, chat));
    this.chatTails.set(key, task);
    this.inFlight.add(task);
    void task.finally(() => {
      this.inFlight.delete(task);
      if (this.chatTails.get(key) === task) this.chatTails.delete(key);
    });
    return task;
  }

  /** Waits until no earlier update of this chat (recorded by any instance) is still being handled. */
  private async earlierFinished(update: Update, chat: number | null): Promise<void> {
    const journal = this.opts.journal;
    if (!journal || chat === null) return;
    const deadline = Date.now() + ORDER_WAIT_MS;
    for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 2, 250)) {
      if ((await journal.pendingBefore(chat, update.update_id, Date.now() - ORDER_HORIZON_MS)) === 0) return;
      await new Promise((r) => setTimeout(r, delay));
    }
    this.opts.log.warn({ updateId: update.update_id, chat }, 'an earlier update of this chat is still unfinished; handling this one anyway');
  }

  /** Starts handling what a previous run recorded and did not finish (in update order); resolves with how many. */
  async recover(): Promise<number> {
    const journal = this.opts.journal;
    if (!journal) return 0;
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
    if (n) this.opts.log.info({ updates: n }, 'handling updates a previous run recorded but did not finish');
    return n;
  }

  /** Resolves when every update being handled is finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Prunes finished updates older than the retention now and every hour (timer unref'd). */
  startPruning(): void {
    const journal = this.opts.journal;
    const keep = this.opts.retentionMs;
    if (!journal || keep === undefined || this.pruneTimer) return;
    const prune = () =>
      void journal
        .prune(Date.now() - keep)
        .then((n) => n && this.opts.log.debug({ pruned: n }, 'update journal pruned'))
        .catch((err: unknown) => this.opts.log.warn({ err }, 'could not prune the update journal'));
    prune();
    this.pruneTimer = setInterval(prune, Math.min(keep, 3_600_000));
    this.pruneTimer.unref();
  }

  stopPruning(): void {
    clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
  }

  private async run(update: Update, chat: number | null): Promise<void> {
    const journal = this.opts.journal;
    try {
      await this.earlierFinished(update, chat);
      if (journal) await journal.begin(update.update_id);
      try {
        await this.bot.handleUpdate(update);
      } catch (err) {
        // bot.handleUpdate wraps middleware errors in BotError; the error boundary answers the user.
        if (err instanceof BotError) await this.bot.errorHandler(err as BotError<BotContext>);
        else throw err;
      }
      if (journal) await journal.finish(update.update_id, 'done');
    } catch (err) {
      // The journal itself failed (disk full…) or the error boundary threw: the update stays pending.
      this.opts.log.error({ err, updateId: update.update_id }, `update ${update.update_id} could not be finished`);
    }
  }
}

/**
 * First middleware (when there is a journal): records each reply this update sends and, when the
 * update is handled again after a crash, answers the writes it already made from the journal.
 */
export function replayGuard(journal: UpdateJournal, log: Logger): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const updateId = ctx.update.update_id;
    const already = new Map((await journal.replies(updateId)).map((r) => [r.seq, r]));
    let seq = 0;
    const transformer: Transformer = async (prev, method, payload, signal) => {
      if (NOT_REPLIES.has(method)) return prev(method, payload, signal);
      const n = seq++;
      const sent = already.get(n);
      if (sent && sent.method === method) {
        log.debug({ updateId, seq: n, method }, 'reply already sent before the restart; not sending it again');
        return { ok: true, result: sent.result } as Awaited<ReturnType<typeof prev>>;
      }
      const res = await prev(method, payload, signal);
      if (res.ok) {
        await journal.recordReply(updateId, n, method, res.result);
      } else if (res.error_code === 400 && /^answer(Callback|Inline)Query$/u.test(method) && TOO_OLD.test(res.description)) {
        return { ok: true, result: true } as Awaited<ReturnType<typeof prev>>;
      }
      return res;
    };
    ctx.api.config.use(transformer);
    await next();
  };
}
