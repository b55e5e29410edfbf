/**
 * npm run demo — a real exchange, no Telegram needed: starts the Bot API emulator on 127.0.0.1,
 * runs `npm start` against it (TELEGRAM_API_ROOT), asks a few questions as a user would, presses a
 * 原文 button, and prints the conversation as the user would read it. The README's transcript is its output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BotApiEmulator, FAKE_TOKEN, type RecordedCall } from '../test/emulator/bot-api.js';

const questions = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['通州区去年新发展了多少工会会员？', '最近有哪些工会组织职工去植树？', '北京今天天气怎么样，出门需要带伞吗？'];

const emu = await BotApiEmulator.start();
const data = mkdtempSync(path.join(os.tmpdir(), 'baowen-demo-'));
const bot = spawn('npx', ['tsx', 'src/main.ts'], {
  env: { ...process.env, BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, DATA_DIR: data, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});

type Button = { text: string; callback_data?: string };
const buttons = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const show = (who: string, text: string): void => {
  const lines = text.split('\n');
  process.stdout.write(`${who} ${lines[0]}\n${lines.slice(1).map((l) => `   ${l}`).join('\n')}${lines.length > 1 ? '\n' : ''}`);
};

try {
  const user = 424242;
  for (const q of questions) {
    const since = emu.mark();
    emu.sendText(user, user, q, { firstName: '会员' });
    const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === user, { since, timeoutMs: 120_000 });
    show('\n👤', q);
    show('🤖', reply.parsed?.text ?? '');
    const bs = buttons(reply);
    if (bs.length) process.stdout.write(`   ${bs.map((b) => `[ ${b.text} ]`).join(' ')}\n`);
    const source = bs.find((b) => b.callback_data?.startsWith('src:'));
    if (source?.callback_data && q === questions[0]) {
      const since2 = emu.mark();
      const messageId = (reply.result as { message_id: number }).message_id;
      emu.pressButton(user, user, messageId, source.callback_data);
      const passage = await emu.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === user, { since: since2, timeoutMs: 20_000 });
      show(`\n👆 (${source.text})\n🤖`, passage.parsed?.text ?? '');
    }
  }
} finally {
  bot.kill('SIGTERM');
  await new Promise((r) => bot.once('exit', r));
  await emu.close();
  rmSync(data, { recursive: true, force: true });
}
