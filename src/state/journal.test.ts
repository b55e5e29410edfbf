import type { Update } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { chatOf, SqlUpdateJournal } from './journal.js';
import { BACKENDS, freshTarget, type TestTarget } from '../../test/backends.js';

const targets: TestTarget[] = [];
afterEach(() => {
  for (const t of targets.splice(0)) t.cleanup();
});

const msg = (id: number, chat: number): Update =>
  ({ update_id: id, message: { message_id: id, date: 0, chat: { id: chat, type: 'private', first_name: 'u' }, text: `q${id}` } }) as unknown as Update;

describe.each(BACKENDS)('SqlUpdateJournal on %s', (backend) => {
  it('records once, lists pending in order, keeps replies, finishes and prunes only finished rows', async () => {
    const target = freshTarget(backend);
    targets.push(target);
    const state = await target.open();
    let now = 1_000;
    const j = new SqlUpdateJournal(state.db, () => now);
    expect(await j.record([msg(12, 1), msg(10, 2)])).toEqual([12, 10]);
    expect(await j.record([msg(10, 2), msg(11, 1)])).toEqual([11]); // 10 was already recorded
    expect((await j.pending()).map((e) => e.updateId)).toEqual([10, 11, 12]);
    expect((await j.pending())[0]!.update).toEqual(msg(10, 2));

    // Per-chat order across instances: chat 1's earlier updates not yet finished.
    expect(await j.pendingBefore(1, 12, 0)).toBe(1); // 11
    expect(await j.pendingBefore(1, 11, 0)).toBe(0);
    expect(await j.pendingBefore(2, 12, 0)).toBe(1); // 10
    expect(await j.pendingBefore(1, 12, 1_000)).toBe(0); // recorded too long ago to wait for
    expect(await j.begin(10)).toBe(1);
    expect(await j.begin(10)).toBe(2);
    await j.recordReply(10, 0, 'sendMessage', { message_id: 5 });
    await j.recordReply(10, 0, 'sendMessage', { message_id: 6 }); // idempotent: the first stays
    await j.recordReply(10, 1, 'answerCallbackQuery', true);
    expect(await j.replies(10)).toEqual([
      { seq: 0, method: 'sendMessage', result: { message_id: 5 } },
      { seq: 1, method: 'answerCallbackQuery', result: true },
    ]);
    await j.finish(10, 'done');
    await j.finish(11, 'failed');
    expect(await j.counts()).toEqual({ pending: 1, done: 1, failed: 1, replies: 2 });
    expect((await j.pending()).map((e) => e.updateId)).toEqual([12]);

    now = 5_000;
    expect(await j.prune(2_000)).toBe(2); // both finished at 1000; the pending one is never pruned
    expect(await j.counts()).toEqual({ pending: 1, done: 0, failed: 0, replies: 0 });
    await state.close();
  });
});

describe('chatOf', () => {
  it('finds the chat of messages, callbacks and inline queries', () => {
    expect(chatOf(msg(1, -100))).toBe(-100);
    expect(chatOf({ update_id: 2, callback_query: { id: 'x', from: { id: 7 }, message: { chat: { id: 8 } } } } as unknown as Update)).toBe(8);
    expect(chatOf({ update_id: 3, inline_query: { id: 'x', from: { id: 9 }, query: '' } } as unknown as Update)).toBe(9);
  });
});
