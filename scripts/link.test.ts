/** `npm run link` as an operator runs it (child processes): the printed link and a QR code a decoder reads back. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeStartPayload } from '../src/bot/deeplink.js';
import { BotApiEmulator, FAKE_TOKEN } from '../test/emulator/bot-api.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
let tmp: string;
let emu: BotApiEmulator;

/** Async (the emulator in this process must keep answering getMe while the child runs). */
function link(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/link.ts'), ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'error', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// jsqr is a CommonJS bundle whose types declare an ES default export: take whichever holds the function.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

/** The text of the QR code in a PNG, read by jsQR (an independent decoder). */
function readQr(file: string): string | undefined {
  const png = PNG.sync.read(fs.readFileSync(file));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-link-'));
  emu = await BotApiEmulator.start({ botUsername: 'baowen_print_bot' });
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm run link', () => {
  it('--subscribe prints the t.me start link (username from getMe) and writes a print-sized PNG QR that decodes to it', async () => {
    const png = path.join(tmp, 'zhishu.png');
    const r = await link(['--subscribe', '植树', '--qr', png], { BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot });
    expect(r.code).toBe(0);
    const url = r.stdout.trim();
    expect(url).toBe(`https://t.me/baowen_print_bot?start=sub_${Buffer.from('植树').toString('base64url')}`);
    expect(decodeStartPayload(new URL(url).searchParams.get('start')!)).toEqual({ kind: 'sub', text: '植树' });
    const img = PNG.sync.read(fs.readFileSync(png));
    expect(img.width).toBeGreaterThanOrEqual(1000); // ≥ 8 cm at 300 dpi
    expect(readQr(png)).toBe(url);
    expect(r.stderr).toContain('1200×1200');
  });

  it('--ask with BOT_USERNAME needs no Telegram; an SVG QR is written too', async () => {
    const svg = path.join(tmp, 'q.svg');
    const r = await link(['--ask', '平谷区总工会调解了多少件案件？', '--qr', svg], { BOT_USERNAME: '@baowen_bot', BOT_TOKEN: '', TELEGRAM_API_ROOT: 'http://127.0.0.1:9' });
    expect(r.code).toBe(0);
    const url = r.stdout.trim();
    expect(decodeStartPayload(new URL(url).searchParams.get('start')!)).toEqual({ kind: 'ask', text: '平谷区总工会调解了多少件案件？' });
    expect(url.startsWith('https://t.me/baowen_bot?start=ask_')).toBe(true);
    const text = fs.readFileSync(svg, 'utf8');
    expect(text).toMatch(/<svg [^>]*viewBox="0 0 \d+ \d+"/u);
    expect(text).toContain('<path');
  });

  it('a topic too long for a 64-character start link exits 2 with how much it holds, and prints no link', async () => {
    const long = await link(['--subscribe', '户外劳动者暖心驿站的建设情况和服务内容', '--qr', path.join(tmp, 'long.png')], { BOT_USERNAME: 'baowen_bot' });
    expect(long.code).toBe(2);
    expect(long.stdout).toBe('');
    expect(long.stderr).toContain('topic is 57 bytes of UTF-8; a Telegram start link holds at most 45');
    expect(fs.existsSync(path.join(tmp, 'long.png'))).toBe(false);
  });
});
