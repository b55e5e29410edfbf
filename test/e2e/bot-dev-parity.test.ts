/**
 * The bot says what `npm run ask` says: every dev-set question, asked in a private chat against the
 * emulator, gets the same verbatim quotes and the same sources (in the same order) as engine.ask.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealBot, type RealBot } from '../helpers.js';

/** The dev questions (a copy of ../shared/eval/dev.jsonl, see eval/README.md). */
const DEV = new URL('../../eval/dev.jsonl', import.meta.url);
const questions = readFileSync(DEV, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; question: string });

describe('bot ↔ npm run ask parity on the dev set (real engine, emulator)', () => {
  let real: RealBot;
  beforeAll(async () => {
    real = await startRealBot('baowen-parity-', { RATE_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(async () => {
    await real?.stop();
  });

  it('answers all 30 dev questions with the quotes and sources of engine.ask', async () => {
    let chat = 9000;
    for (const q of questions) {
      const { emu, engine } = real;
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
