/**
 * The bot says what `npm run ask` says: every dev-set question, asked in a private chat against the
 * emulator, gets the same verbatim quotes and the same sources (in the same order) as engine.ask.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from 'grammy';
import { createBot, startPolling, type BotContext, type Polling } from '../../src/bot/index.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { tempWorkspace, testConfig } from '../../src/indexer/testing.js';
import { createLogger } from '../../src/log.js';
import { State } from '../../src/state/index.js';
import { BotApiEmulator, FAKE_TOKEN } from '../emulator/bot-api.js';

const DEV = new URL('../../../shared/eval/dev.jsonl', import.meta.url);
const questions = readFileSync(DEV, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; question: string });

describe('bot ↔ npm run ask parity on the dev set (real engine, emulator)', () => {
  const ws = tempWorkspace('baowen-parity-');
  const log = createLogger('silent');
  let emu: BotApiEmulator;
  let engine: Engine;
  let state: State;
  let bot: Bot<BotContext>;
  let polling: Polling;

  beforeAll(async () => {
    emu = await BotApiEmulator.start();
    const config = testConfig(ws, { BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, EMBED_LOCAL_DIR: `${ws.root}/models`, RATE_LIMIT_PER_MINUTE: '1000' });
    engine = await createEngine(config, log, { buildIfMissing: true, pollMs: 0 });
    state = State.open(':memory:');
    bot = createBot({ config, log, engine, state });
    polling = startPolling(bot, { log, timeoutSeconds: 5 });
  });

  afterAll(async () => {
    await polling?.stop();
    await engine?.close();
    state?.close();
    await emu?.close();
    ws.cleanup();
  });

  it('answers all 30 dev questions with the quotes and sources of engine.ask', async () => {
    let chat = 9000;
    for (const q of questions) {
      const expected = await engine.ask(q.question);
      const id = chat++;
      const since = emu.mark();
      emu.sendText(id, id, q.question);
      const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === id, { since, timeoutMs: 20_000 });
      // Let a split answer finish arriving before reading it.
      await new Promise((r) => setTimeout(r, 50));
      const text = emu.calls
        .filter((c) => c.at >= reply.at && c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === id)
        .map((c) => c.parsed?.text ?? '')
        .join('\n');
      if (!expected.answered) {
        expect(text, q.id).not.toMatch(/\[1\]/u);
        continue;
      }
      for (const quote of expected.quotes) expect(text, `${q.id} quote`).toContain(quote.text);
      let at = -1;
      for (const c of expected.citations) {
        const pos = text.indexOf(c.title, at + 1);
        expect(pos, `${q.id} source [${c.n}] ${c.title}`).toBeGreaterThan(at);
        at = pos;
      }
    }
  });
});
