/**
 * Webhook hardening (issue 14): never unauthenticated (a random secret when none is configured),
 * forged updates refused and never run, > 1 MB bodies refused without being read whole, malformed
 * JSON a 400, and neither the token nor the secret in any log line.
 */
import http from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { State } from '../../src/state/index.js';
import { createBot, startWebhook, type Webhook } from '../../src/bot/index.js';
import { BotApiEmulator, FAKE_TOKEN } from '../emulator/bot-api.js';
import { FakeEngine } from '../emulator/fakes.js';

const ADMIN = 9001;

/** A logger whose lines are kept for inspection. */
function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { log: createLogger('debug', stream as unknown as { write(s: string): void }), text: () => lines.join('') };
}

function post(port: number, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return fetch(`http://127.0.0.1:${port}/tg/hook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => ({ status: r.status, body: await r.text() }));
}

/** POSTs `total` bytes in chunks without a Content-Length (chunked), resolving with the status (or 'reset'). */
function postChunked(port: number, total: number, headers: Record<string, string>): Promise<number | 'reset'> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/tg/hook', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve('reset'));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    req.write('{"update_id": 1, "pad": "');
    pump();
  });
}

describe('webhook hardening', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function setup(secret?: string) {
    const emu = await BotApiEmulator.start();
    const state = await State.open(':memory:');
    const engine = new FakeEngine();
    const cap = capturedLog();
    const config = loadConfig({
      BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, WEBHOOK_URL: 'http://127.0.0.1:1/tg/hook', HOST: '127.0.0.1', PORT: '0', ADMIN_IDS: String(ADMIN),
      ...(secret ? { WEBHOOK_SECRET: secret } : {}),
    });
    const bot = createBot({ config, log: cap.log, engine, state });
    const hook: Webhook = await startWebhook(bot, { config, engine, log: cap.log });
    const given = String(emu.callsTo('setWebhook')[0]!.params.secret_token ?? '');
    emu.webhook = { url: `http://127.0.0.1:${hook.port}/tg/hook`, secretToken: given };
    cleanups.push(async () => {
      await hook.stop();
      await state.close();
      await emu.close();
    });
    return { emu, state, engine, hook, given, port: hook.port, logText: cap.text };
  }

  const forgedStats = (updateId: number) =>
    JSON.stringify({ update_id: updateId, message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: ADMIN, type: 'private', first_name: 'a' }, from: { id: ADMIN, is_bot: false, first_name: 'a' }, text: '/stats', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } });

  for (const configured of [undefined, 'configured_Secret-0123456789'] as const) {
    const label = configured ? 'with WEBHOOK_SECRET' : 'without WEBHOOK_SECRET';

    it(`${label}: forged updates are refused and never run; big and malformed bodies are refused; real updates answered`, async () => {
      const { emu, port, given, logText } = await setup(configured);
      if (configured) expect(given).toBe(configured);
      else {
        expect(given).toMatch(/^[A-Za-z0-9_-]{43}$/u); // 32 random bytes
        expect(logText()).toContain('generated a random secret');
      }
      emu.addChat({ id: ADMIN, type: 'private' });

      const since = emu.mark();
      expect((await post(port, forgedStats(1))).status).toBe(401); // no header
      expect((await post(port, forgedStats(2), { 'x-telegram-bot-api-secret-token': 'guess' })).status).toBe(401);
      expect((await post(port, forgedStats(3), { 'x-telegram-bot-api-secret-token': `${given}x` })).status).toBe(401);
      const auth = { 'x-telegram-bot-api-secret-token': given };
      expect((await post(port, '{"update_id": 4, "message": ', auth)).status).toBe(400);
      expect((await post(port, '[1,2,3]', auth)).status).toBe(400);
      expect((await post(port, '{"no_update_id": true}', auth)).status).toBe(400);
      expect((await post(port, Buffer.alloc(5 * 1024 * 1024, 0x20), auth)).status).toBe(413); // Content-Length says 5 MB
      expect(await postChunked(port, 5 * 1024 * 1024, auth)).toBe(413); // no Content-Length: cut off while streaming
      await emu.idle(300);
      expect(emu.calls.slice(since).filter((c) => c.method === 'sendMessage')).toEqual([]); // /stats never ran

      emu.sendText(4242, 4242, '会员');
      const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === 4242, { since });
      expect(reply.parsed!.text).toContain('[1]');
      // an engine failure whose message carries the token: logged, redacted
      emu.sendText(4243, 4243, 'boom 会员');
      await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === 4243, { since });

      const logs = logText();
      expect(logs).toContain('engine exploded');
      expect(logs).toContain('refused a request without the right secret token');
      expect(logs).not.toContain(FAKE_TOKEN);
      expect(logs).not.toContain(given);
    }, 30_000);
  }
});
