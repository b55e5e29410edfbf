/**
 * `npm start` as a real process (src/main.ts via tsx) against the emulator: start-up errors are one
 * clear line + exit 1; polling and webhook modes answer; SIGTERM shuts down cleanly (exit 0) and
 * confirms the update offset.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../indexing.js';
import { BotApiEmulator } from '../emulator/bot-api.js';
import { mainEnv, startMainProcess, type MainProcess } from '../helpers.js';

type Proc = MainProcess;
const startMain = (env: Record<string, string>): Proc => startMainProcess(env);

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('npm start (src/main.ts) as a process', () => {
  const ws = tempWorkspace('baowen-main-e2e-');
  let emu: BotApiEmulator;
  let baseEnv: Record<string, string>;
  const running: Proc[] = [];

  beforeAll(async () => {
    emu = await BotApiEmulator.start();
    baseEnv = { ...mainEnv(ws, emu.apiRoot), ADMIN_IDS: '9001' };
  });

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await emu.close();
    ws.cleanup();
  });

  it('no token → one clear line on stderr, exit 1', async () => {
    const p = startMain({ ...baseEnv, BOT_TOKEN: '' });
    running.push(p);
    expect(await p.exited).toBe(1);
    const lines = p.stderr().trim().split('\n').filter((l) => !l.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('BOT_TOKEN is not set');
  });

  it('a token Telegram rejects → one clear line, exit 1, token never printed', async () => {
    const bad = `987654321:AA${'y'.repeat(33)}`;
    const p = startMain({ ...baseEnv, BOT_TOKEN: bad });
    running.push(p);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('Telegram rejected BOT_TOKEN (401 Unauthorized)');
    expect(p.stderr()).not.toContain(bad);
  }, 60_000);

  it('an unreachable Bot API → one clear line, exit 1, within STARTUP_TIMEOUT_MS (no endless retrying)', async () => {
    const closed = await freePort();
    const p = startMain({ ...baseEnv, TELEGRAM_API_ROOT: `http://127.0.0.1:${closed}`, STARTUP_TIMEOUT_MS: '2000' });
    running.push(p);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('Cannot reach the Telegram Bot API');
    expect(p.stderr()).not.toContain(baseEnv.BOT_TOKEN as string);
  }, 60_000);

  it('long polling: answers, registers menus, and SIGTERM stops cleanly after confirming the offset', async () => {
    const since = emu.mark();
    const p = startMain(baseEnv);
    running.push(p);
    await emu.waitForRequest((r) => r.method === 'getUpdates' && Number(r.params.timeout) > 0, { since: emu.requests.length, timeoutMs: 60_000 });
    const q = emu.sendText(3001, 3001, '顺义区去年吸纳了多少工会会员？');
    const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === 3001, { since, timeoutMs: 30_000 });
    expect(reply.ok).toBe(true);
    expect(reply.parsed!.text).toContain('14708');
    const menus = emu.callsTo('setMyCommands', since);
    expect(menus.filter((c) => c.ok).length).toBeGreaterThanOrEqual(2);

    const stopMark = emu.mark();
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    const confirm = emu.callsTo('getUpdates', stopMark).at(-1)!;
    expect(Number(confirm.params.offset)).toBeGreaterThan(0);
    expect(emu.pendingUpdates().some((u) => (u.message as { message_id?: number } | undefined)?.message_id === q.message_id)).toBe(false);
  }, 90_000);

  it('webhook mode: setWebhook with the secret, /healthz, answers over HTTP, SIGTERM exits 0', async () => {
    const port = await freePort();
    const since = emu.mark();
    const p = startMain({ ...baseEnv, WEBHOOK_URL: `http://127.0.0.1:${port}/tg/hook`, WEBHOOK_SECRET: 'hook_secret', HOST: '127.0.0.1', PORT: String(port) });
    running.push(p);
    const set = await emu.waitForCall((c) => c.method === 'setWebhook', { since, timeoutMs: 60_000 });
    expect(set.params.secret_token).toBe('hook_secret');
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, mode: 'keyword', transport: 'webhook' });
    expect((health as { articles: number }).articles).toBeGreaterThan(0);
    expect(health).toMatchObject({ database: { ok: true }, index: { ok: true } });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^baowen_index_generation_info\{generation="gen-[^"]+"\} 1$/mu);
    expect(metrics).toMatch(/^baowen_index_age_seconds \d/mu);

    emu.sendText(3002, 3002, '通州区去年新发展了多少工会会员？');
    const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === 3002, { since, timeoutMs: 30_000 });
    expect(reply.ok).toBe(true);

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    emu.webhook = null;
  }, 90_000);
});
