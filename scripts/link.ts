/**
 * Deep links and QR codes for print ("扫码订阅：户外劳动者暖心驿站" beside a report):
 *
 *   npm run link -- --subscribe "话题" [--qr FILE.png|FILE.svg]   https://t.me/<bot>?start=sub_<base64url>
 *   npm run link -- --ask "问题" [--qr FILE.png|FILE.svg]         https://t.me/<bot>?start=ask_<base64url>
 *
 * The link goes to stdout; the bot's username comes from BOT_USERNAME, else from Telegram (getMe with
 * BOT_TOKEN at TELEGRAM_API_ROOT). The QR code (error correction Q: readable with a quarter of it
 * smudged) is PNG 1200×1200 px — 10 cm at 300 dpi, sharp at any smaller print size — or SVG (vector).
 * A topic or question longer than a start link holds (about 15 Chinese characters) exits 2 with how
 * much to cut.
 */
import path from 'node:path';
import { Api } from 'grammy';
import QRCode from 'qrcode';
import { requireBotToken } from '../src/config.js';
import { encodeStartPayload, LinkTooLongError, startLink, type StartKind } from '../src/bot/deeplink.js';
import { cliContext, parseArgs, runCli, UsageError } from '../src/cli/common.js';

const USAGE = 'usage: npm run link -- --subscribe "话题" | --ask "问题" [--qr FILE.png|FILE.svg]';
/** Print size: 1200 px = 10 cm at 300 dpi. */
export const QR_PNG_PX = 1200;

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ['subscribe', 'ask', 'qr']);
  if (args.flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const topic = args.values.get('subscribe');
  const question = args.values.get('ask');
  if ((topic === undefined) === (question === undefined)) throw new UsageError(USAGE);
  const kind: StartKind = topic !== undefined ? 'sub' : 'ask';
  const text = (topic ?? question ?? '').trim();
  if (!text) throw new UsageError(`${USAGE}\n(the ${kind === 'sub' ? 'topic' : 'question'} is empty)`);
  const qr = args.values.get('qr');
  const ext = qr ? path.extname(qr).toLowerCase() : '';
  if (qr && ext !== '.png' && ext !== '.svg') throw new UsageError(`--qr ${qr}: the file name must end in .png or .svg`);

  let payload: string;
  try {
    payload = encodeStartPayload(kind, text);
  } catch (e) {
    if (e instanceof LinkTooLongError) throw new UsageError(`cannot make a start link: ${e.message}`);
    throw e;
  }

  const { config } = cliContext();
  let username = config.BOT_USERNAME;
  if (!username) {
    const me = await new Api(requireBotToken(config), { apiRoot: config.TELEGRAM_API_ROOT }).getMe();
    username = me.username;
  }
  const link = startLink(username, payload);
  process.stdout.write(`${link}\n`);

  if (qr) {
    const opts = { errorCorrectionLevel: 'Q' as const, margin: 4 };
    if (ext === '.png') await QRCode.toFile(qr, link, { ...opts, type: 'png', width: QR_PNG_PX });
    else await QRCode.toFile(qr, link, { ...opts, type: 'svg' });
    process.stderr.write(`QR code written to ${qr}${ext === '.png' ? ` (${QR_PNG_PX}×${QR_PNG_PX} px, 10 cm at 300 dpi)` : ' (SVG, scales to any size)'}\n`);
  }
  return 0;
});
