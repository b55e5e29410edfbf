/**
 * Durable update handling (issue 14), in process with the fake engine: updates are recorded before
 * Telegram learns they were received, a restart handles what a crashed run recorded and never
 * finished, and a reply already sent is not sent again.
 */
import type { Update } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { State } from '../../src/state/index.js';
import { SqlUpdateJournal, type UpdateJournal } from '../../src/state/journal.js';
import { BACKENDS, freshTarget } from '../backends.js';
import { createBot, startPolling, startWebhook, UpdatePipeline } from '../../src/bot/index.js';
import { BotApiEmulator, FAKE_TOKEN } from '../emulator/bot-api.js';
import { FakeEngine } from '../emulator/fakes.js';

const log = createLogger('silent');

/** The journal, except that its first `record` fails (disk full). */
function failingOnce(journal: UpdateJournal): UpdateJournal {
  let failures = 1;
  const flaky = Object.create(journal) as UpdateJournal;
  flaky.record = async (ups) => {
    if (failures-- > 0) throw new Error('disk full');
    return journal.record(ups);
  };
  return flaky;
}
const replyTo = (c: { params: Record<string, unknown> }) => (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id;

describe.each(BACKENDS)('durable update handling on %s', (backend) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function world() {
    const target = freshTarget(backend);
    const emu = await BotApiEmulator.start();
    const state = await target.open();
    cleanups.push(async () => {
      await state.close();
      await emu.close();
      target.cleanup();
    });
    return { emu, state, journal: new SqlUpdateJournal(state.db) };
  }

  function bot(emu: BotApiEmulator, state: State, journal: UpdateJournal, env: Record<string, string> = {}) {
    const config = loadConfig({ BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, LOG_LEVEL: 'silent', ...env });
    const engine = new FakeEngine();
    const b = createBot({ config, log, engine, state, journal });
    return { bot: b, engine, config, pipeline: new UpdatePipeline(b, { journal, log, retentionMs: 3_600_000 }) };
  }

  it('after a crash: what was recorded and not done is handled, in order; replies already sent are not sent again', async () => {
    const { emu, state, journal } = await world();
    const u = 7001;
    // A run that crashed: it had recorded three updates; the first one's answer had gone out.
    emu.sendText(u, u, '会员一');
    const q2 = emu.sendText(u, u, '会员二');
    const q3 = emu.sendText(u, u, '天气');
    const updates = [...emu.pendingUpdates()] as unknown as Update[];
    await journal.record(updates);
    await journal.begin(updates[0]!.update_id);
    await journal.recordReply(updates[0]!.update_id, 0, 'sendMessage', { message_id: 99, date: 0, chat: { id: u, type: 'private' } });

    const since = emu.mark();
    const { bot: b, pipeline } = bot(emu, state, journal);
    await b.init();
    expect(await pipeline.recover()).toBe(3);
    const polling = startPolling(b, { log, timeoutSeconds: 1, pipeline });
    cleanups.push(() => polling.stop());
    await emu.waitForCalls((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === u, 2, { since });
    await emu.idle(400);
    const sent = emu.sentTo(u, since);
    // q1's answer was already sent: not again; q2 and q3 answered once each, in order
    expect(sent.map(replyTo)).toEqual([q2.message_id, q3.message_id]);
    // Telegram re-delivered all three (the crashed run never confirmed them): none handled twice
    expect(updates.every((x) => emu.deliveries(x.update_id) >= 1)).toBe(true);
    expect(await journal.counts()).toMatchObject({ pending: 0, done: 3 });
  });

  it('polling: the offset moves past an update only once it is recorded', async () => {
    const { emu, state, journal } = await world();
    const flaky = failingOnce(journal);
    const { bot: b, pipeline } = bot(emu, state, flaky);
    const polling = startPolling(b, { log, timeoutSeconds: 1, pipeline });
    cleanups.push(() => polling.stop());
    await emu.waitForRequest((r) => r.method === 'getUpdates');
    const since = emu.mark();
    const q = emu.sendText(7002, 7002, '会员');
    const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === 7002, { since });
    expect(replyTo(reply)).toBe(q.message_id);
    await emu.idle(300);
    expect(await journal.counts()).toMatchObject({ pending: 0, done: 1 });
    const id = (await state.db.get<{ id: number }>('SELECT MAX(update_id) AS id FROM update_journal'))!.id;
    expect(emu.deliveries(id)).toBe(2); // the first fetch could not be recorded: Telegram sent it again
    expect(emu.sentTo(7002, since)).toHaveLength(1);
  });

  it('webhook: 200 only after the update is recorded (a journal failure is a 500, and Telegram retries)', async () => {
    const { emu, state, journal } = await world();
    const flaky = failingOnce(journal);
    const { bot: b, pipeline, config } = bot(emu, state, flaky, { WEBHOOK_URL: 'http://127.0.0.1:1/tg/hook', HOST: '127.0.0.1', PORT: '0' });
    const hook = await startWebhook(b, { config, engine: new FakeEngine(), log, pipeline });
    cleanups.push(() => hook.stop());
    emu.webhook = { url: `http://127.0.0.1:${hook.port}/tg/hook`, secretToken: String(emu.callsTo('setWebhook')[0]!.params.secret_token) };
    const since = emu.mark();
    emu.sendText(7003, 7003, '会员');
    await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === 7003, { since });
    await emu.idle(300);
    expect(emu.sentTo(7003, since)).toHaveLength(1);
    expect(await journal.counts()).toMatchObject({ pending: 0, done: 1 });
    const id = (await state.db.get<{ id: number }>('SELECT MAX(update_id) AS id FROM update_journal'))!.id;
    expect(emu.deliveries(id)).toBe(2); // POSTed twice: the 500, then the 200
  });

  it('an update that crashed the bot MAX_ATTEMPTS times is given up, not retried forever', async () => {
    const { emu, state, journal } = await world();
    emu.sendText(7004, 7004, '会员');
    const [poison] = [...emu.pendingUpdates()] as unknown as Update[];
    await journal.record([poison!]);
    for (let i = 0; i < 3; i++) await journal.begin(poison!.update_id);
    const { bot: b, pipeline } = bot(emu, state, journal);
    await b.init();
    expect(await pipeline.recover()).toBe(0);
    expect(await journal.counts()).toMatchObject({ pending: 0, failed: 1 });
  });
});
