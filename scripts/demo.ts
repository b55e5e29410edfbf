/**
 * npm run demo — a real exchange, no Telegram needed: starts the Bot API emulator on 127.0.0.1,
 * runs `npm start` against it (TELEGRAM_API_ROOT), asks a few questions as a user would, presses a
 * 原文 button, and prints the conversation as the user would read it. The README's transcript is its output.
 *
 * The bot runs as ONE child process (`node --import tsx src/main.ts`, no npx/tsx wrappers that may
 * not pass a signal on) in a process group of its own. However the demo ends — done, failed, or
 * stopped by SIGINT (Ctrl-C) or SIGTERM (`timeout`, a supervisor) — it stops that whole group
 * (SIGTERM, then SIGKILL after a grace period) while the emulator is still up, so the bot can shut
 * down cleanly, and only then closes the emulator and removes its temp folder. Nothing is left running.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BotApiEmulator, FAKE_TOKEN, type RecordedCall } from '../test/emulator/bot-api.js';

const questions = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['通州区去年新发展了多少工会会员？', '最近有哪些工会组织职工去植树？', '北京今天天气怎么样，出门需要带伞吗？'];
const STOP_GRACE_MS = 10_000;

const emu = await BotApiEmulator.start();
const data = mkdtempSync(path.join(os.tmpdir(), 'baowen-demo-'));
const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  env: { ...process.env, BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, DATA_DIR: data, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true, // its own process group: stopped as a whole below, and Ctrl-C reaches it only through us
});
const botExit = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));

/** Signals the bot's whole process group (it and anything it started); false once it is gone. */
function signalBot(signal: NodeJS.Signals): boolean {
  if (bot.pid === undefined || bot.exitCode !== null || bot.signalCode !== null) return false;
  try {
    process.kill(-bot.pid, signal);
    return true;
  } catch {
    return false; // the group is gone already
  }
}

let stopping: Promise<void> | undefined;
/** Once: the bot's group down (SIGTERM, then SIGKILL after the grace period), then the emulator and the temp folder. */
function shutdown(): Promise<void> {
  stopping ??= (async () => {
    if (signalBot('SIGTERM')) {
      const timer = setTimeout(() => signalBot('SIGKILL'), STOP_GRACE_MS);
      await botExit;
      clearTimeout(timer);
    }
    signalBot('SIGKILL'); // whatever the bot started and left behind in its group
    await emu.close();
    rmSync(data, { recursive: true, force: true });
  })();
  return stopping;
}

// `on`, not `once`: a second signal (Ctrl-C twice, or the one tsx relays) must not fall through to
// the default action and leave the bot behind; the shutdown under way finishes and exits.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    if (!stopping) process.stderr.write(`\ndemo: ${signal}, stopping the bot\n`);
    void shutdown().finally(() => process.exit(code));
  });
}

type Button = { text: string; callback_data?: string };
const buttons = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const show = (who: string, text: string): void => {
  const lines = text.split('\n');
  process.stdout.write(`${who} ${lines[0]}\n${lines.slice(1).map((l) => `   ${l}`).join('\n')}${lines.length > 1 ? '\n' : ''}`);
};

/** The bot's next message to `user` — or a clear failure if the bot exits first. */
async function nextReply(user: number, since: number, timeoutMs: number): Promise<RecordedCall> {
  const exited = botExit.then((code) => Promise.reject(new Error(`the bot exited (code ${code}) before it answered`)));
  exited.catch(() => undefined); // the bot exits at the end of every run: not an error once the race is over
  return Promise.race([emu.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === user, { since, timeoutMs }), exited]);
}

try {
  const user = 424242;
  for (const q of questions) {
    const since = emu.mark();
    emu.sendText(user, user, q, { firstName: '会员' });
    const reply = await nextReply(user, since, 120_000);
    show('\n👤', q);
    show('🤖', reply.parsed?.text ?? '');
    const bs = buttons(reply);
    if (bs.length) process.stdout.write(`   ${bs.map((b) => `[ ${b.text} ]`).join(' ')}\n`);
    const source = bs.find((b) => b.callback_data?.startsWith('src:'));
    if (source?.callback_data && q === questions[0]) {
      const since2 = emu.mark();
      const messageId = (reply.result as { message_id: number }).message_id;
      emu.pressButton(user, user, messageId, source.callback_data);
      const passage = await nextReply(user, since2, 20_000);
      show(`\n👆 (${source.text})\n🤖`, passage.parsed?.text ?? '');
    }
  }
} catch (e) {
  if (!stopping) {
    // (stopped by a signal, the wait for the bot's reply ends with the bot: not worth a line)
    process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
} finally {
  await shutdown();
}
