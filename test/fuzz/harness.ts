/**
 * The fuzz check of issue 14: a seeded stream of updates from many users and groups sent to
 * `npm start` (src/main.ts as a child process) through the Bot API emulator, with random 429/500s
 * on sends, one user who blocked the bot, and one SIGKILL + restart halfway. Used by
 * `npm run fuzz` (full size) and by test/e2e/fuzz.test.ts (a few hundred updates).
 *
 * What is sent: real questions (eval/dev.jsonl), random Unicode, HTML- and Markdown-looking text,
 * 5,000-character texts, slash texts that are no command, commands with junk arguments, stickers and
 * photos, junk and real button presses, inline queries, edited messages and unknown update kinds
 * (which Telegram never delivers: not in allowed_updates), group chatter, group questions for us,
 * and group chatter addressed to another bot whose username starts with ours.
 *
 * What is measured (from the emulator's record, joined with the bot's update journal to attribute
 * replies that do not quote the message): see {@link FuzzReport}.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Rng } from '../../src/bench/random.js';
import { tempWorkspace } from '../indexing.js';
import { mainEnv, startMainProcess } from '../helpers.js';
import { BotApiEmulator, type RecordedCall } from '../emulator/bot-api.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUR_BOT = 'baowen_test_bot';

export interface FuzzOptions {
  seed: number;
  updates: number;
  users?: number;
  groups?: number;
  /** Updates per second sent to the bot. */
  rate?: number;
  p429?: number;
  p500?: number;
  /** Kill (SIGKILL) after this share of the updates, then restart at once. */
  killAt?: number;
  /** The run is over when the emulator saw no request for this long (ms) after the last update. */
  quietMs?: number;
  progress?: (line: string) => void;
}

export interface FuzzReport {
  seed: number;
  updates: number;
  /** Private texts from users who did not block the bot. */
  privateTexts: number;
  privateAnswered: number;
  answeredShare: number;
  /** Private texts sent before the kill and not yet answered when it came. */
  inFlightAtKill: number;
  inFlightAnswered: number;
  /** Error-level log lines (handler errors, failed updates). */
  handlerErrors: string[];
  /** Group messages addressed to another bot that got a reply. */
  repliesToOtherBots: number;
  otherBotMessages: number;
  /** Questions answered more than once (several reply-quoting answers, or journal + emulator). */
  duplicates: number;
  duplicateShare: number;
  /** Each duplicate: chat:message and when its copies were sent, in ms relative to the kill. */
  duplicateDetails: string[];
  /** 400s from the emulator (what Telegram would reject). */
  rejected: string[];
  /** Callback/inline answers repeated by the restart (Telegram: "query is too old"; harmless). */
  lateQueryAnswers: number;
  callbacks: number;
  callbacksAnswered: number;
  inlineQueries: number;
  inlineAnswered: number;
  /** Sends to the blocked user after its first 403 per update (should be 0 successful). */
  blockedSuccessfulSends: number;
  faults429: number;
  faults500: number;
  p95ReplyMs: number;
  aliveAtEnd: boolean;
  cleanExit: boolean;
  durationS: number;
}

/** A seeded uniform [0, 1) source (the bench's mulberry32). */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

interface Sent {
  kind: 'private' | 'group-us' | 'group-chatter' | 'group-other-bot' | 'callback' | 'inline' | 'nontext' | 'never';
  chatId: number;
  messageId?: number;
  updateId: number;
  queryId?: string;
  at: number;
  blocked?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = Date.now();
  const say = opts.progress ?? (() => undefined);
  const rand = rng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const nUsers = opts.users ?? 200;
  const nGroups = opts.groups ?? 6;
  const rate = opts.rate ?? 60;
  const questions = fs
    .readFileSync(path.join(ROOT, 'eval/dev.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { question: string }).question);

  const ws = tempWorkspace('baowen-fuzz-');
  const emu = await BotApiEmulator.start();
  const logs: string[] = [];
  const env: Record<string, string> = {
    ...mainEnv(ws, emu.apiRoot),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '60',
    INDEX_POLL_MS: '60000',
  };
  const users = Array.from({ length: nUsers }, (_, i) => 10_000 + i);
  const blockedUser = users[0]!;
  const groups = Array.from({ length: nGroups }, (_, i) => -100_000 - i);
  for (const u of users) emu.addChat({ id: u, type: 'private', first_name: `U${u}` });
  emu.blockChat(blockedUser);

  let proc = startMainProcess(env, (l) => logs.push(l));
  const waitPolling = () => emu.waitForRequest((r) => r.method === 'getUpdates' && Number(r.params.timeout) > 0, { since: emu.requests.length, timeoutMs: 120_000 });
  await waitPolling();
  say(`bot up after ${((Date.now() - t0) / 1000).toFixed(1)} s; sending ${opts.updates} updates at ${rate}/s (seed ${opts.seed})`);
  emu.randomFaults({ rng: rng(opts.seed ^ 0x5eed), p429: opts.p429 ?? 0.03, p500: opts.p500 ?? 0.01, methods: ['sendMessage', 'sendChatAction', 'answerCallbackQuery', 'answerInlineQuery', 'editMessageText'] });

  const junkArgs = ['constructor', '__proto__', 'toString', '<b>x</b>', '**x**', '25:99', 'klingon', '🙂', '&amp;', '[x](http://a)', '长'.repeat(300)];
  const commands = ['/start', '/help', '/sources', '/status', '/lang', '/lang en', '/lang zh', '/subscribe 植树', '/subscriptions', '/digest_time 07:30', '/nosuch', '/ask'];
  const randomUnicode = () => Array.from({ length: 1 + Math.floor(rand() * 30) }, () => String.fromCodePoint(pick([0x20 + Math.floor(rand() * 0x5f), 0x4e00 + Math.floor(rand() * 0x5000), 0x1f300 + Math.floor(rand() * 0x200), 0x300 + Math.floor(rand() * 0x70), 0x200b]))).join('');
  const privateText = (): string => {
    const r = rand();
    if (r < 0.4) return pick(questions);
    if (r < 0.5) return randomUnicode();
    if (r < 0.57) return pick(['<b>加粗</b>是什么？', '<script>alert(1)</script>', '**工会** _会员_ `code`', '[链接](http://x.y) 会员', '&lt;&amp;&gt; 会员', '# 标题\n- 列表']);
    if (r < 0.6) return pick(['问', '会员', '工'])!.repeat(5000);
    if (r < 0.7) return pick(['/ ', '//', '/🙂', '/开始', '/@bot', '/ ']) + (rand() < 0.5 ? pick(questions) : '');
    if (r < 0.85) return `${pick(commands)}${rand() < 0.5 ? ` ${pick(junkArgs)}` : ''}`;
    return `${pick(questions)} ${randomUnicode()}`;
  };

  const sent: Sent[] = [];
  const answers: { chatId: number; messageId: number; data: string }[] = [];
  let killedAt = 0;
  let unansweredAtKill = new Set<string>();
  const key = (chatId: number, messageId: number) => `${chatId}:${messageId}`;
  const killIndex = Math.floor(opts.updates * (opts.killAt ?? 0.5));
  let restarted: Promise<void> | undefined;

  for (let i = 0; i < opts.updates; i++) {
    if (i === killIndex) {
      // Which private texts were sent and not yet answered (by a reply quoting them) right now?
      const quoted = repliedKeys(emu.calls);
      unansweredAtKill = new Set(sent.filter((s) => s.kind === 'private' && !s.blocked && !quoted.has(key(s.chatId, s.messageId!))).map((s) => key(s.chatId, s.messageId!)));
      proc.child.kill('SIGKILL');
      await proc.exited;
      killedAt = Date.now();
      say(`SIGKILL after ${i} updates; ${unansweredAtKill.size} private texts not yet answered (in flight or queued); restarting`);
      const since = emu.requests.length;
      proc = startMainProcess(env, (l) => logs.push(l));
      restarted = emu
        .waitForRequest((r) => r.method === 'getUpdates' && Number(r.params.timeout) > 0, { since, timeoutMs: 120_000 })
        .then(() => say(`restarted after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`));
    }
    const r = rand();
    const at = Date.now();
    if (r < 0.6) {
      const u = rand() < 0.02 ? blockedUser : pick(users);
      const m = emu.sendText(u, u, privateText(), { languageCode: rand() < 0.2 ? 'en' : 'zh-hans' });
      sent.push({ kind: 'private', chatId: u, messageId: m.message_id as number, updateId: emu.lastUpdateId, at, blocked: u === blockedUser });
    } else if (r < 0.66) {
      const u = pick(users.slice(1));
      const m = emu.sendNonText(u, u, pick(['sticker', 'photo', 'voice', 'document', 'location'] as const));
      sent.push({ kind: 'nontext', chatId: u, messageId: m.message_id as number, updateId: emu.lastUpdateId, at });
    } else if (r < 0.8) {
      const g = pick(groups);
      const u = pick(users.slice(1));
      const q = rand();
      if (q < 0.3) {
        const text = pick([`@${OUR_BOT}_helper ${pick(questions)}`, `/ask@other_bot ${pick(questions)}`, `@${OUR_BOT}2 会员`, `/start@other_bot`]);
        const m = emu.sendText(g, u, text, { chatType: 'supergroup' });
        sent.push({ kind: 'group-other-bot', chatId: g, messageId: m.message_id as number, updateId: emu.lastUpdateId, at });
      } else if (q < 0.5) {
        const text = rand() < 0.5 ? `/ask ${pick(questions)}` : `@${OUR_BOT} ${pick(questions)}`;
        const m = emu.sendText(g, u, text, { chatType: 'supergroup' });
        sent.push({ kind: 'group-us', chatId: g, messageId: m.message_id as number, updateId: emu.lastUpdateId, at });
      } else {
        const m = emu.sendText(g, u, rand() < 0.5 ? pick(questions) : randomUnicode(), { chatType: 'supergroup' });
        sent.push({ kind: 'group-chatter', chatId: g, messageId: m.message_id as number, updateId: emu.lastUpdateId, at });
      }
    } else if (r < 0.9) {
      // a real button of an earlier answer, or junk
      collectButtons(emu.calls, answers);
      const u = pick(users.slice(1));
      const real = answers.length > 0 && rand() < 0.6 ? pick(answers) : undefined;
      const cq = real ? emu.pressButton(real.chatId, real.chatId, real.messageId, real.data) : emu.pressButton(u, u, 1, pick(['garbage', 'fb:ZZZZ:up', 'src:x:1-2', 'lang:xx', 'lang:__proto__', 'unsub:0', 'unsub:999999', '']) || 'x');
      sent.push({ kind: 'callback', chatId: real?.chatId ?? u, queryId: cq.id as string, updateId: emu.lastUpdateId, at });
    } else if (r < 0.96) {
      const iq = emu.inlineQuery(pick(users.slice(1)), rand() < 0.7 ? pick(questions) : randomUnicode());
      sent.push({ kind: 'inline', chatId: 0, queryId: iq.id as string, updateId: emu.lastUpdateId, at });
    } else {
      // Telegram never creates these for this bot (not in allowed_updates)
      const u = pick(users.slice(1));
      const chat = { id: u, type: 'private', first_name: 'x' };
      emu.enqueue(pick([
        { edited_message: { message_id: 1, date: 0, edit_date: 1, chat, from: { id: u, is_bot: false, first_name: 'x' }, text: '改过的问题' } },
        { message_reaction: { chat, message_id: 1, date: 0, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] } },
        { poll: { id: 'p', question: 'q', options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false } },
      ]));
      sent.push({ kind: 'never', chatId: u, updateId: emu.lastUpdateId, at });
    }
    await sleep(1000 / rate);
  }
  await restarted;

  // Let the bot finish: until nothing moved for quietMs (default 8 s).
  say('all updates sent; waiting for the bot to finish');
  const deadline = Date.now() + 180_000;
  let lastCalls = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(500);
    if (emu.calls.length !== lastCalls) {
      lastCalls = emu.calls.length;
      quietSince = Date.now();
    } else if (Date.now() - quietSince > (opts.quietMs ?? 8000)) break;
  }
  emu.randomFaults(null);

  // Alive and correct at the end.
  const probeUser = users[1]!;
  const mark = emu.mark();
  const probe = emu.sendText(probeUser, probeUser, '顺义区去年吸纳了多少工会会员？');
  let aliveAtEnd = false;
  try {
    const reply = await emu.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === probeUser && replyToOf(c) === probe.message_id, { since: mark, timeoutMs: 30_000 });
    aliveAtEnd = (reply.parsed?.text ?? '').includes('14708');
  } catch {
    aliveAtEnd = false;
  }
  proc.child.kill('SIGTERM');
  const code = await Promise.race([proc.exited, sleep(20_000).then(() => 'timeout' as const)]);
  if (code === 'timeout') proc.child.kill('SIGKILL');

  // Attribution: replies the journal recorded per update, confirmed by the emulator's record.
  const db = new Database(path.join(env.DATA_DIR!, 'baowen.sqlite'), { readonly: true });
  const journalReplies = new Map<number, number[]>();
  for (const r of db.prepare<[], { update_id: number; method: string; result: string }>("SELECT update_id, method, result FROM update_replies WHERE method = 'sendMessage'").all()) {
    const id = (JSON.parse(r.result) as { message_id?: number }).message_id;
    if (id !== undefined) journalReplies.set(r.update_id, [...(journalReplies.get(r.update_id) ?? []), id]);
  }
  db.close();

  const okSends = emu.calls.filter((c) => c.method === 'sendMessage' && c.ok);
  const sentIds = new Set(okSends.map((c) => key(Number(c.params.chat_id), (c.result as { message_id: number }).message_id)));
  const firstReplyAt = new Map<string, number>();
  const quotedCount = new Map<string, number>();
  for (const c of okSends) {
    const to = replyToOf(c);
    if (to === undefined) continue;
    const k = key(Number(c.params.chat_id), to);
    quotedCount.set(k, (quotedCount.get(k) ?? 0) + 1);
    if (!firstReplyAt.has(k)) firstReplyAt.set(k, c.at);
  }
  const answeredBy = (s: Sent) => {
    const k = key(s.chatId, s.messageId!);
    if (quotedCount.has(k)) return true;
    return (journalReplies.get(s.updateId) ?? []).some((id) => sentIds.has(key(s.chatId, id)));
  };
  const privates = sent.filter((s) => (s.kind === 'private' || s.kind === 'nontext') && !s.blocked);
  const privateAnswered = privates.filter(answeredBy).length;
  const inFlight = privates.filter((s) => unansweredAtKill.has(key(s.chatId, s.messageId!)));
  const other = sent.filter((s) => s.kind === 'group-other-bot');
  const repliesToOtherBots = other.filter(answeredBy).length;
  // A question answered twice: two reply-quoting first messages (multi-message answers quote only on the first).
  // Only replies quoting a user's message count (a 原文 passage quotes the bot's own answer, every time it is pressed).
  const userMessages = new Set(sent.filter((s) => s.messageId !== undefined).map((s) => key(s.chatId, s.messageId!)));
  const dupKeys = [...quotedCount.entries()].filter(([k, n]) => n > 1 && userMessages.has(k)).map(([k]) => k);
  const duplicates = dupKeys.length;
  const duplicateDetails = dupKeys.map((k) => `${k} at ${okSends.filter((c) => replyToOf(c) !== undefined && key(Number(c.params.chat_id), replyToOf(c)!) === k).map((c) => c.at - killedAt).join(', ')} ms from the kill`);
  const questions_ = sent.filter((s) => s.kind === 'private' || s.kind === 'group-us').length;
  // A callback answered just before the kill and again by the restart is "too old" the second time:
  // not a message, and the bot treats it as done — counted apart.
  const lateAnswer = (c: RecordedCall) => /^answer(Callback|Inline)Query$/u.test(c.method) && /too old/u.test(c.error ?? '');
  const rejected = emu.calls.filter((c) => c.errorCode === 400 && !lateAnswer(c)).map((c) => `${c.method}: ${c.error}`);
  const lateQueryAnswers = emu.calls.filter((c) => c.errorCode === 400 && lateAnswer(c)).length;
  const answeredCb = new Set(emu.calls.filter((c) => c.method === 'answerCallbackQuery' && c.ok).map((c) => String(c.params.callback_query_id)));
  const answeredIq = new Set(emu.calls.filter((c) => c.method === 'answerInlineQuery' && c.ok).map((c) => String(c.params.inline_query_id)));
  const cbs = sent.filter((s) => s.kind === 'callback');
  const iqs = sent.filter((s) => s.kind === 'inline');
  // Latency of quoted replies, leaving out what the kill delayed.
  const lat = privates
    .filter((s) => !unansweredAtKill.has(key(s.chatId, s.messageId!)) && (!killedAt || s.at < killedAt - 1000 || s.at > killedAt + 15_000))
    .map((s) => (firstReplyAt.get(key(s.chatId, s.messageId!)) ?? Number.NaN) - s.at)
    .filter((x) => Number.isFinite(x) && x >= 0)
    .sort((a, b) => a - b);
  const errors = logs.filter((l) => /"level":(50|60)/u.test(l));

  await emu.close();
  ws.cleanup();
  return {
    seed: opts.seed,
    updates: opts.updates,
    privateTexts: privates.length,
    privateAnswered,
    answeredShare: privates.length ? privateAnswered / privates.length : 1,
    inFlightAtKill: inFlight.length,
    inFlightAnswered: inFlight.filter(answeredBy).length,
    handlerErrors: errors,
    repliesToOtherBots,
    otherBotMessages: other.length,
    duplicates,
    duplicateShare: questions_ ? duplicates / questions_ : 0,
    duplicateDetails,
    rejected,
    lateQueryAnswers,
    callbacks: cbs.length,
    callbacksAnswered: cbs.filter((s) => answeredCb.has(s.queryId!)).length,
    inlineQueries: iqs.length,
    inlineAnswered: iqs.filter((s) => answeredIq.has(s.queryId!)).length,
    blockedSuccessfulSends: okSends.filter((c) => Number(c.params.chat_id) === blockedUser).length,
    faults429: emu.calls.filter((c) => c.errorCode === 429).length,
    faults500: emu.calls.filter((c) => c.errorCode === 500).length,
    p95ReplyMs: lat.length ? lat[Math.floor(lat.length * 0.95)]! : Number.NaN,
    aliveAtEnd,
    cleanExit: code === 0,
    durationS: (Date.now() - t0) / 1000,
  };
}

function replyToOf(c: RecordedCall): number | undefined {
  const rp = c.params.reply_parameters as { message_id?: number } | string | undefined;
  const parsed = typeof rp === 'string' ? (JSON.parse(rp) as { message_id?: number }) : rp;
  return parsed?.message_id;
}

function repliedKeys(calls: readonly RecordedCall[]): Set<string> {
  const out = new Set<string>();
  for (const c of calls) {
    if (c.method !== 'sendMessage' || !c.ok) continue;
    const to = replyToOf(c);
    if (to !== undefined) out.add(`${Number(c.params.chat_id)}:${to}`);
  }
  return out;
}

/** Remembers buttons of answers so later presses can use real callback data. */
function collectButtons(calls: readonly RecordedCall[], into: { chatId: number; messageId: number; data: string }[]): void {
  const seen = into.length;
  if (seen > 500) return;
  for (const c of calls.slice(-50)) {
    if (c.method !== 'sendMessage' || !c.ok) continue;
    const kb = (c.params.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard;
    const messageId = (c.result as { message_id: number }).message_id;
    for (const b of kb?.flat() ?? []) if (b.callback_data && !into.some((x) => x.messageId === messageId && x.data === b.callback_data)) into.push({ chatId: Number(c.params.chat_id), messageId, data: b.callback_data });
  }
}

/** The issue's criteria a report misses (empty: all met). */
export function failures(r: FuzzReport, opts: { duplicateAllowance?: number } = {}): string[] {
  const out: string[] = [];
  // duplicateAllowance: a small run may have 2 duplicates from the one kill window however small it is
  const dupOk = r.duplicateShare <= 0.005 || r.duplicates <= (opts.duplicateAllowance ?? 0);
  if (r.answeredShare < 0.999) out.push(`answered ${(r.answeredShare * 100).toFixed(2)} % < 99.9 %`);
  if (r.handlerErrors.length) out.push(`${r.handlerErrors.length} handler errors`);
  if (r.repliesToOtherBots) out.push(`${r.repliesToOtherBots} replies to another bot's chatter`);
  if (!dupOk) out.push(`duplicates ${(r.duplicateShare * 100).toFixed(2)} % > 0.5 %`);
  if (r.rejected.length) out.push(`${r.rejected.length} messages Telegram would reject`);
  if (r.callbacksAnswered < r.callbacks || r.inlineAnswered < r.inlineQueries) out.push('unanswered callback or inline queries');
  if (r.blockedSuccessfulSends) out.push('messages reached the user who blocked the bot');
  if (!r.aliveAtEnd) out.push('not alive / not correct at the end');
  return out;
}

/** The report as a markdown table row set (for the note). */
export function reportTable(reports: readonly FuzzReport[]): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const rows: [string, (r: FuzzReport) => string][] = [
    ['updates sent', (r) => String(r.updates)],
    ['private texts (not blocked) answered', (r) => `${r.privateAnswered} / ${r.privateTexts} = ${pct(r.answeredShare)}`],
    ['…of them in flight or queued at the SIGKILL, answered', (r) => `${r.inFlightAnswered} / ${r.inFlightAtKill}`],
    ['handler errors (error-level log lines)', (r) => String(r.handlerErrors.length)],
    ['replies to chatter addressed to another bot', (r) => `${r.repliesToOtherBots} / ${r.otherBotMessages}`],
    ['questions answered twice', (r) => `${r.duplicates} = ${pct(r.duplicateShare)}`],
    ['requests Telegram would reject (400)', (r) => String(r.rejected.length)],
    ['callback answers repeated after the kill ("too old")', (r) => String(r.lateQueryAnswers)],
    ['callback queries answered', (r) => `${r.callbacksAnswered} / ${r.callbacks}`],
    ['inline queries answered', (r) => `${r.inlineAnswered} / ${r.inlineQueries}`],
    ['successful sends to the user who blocked the bot', (r) => String(r.blockedSuccessfulSends)],
    ['injected 429 / 500', (r) => `${r.faults429} / ${r.faults500}`],
    ['p95 first reply (ms, incl. 429 waits; outside the kill window)', (r) => String(Math.round(r.p95ReplyMs))],
    ['alive and correct at the end / clean SIGTERM exit', (r) => `${r.aliveAtEnd ? 'yes' : 'NO'} / ${r.cleanExit ? 'yes' : 'NO'}`],
    ['run time (s)', (r) => r.durationS.toFixed(0)],
  ];
  const head = `| measure | ${reports.map((r) => `seed ${r.seed}`).join(' | ')} |\n|---|${reports.map(() => '---|').join('')}`;
  return [head, ...rows.map(([name, f]) => `| ${name} | ${reports.map(f).join(' | ')} |`)].join('\n');
}
