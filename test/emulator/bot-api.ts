/**
 * A small Telegram Bot API emulator for end-to-end tests (node:http, 127.0.0.1 only).
 *
 * ```ts
 * const api = await BotApiEmulator.start();            // api.apiRoot → http://127.0.0.1:<port>
 * // point the bot at it: new Bot(api.token, { client: { apiRoot: api.apiRoot } })
 * const q = api.sendText(1001, 1001, '你好');           // inject an update (private chat 1001, user 1001)
 * const reply = await api.waitForCall((c) => c.method === 'sendMessage' && c.params.chat_id === 1001);
 * reply.parsed?.text                                    // visible text after Telegram HTML parsing
 * ```
 *
 * Injecting updates (each returns what it created):
 * - `sendText(chatId, userId, text, { chatType, languageCode, entities, replyTo, firstName })`
 * - `sendNonText(chatId, userId, 'sticker' | 'photo' | 'voice' | 'document' | 'location', opts)`
 * - `pressButton(chatId, userId, messageId, data)` → callback_query (answer with answerCallbackQuery)
 * - `inlineQuery(userId, query, opts)` → inline_query
 *
 * Looking at what the bot did:
 * - `calls` — every request: `{ method, params, at, ok, error?, result?, parsed? }` (failed ones included)
 * - `callsTo(method)`, `mark()` + `waitForCall(pred, { since, timeoutMs })`, `waitForCalls(pred, n, ...)`
 * - `requests` + `waitForRequest(pred, { since })` — requests as they arrive (e.g. a held long poll)
 * - `deliveries(updateId)` — how many times getUpdates handed out an update (restart tests)
 *
 * Fault injection:
 * - `failNext(method, count, { code: 429, retryAfter: 1 })` or `failNext(method, count, { code: 500 })`
 * - `randomFaults({ rng, p429, p500, methods })` — each call to one of `methods` fails with 429
 *   (retry_after 1) with probability p429, else 500 with p500 (the fuzzer's fault injection)
 * - `sendLimitPerSecond = 30` — Telegram's broadcast limit: more sendMessage calls in a second get 429
 * - `blockChat(chatId, blocked = true)` — every send/edit/action to that chat answers
 *   403 "Forbidden: bot was blocked by the user" until unblocked (digest delivery tests use this too).
 *
 * Validation follows the Bot API: text 1..4096 UTF-16 units after entity parsing, Telegram HTML
 * (see ./telegram-html.ts), `entities` arrays, inline keyboards (`callback_data` 1..64 bytes,
 * else 400 BUTTON_DATA_INVALID), ≤ 50 inline results, known chats / messages for replies and edits.
 * Errors answer `{ ok: false, error_code, description, parameters? }` with the same HTTP status.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelegramTextError, validateMessageText, type ParsedText } from './telegram-html.js';

export const FAKE_TOKEN = `123456789:AA${'x'.repeat(33)}`;

type Params = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  params: Params;
  /** Date.now() when the request arrived. */
  at: number;
  ok: boolean;
  error?: string;
  errorCode?: number;
  result?: unknown;
  /** For text-bearing calls: the visible text + entities after parsing. */
  parsed?: ParsedText;
  /** sendPhoto with an uploaded file: its bytes. */
  file?: Buffer;
}

export type Fault = { code: 429; retryAfter: number } | { code: 500 } | { code: number; description: string };

export interface ChatInfo {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
  username?: string;
}

interface StoredMessage {
  message_id: number;
  chatId: number;
  fromBot: boolean;
  text?: string;
  reply_markup?: unknown;
}

export interface Update {
  update_id: number;
  [k: string]: unknown;
}

interface Waiter {
  offset: number;
  limit: number;
  resolve: (updates: Update[]) => void;
  reject: (e: ApiError) => void;
  timer: NodeJS.Timeout;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const bad = (d: string) => new ApiError(400, `Bad Request: ${d}`);

const DEFAULT_ALLOWED = ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'inline_query', 'chosen_inline_result', 'callback_query', 'shipping_query', 'pre_checkout_query', 'poll', 'poll_answer', 'my_chat_member', 'chat_join_request', 'message_reaction', 'business_message'];
const CHAT_ACTIONS = new Set(['typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note']);

export interface EmulatorOptions {
  token?: string;
  botId?: number;
  botUsername?: string;
}

export class BotApiEmulator {
  readonly token: string;
  readonly bot: { id: number; is_bot: true; first_name: string; username: string };
  /** Completed requests (recorded when answered), failed ones included. */
  readonly calls: RecordedCall[] = [];
  /** Every request as it arrives (a long poll shows up here at once, in `calls` only when it returns). */
  readonly requests: { method: string; params: Params; at: number }[] = [];
  apiRoot = '';
  /**
   * Telegram's broadcast limit: at most this many sendMessage calls per second (sliding window);
   * beyond it, 429 with retry_after 1, as Telegram answers. null = no limit (the default).
   */
  sendLimitPerSecond: number | null = null;
  private readonly recentSends: number[] = [];

  /** Current webhook (set by setWebhook); updates are POSTed there instead of queued for getUpdates. */
  webhook: { url: string; secretToken?: string } | null = null;

  private server: http.Server;
  private updates: Update[] = [];
  private nextUpdateId = 1000;
  private waiter: Waiter | null = null;
  private allowedUpdates: string[] = DEFAULT_ALLOWED;
  private readonly chats = new Map<number, ChatInfo>();
  private readonly messages = new Map<number, Map<number, StoredMessage>>();
  private readonly nextMessageId = new Map<number, number>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly blocked = new Set<number>();
  private readonly openCallbacks = new Set<string>();
  private readonly openInline = new Set<string>();
  private readonly delivered = new Map<number, number>();
  private readonly listeners = new Set<() => void>();
  private nextQueryId = 1;
  private webhookQueue: Promise<void> = Promise.resolve();
  private random: { rng: () => number; p429: number; p500: number; methods: Set<string> } | null = null;
  /** update_id of the last update injected (Telegram-created or not). */
  lastUpdateId = 0;

  private constructor(opts: EmulatorOptions) {
    this.token = opts.token ?? FAKE_TOKEN;
    this.bot = { id: opts.botId ?? Number(this.token.split(':')[0]), is_bot: true, first_name: '报问', username: opts.botUsername ?? 'baowen_test_bot' };
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
  }

  /** Starts listening on 127.0.0.1 with a free port. */
  static async start(opts: EmulatorOptions = {}): Promise<BotApiEmulator> {
    const emu = new BotApiEmulator(opts);
    await new Promise<void>((resolve) => emu.server.listen(0, '127.0.0.1', resolve));
    emu.apiRoot = `http://127.0.0.1:${(emu.server.address() as AddressInfo).port}`;
    return emu;
  }

  async close(): Promise<void> {
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      this.waiter.resolve([]);
      this.waiter = null;
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- injection

  /** Registers a chat so the bot may write to it without it having written first. */
  addChat(chat: ChatInfo): ChatInfo {
    const existing = this.chats.get(chat.id);
    const merged = { ...existing, ...chat };
    this.chats.set(chat.id, merged);
    return merged;
  }

  sendText(
    chatId: number,
    userId: number,
    text: string,
    opts: { chatType?: ChatInfo['type']; languageCode?: string; entities?: unknown[]; replyTo?: number; firstName?: string } = {},
  ): Record<string, unknown> {
    const entities = opts.entities ?? telegramEntities(text);
    return this.injectMessage(chatId, userId, { text, ...(entities.length ? { entities } : {}) }, opts);
  }

  sendNonText(
    chatId: number,
    userId: number,
    kind: 'sticker' | 'photo' | 'voice' | 'document' | 'location',
    opts: { chatType?: ChatInfo['type']; languageCode?: string } = {},
  ): Record<string, unknown> {
    const payloads: Record<string, Record<string, unknown>> = {
      sticker: { sticker: { file_id: 'stk1', file_unique_id: 'u1', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '😀' } },
      photo: { photo: [{ file_id: 'ph1', file_unique_id: 'u2', width: 90, height: 90 }], caption: '看看这张图' },
      voice: { voice: { file_id: 'vc1', file_unique_id: 'u3', duration: 2 } },
      document: { document: { file_id: 'doc1', file_unique_id: 'u4', file_name: 'a.pdf' } },
      location: { location: { latitude: 39.9, longitude: 116.4 } },
    };
    return this.injectMessage(chatId, userId, payloads[kind]!, opts);
  }

  pressButton(chatId: number, userId: number, messageId: number, data: string, opts: { languageCode?: string } = {}): Record<string, unknown> {
    const msg = this.messages.get(chatId)?.get(messageId);
    const chat = this.chats.get(chatId) ?? this.addChat({ id: chatId, type: 'private' });
    const id = String(this.nextQueryId++);
    this.openCallbacks.add(id);
    const cq = {
      id,
      from: this.user(userId, opts.languageCode),
      chat_instance: `ci${chatId}`,
      data,
      message: { message_id: messageId, date: now(), chat, text: msg?.text ?? '', ...(msg?.reply_markup ? { reply_markup: msg.reply_markup } : {}), from: this.bot },
    };
    this.enqueue({ callback_query: cq });
    return cq;
  }

  inlineQuery(userId: number, query: string, opts: { languageCode?: string } = {}): Record<string, unknown> {
    const id = String(this.nextQueryId++);
    this.openInline.add(id);
    const iq = { id, from: this.user(userId, opts.languageCode), query, offset: '', chat_type: 'sender' };
    this.enqueue({ inline_query: iq });
    return iq;
  }

  /** Enqueues any update body (without update_id); returns its update_id. */
  enqueue(body: Record<string, unknown>): number {
    const update: Update = { update_id: this.nextUpdateId++, ...body };
    this.lastUpdateId = update.update_id;
    const type = Object.keys(body)[0]!;
    if (!this.allowedUpdates.includes(type)) return update.update_id; // Telegram never creates it
    if (this.webhook) {
      this.deliverToWebhook(update);
      return update.update_id;
    }
    this.updates.push(update);
    this.wakeWaiter();
    return update.update_id;
  }

  private injectMessage(
    chatId: number,
    userId: number,
    content: Record<string, unknown>,
    opts: { chatType?: ChatInfo['type']; languageCode?: string; replyTo?: number; firstName?: string },
  ): Record<string, unknown> {
    const type = opts.chatType ?? (chatId === userId ? 'private' : 'group');
    const chat = this.chats.get(chatId) ?? this.addChat(type === 'private' ? { id: chatId, type, first_name: opts.firstName ?? `User${userId}` } : { id: chatId, type, title: `Group ${chatId}` });
    if (!this.chats.has(userId)) this.addChat({ id: userId, type: 'private', first_name: opts.firstName ?? `User${userId}` });
    const message_id = this.allocMessageId(chatId);
    const message: Record<string, unknown> = { message_id, date: now(), chat, from: this.user(userId, opts.languageCode, opts.firstName), ...content };
    if (opts.replyTo !== undefined) {
      const target = this.messages.get(chatId)?.get(opts.replyTo);
      if (target) {
        message.reply_to_message = {
          message_id: target.message_id,
          date: now(),
          chat,
          from: target.fromBot ? this.bot : this.user(userId),
          ...(target.text !== undefined ? { text: target.text } : {}),
        };
      }
    }
    this.storeMessage({ message_id, chatId, fromBot: false, ...(typeof content.text === 'string' ? { text: content.text } : {}) });
    this.enqueue({ message });
    return message;
  }

  private user(id: number, languageCode?: string, firstName?: string) {
    return { id, is_bot: false, first_name: firstName ?? `User${id}`, ...(languageCode ? { language_code: languageCode } : {}) };
  }

  // ---------------------------------------------------------------- faults

  /** The next `count` calls to `method` fail with the given error (429 carries retry_after). */
  failNext(method: string, count: number, fault: Fault): void {
    const list = this.faults.get(method) ?? [];
    for (let k = 0; k < count; k++) list.push(fault);
    this.faults.set(method, list);
  }

  /** Random faults on the given methods (null turns them off). Seeded through `rng`. */
  randomFaults(opts: { rng: () => number; p429: number; p500: number; methods: readonly string[] } | null): void {
    this.random = opts && { ...opts, methods: new Set(opts.methods) };
  }

  /** While blocked, sends/edits/actions to `chatId` answer 403 "Forbidden: bot was blocked by the user". */
  blockChat(chatId: number, blocked = true): void {
    if (blocked) this.blocked.add(chatId);
    else this.blocked.delete(chatId);
  }

  // ---------------------------------------------------------------- assertions

  callsTo(method: string, since = 0): RecordedCall[] {
    return this.calls.slice(since).filter((c) => c.method === method);
  }

  /** Index to pass as `since` so later waits only see calls made after this point. */
  mark(): number {
    return this.calls.length;
  }

  /**
   * What the bot sent that Telegram would NOT parse as HTML: every text and caption (sends, edits,
   * photo captions, inline results' message content) without `parse_mode: 'HTML'` — the bot's
   * messages are HTML, always; one sent as plain text shows its tags and `&amp;`s to the user.
   * Also returns how many text-bearing calls were looked at, so a test can say what it covered.
   */
  textsNotHtml(since = 0): { checked: Record<string, number>; plain: { method: string; text: string }[] } {
    const checked: Record<string, number> = {};
    const plain: { method: string; text: string }[] = [];
    const look = (method: string, text: unknown, mode: unknown) => {
      if (typeof text !== 'string') return;
      checked[method] = (checked[method] ?? 0) + 1;
      if (mode !== 'HTML') plain.push({ method, text });
    };
    for (const c of this.calls.slice(since)) {
      const p = c.params;
      if (c.method === 'sendMessage' || c.method === 'editMessageText') look(c.method, p.text, p.parse_mode);
      else if (c.method === 'sendPhoto' || c.method === 'editMessageCaption') look(c.method, p.caption, p.parse_mode);
      else if (c.method === 'answerInlineQuery') {
        const results = parseJsonish(p.results);
        for (const r of Array.isArray(results) ? (results as { input_message_content?: Params }[]) : []) {
          look('answerInlineQuery', r.input_message_content?.message_text, r.input_message_content?.parse_mode);
        }
      }
    }
    return { checked, plain };
  }

  /** Successful sendMessage calls to a chat, in order. */
  sentTo(chatId: number, since = 0): RecordedCall[] {
    return this.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === chatId);
  }

  /** How many times getUpdates handed out this update (1 = processed once). */
  deliveries(updateId: number): number {
    return this.delivered.get(updateId) ?? 0;
  }

  /** Updates waiting to be confirmed by an offset. */
  pendingUpdates(): readonly Update[] {
    return this.updates;
  }

  async waitForCall(pred: (c: RecordedCall) => boolean, { since = 0, timeoutMs = 8000 }: { since?: number; timeoutMs?: number } = {}): Promise<RecordedCall> {
    const [first] = await this.waitForCalls(pred, 1, { since, timeoutMs });
    return first!;
  }

  async waitForCalls(pred: (c: RecordedCall) => boolean, n: number, { since = 0, timeoutMs = 8000 }: { since?: number; timeoutMs?: number } = {}): Promise<RecordedCall[]> {
    const found = () => this.calls.slice(since).filter(pred);
    if (found().length >= n) return found().slice(0, n);
    return new Promise((resolve, reject) => {
      const check = () => {
        const f = found();
        if (f.length >= n) {
          cleanup();
          resolve(f.slice(0, n));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.calls.slice(since).map((c) => `${c.method}${c.ok ? '' : `!${c.errorCode}`}`).join(', ');
        reject(new Error(`waitForCall: ${found().length}/${n} matching calls after ${timeoutMs} ms; calls since mark: [${recent}]`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** Waits for a request to arrive (not to complete), e.g. the bot's first long poll. */
  async waitForRequest(pred: (r: { method: string; params: Params }) => boolean, { since = 0, timeoutMs = 8000 }: { since?: number; timeoutMs?: number } = {}): Promise<{ method: string; params: Params; at: number }> {
    const find = () => this.requests.slice(since).find(pred);
    const hit = find();
    if (hit) return hit;
    return new Promise((resolve, reject) => {
      const check = () => {
        const f = find();
        if (f) {
          cleanup();
          resolve(f);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`waitForRequest: no matching request after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** Resolves when no call has arrived for `quietMs` (handy to assert that nothing happened). */
  async idle(quietMs = 300): Promise<void> {
    let last = this.calls.length;
    for (;;) {
      await sleep(quietMs);
      if (this.calls.length === last) return;
      last = this.calls.length;
    }
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/u.exec(url.pathname);
    const send = (status: number, body: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!m) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, methodRaw] = m;
    let params: Params;
    try {
      params = { ...Object.fromEntries(url.searchParams), ...(await readBody(req)) };
    } catch {
      return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid request body' });
    }
    const method = methodRaw!;
    const call: RecordedCall = { method, params, at: Date.now(), ok: false };
    this.requests.push({ method, params, at: call.at });
    for (const l of [...this.listeners]) l();
    if (token !== this.token) {
      call.error = 'Unauthorized';
      call.errorCode = 401;
      this.record(call);
      return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    try {
      let fault = this.faults.get(method)?.shift();
      if (!fault && this.random?.methods.has(method)) {
        const r = this.random.rng();
        if (r < this.random.p429) fault = { code: 429, retryAfter: 1 };
        else if (r < this.random.p429 + this.random.p500) fault = { code: 500 };
      }
      if (fault) {
        if ('retryAfter' in fault) throw new ApiError(429, `Too Many Requests: retry after ${fault.retryAfter}`, { retry_after: fault.retryAfter });
        if ('description' in fault) throw new ApiError(fault.code, fault.description);
        throw new ApiError(500, 'Internal Server Error');
      }
      if (method === 'sendMessage' && this.sendLimitPerSecond !== null) {
        const now = Date.now();
        while (this.recentSends.length && this.recentSends[0]! <= now - 1000) this.recentSends.shift();
        if (this.recentSends.length >= this.sendLimitPerSecond) throw new ApiError(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
        this.recentSends.push(now);
      }
      const result = method === 'getUpdates' ? await this.getUpdates(params, res, call) : this.dispatch(method, params, call);
      call.ok = true;
      call.result = result;
      this.record(call);
      send(200, { ok: true, result });
    } catch (e) {
      const err = e instanceof ApiError ? e : e instanceof TelegramTextError ? new ApiError(400, e.message) : new ApiError(500, `Internal Server Error: ${String(e)}`);
      call.error = err.description;
      call.errorCode = err.code;
      this.record(call);
      send(err.code, { ok: false, error_code: err.code, description: err.description, ...(err.parameters ? { parameters: err.parameters } : {}) });
    }
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const l of [...this.listeners]) l();
  }

  // ---------------------------------------------------------------- getUpdates

  private async getUpdates(p: Params, res: http.ServerResponse, call: RecordedCall): Promise<Update[]> {
    if (this.webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = optInt(p.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, optInt(p.limit) ?? 100));
    const timeout = Math.max(0, optInt(p.timeout) ?? 0);
    const allowed = parseJsonish(p.allowed_updates);
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.length ? (allowed as string[]) : DEFAULT_ALLOWED;
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset); // confirmation
    const take = () => {
      const batch = (offset < 0 ? this.updates.slice(offset) : this.updates).slice(0, limit);
      for (const u of batch) this.delivered.set(u.update_id, (this.delivered.get(u.update_id) ?? 0) + 1);
      call.params = { ...p, _delivered: batch.map((u) => u.update_id) };
      return batch;
    };
    if (this.waiter) {
      // Telegram: a newer getUpdates terminates the older one.
      const old = this.waiter;
      this.waiter = null;
      clearTimeout(old.timer);
      old.reject(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    if (this.updates.length > 0 || timeout === 0) return take();
    return new Promise<Update[]>((resolve, reject) => {
      const waiter: Waiter = {
        offset,
        limit,
        resolve: () => {
          this.waiter = null;
          clearTimeout(waiter.timer);
          resolve(take());
        },
        reject,
        timer: setTimeout(() => waiter.resolve([]), timeout * 1000),
      };
      this.waiter = waiter;
      res.once('close', () => {
        if (this.waiter === waiter) {
          this.waiter = null;
          clearTimeout(waiter.timer);
          resolve([]); // the client is gone; nothing is marked delivered
        }
      });
    });
  }

  private wakeWaiter(): void {
    if (this.waiter) this.waiter.resolve([]);
  }

  private deliverToWebhook(update: Update): void {
    const hook = this.webhook!;
    this.webhookQueue = this.webhookQueue.then(async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          const res = await fetch(hook.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(hook.secretToken ? { 'x-telegram-bot-api-secret-token': hook.secretToken } : {}) },
            body: JSON.stringify(update),
          });
          await res.arrayBuffer();
          this.delivered.set(update.update_id, (this.delivered.get(update.update_id) ?? 0) + 1);
          if (res.ok) return;
        } catch {
          /* retry */
        }
        await sleep(200);
      }
    });
  }

  // ---------------------------------------------------------------- methods

  private dispatch(method: string, p: Params, call: RecordedCall): unknown {
    switch (method) {
      case 'getMe':
        return { ...this.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true };
      case 'logOut':
      case 'close':
        return true;
      case 'deleteWebhook':
        this.webhook = null;
        if (isTrue(p.drop_pending_updates)) this.updates = [];
        return true;
      case 'setWebhook': {
        const url = str(p.url, 'url');
        if (url === '') {
          this.webhook = null;
          return true;
        }
        if (!/^https?:\/\//u.test(url)) throw bad('bad webhook: An HTTPS URL must be provided for webhook');
        if (p.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/u.test(String(p.secret_token))) throw bad('secret token contains unallowed characters');
        const allowed = parseJsonish(p.allowed_updates);
        if (Array.isArray(allowed)) this.allowedUpdates = allowed.length ? (allowed as string[]) : DEFAULT_ALLOWED;
        this.webhook = { url, ...(p.secret_token !== undefined ? { secretToken: String(p.secret_token) } : {}) };
        if (isTrue(p.drop_pending_updates)) this.updates = [];
        const pending = this.updates;
        this.updates = [];
        for (const u of pending) this.deliverToWebhook(u);
        return true;
      }
      case 'getWebhookInfo':
        return { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.updates.length };
      case 'setMyCommands': {
        const commands = parseJsonish(p.commands);
        if (!Array.isArray(commands) || commands.length > 100) throw bad('commands must be an array of at most 100 commands');
        for (const c of commands as Record<string, unknown>[]) {
          if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/u.test(c.command)) throw bad('BOT_COMMAND_INVALID');
          if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) throw bad('command description is invalid');
        }
        const scope = parseJsonish(p.scope) as Record<string, unknown> | undefined;
        if (scope && 'chat_id' in scope) this.chat(scope.chat_id);
        if (p.language_code !== undefined && !/^([a-z]{2})?$/u.test(String(p.language_code))) throw bad('language code is invalid');
        return true;
      }
      case 'deleteMyCommands':
        return true;
      case 'getChat':
        return this.chat(p.chat_id);
      case 'sendChatAction': {
        const chat = this.writableChat(p.chat_id);
        if (!CHAT_ACTIONS.has(String(p.action))) throw bad('wrong parameter action in request');
        void chat;
        return true;
      }
      case 'sendMessage': {
        const chat = this.writableChat(p.chat_id);
        const parsed = validateMessageText(p.text, p.parse_mode, parseJsonish(p.entities));
        call.parsed = parsed;
        const markup = this.checkMarkup(p.reply_markup);
        const replyTo = this.replyTarget(chat.id, p);
        const message_id = this.allocMessageId(chat.id);
        this.storeMessage({ message_id, chatId: chat.id, fromBot: true, text: parsed.text, ...(markup ? { reply_markup: markup } : {}) });
        return {
          message_id,
          date: now(),
          chat,
          from: this.bot,
          text: parsed.text,
          ...(parsed.entities.length ? { entities: parsed.entities } : {}),
          ...(markup ? { reply_markup: markup } : {}),
          ...(replyTo ? { reply_to_message: { message_id: replyTo.message_id, date: now(), chat, text: replyTo.text } } : {}),
        };
      }
      case 'sendPhoto': {
        const chat = this.writableChat(p.chat_id);
        if (!Buffer.isBuffer(p.photo) && typeof p.photo !== 'string') throw bad('there is no photo in the request');
        const parsed = p.caption === undefined ? undefined : validateMessageText(p.caption, p.parse_mode, parseJsonish(p.caption_entities), { field: 'caption', max: 1024 });
        if (parsed) call.parsed = parsed;
        if (Buffer.isBuffer(p.photo)) call.file = p.photo;
        const message_id = this.allocMessageId(chat.id);
        this.storeMessage({ message_id, chatId: chat.id, fromBot: true, ...(parsed ? { text: parsed.text } : {}) });
        return { message_id, date: now(), chat, from: this.bot, photo: [{ file_id: `photo${message_id}`, file_unique_id: `p${message_id}`, width: 960, height: 400 }], ...(parsed ? { caption: parsed.text } : {}) };
      }
      case 'editMessageText': {
        if (p.inline_message_id !== undefined) {
          call.parsed = validateMessageText(p.text, p.parse_mode, parseJsonish(p.entities));
          this.checkMarkup(p.reply_markup);
          return true;
        }
        const chat = this.writableChat(p.chat_id);
        const msg = this.botMessage(chat.id, p.message_id);
        const parsed = validateMessageText(p.text, p.parse_mode, parseJsonish(p.entities));
        call.parsed = parsed;
        const markup = this.checkMarkup(p.reply_markup);
        if (msg.text === parsed.text && JSON.stringify(msg.reply_markup ?? null) === JSON.stringify(markup ?? null)) {
          throw bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        msg.text = parsed.text;
        msg.reply_markup = markup;
        return { message_id: msg.message_id, date: now(), chat, from: this.bot, text: parsed.text, ...(markup ? { reply_markup: markup } : {}) };
      }
      case 'editMessageReplyMarkup': {
        if (p.inline_message_id !== undefined) {
          this.checkMarkup(p.reply_markup);
          return true;
        }
        const chat = this.writableChat(p.chat_id);
        const msg = this.botMessage(chat.id, p.message_id);
        const markup = this.checkMarkup(p.reply_markup);
        if (JSON.stringify(msg.reply_markup ?? null) === JSON.stringify(markup ?? null)) {
          throw bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        msg.reply_markup = markup;
        return { message_id: msg.message_id, date: now(), chat, from: this.bot, text: msg.text, ...(markup ? { reply_markup: markup } : {}) };
      }
      case 'deleteMessage': {
        const chat = this.writableChat(p.chat_id);
        const id = int(p.message_id, 'message_id');
        if (!this.messages.get(chat.id)?.delete(id)) throw bad('message to delete not found');
        return true;
      }
      case 'answerCallbackQuery': {
        const id = String(p.callback_query_id ?? '');
        if (!this.openCallbacks.delete(id)) throw bad('query is too old and response timeout expired or query ID is invalid');
        if (p.text !== undefined && String(p.text).length > 200) throw bad('MESSAGE_TOO_LONG');
        return true;
      }
      case 'answerInlineQuery': {
        const id = String(p.inline_query_id ?? '');
        if (!this.openInline.delete(id)) throw bad('query is too old and response timeout expired or query ID is invalid');
        const results = parseJsonish(p.results);
        if (!Array.isArray(results)) throw bad('results must be an array');
        if (results.length > 50) throw bad('RESULTS_TOO_MUCH');
        const ids = new Set<string>();
        for (const r of results as Record<string, unknown>[]) {
          const rid = String(r.id ?? '');
          if (rid.length === 0 || Buffer.byteLength(rid) > 64) throw bad('RESULT_ID_INVALID');
          if (ids.has(rid)) throw bad('RESULT_ID_DUPLICATE');
          ids.add(rid);
          if (r.type !== 'article') throw bad(`emulator supports only article results, got ${String(r.type)}`);
          if (typeof r.title !== 'string' || r.title.length === 0) throw bad('RESULT_TITLE_EMPTY');
          const content = r.input_message_content as Record<string, unknown> | undefined;
          if (!content) throw bad('input_message_content is required');
          validateMessageText(content.message_text, content.parse_mode, content.entities);
          this.checkMarkup(r.reply_markup);
        }
        const button = parseJsonish(p.button) as Record<string, unknown> | undefined;
        if (button) {
          if (typeof button.text !== 'string' || !button.text) throw bad('BUTTON_TEXT_INVALID');
          if (button.start_parameter !== undefined && !/^[A-Za-z0-9_-]{1,64}$/u.test(String(button.start_parameter))) throw bad('START_PARAM_INVALID');
        }
        return true;
      }
      default:
        throw new ApiError(404, 'Not Found: method not found');
    }
  }

  // ---------------------------------------------------------------- helpers

  private chat(chatId: unknown): ChatInfo {
    const id = Number(chatId);
    const chat = Number.isFinite(id) ? this.chats.get(id) : undefined;
    if (!chat) throw bad('chat not found');
    return chat;
  }

  private writableChat(chatId: unknown): ChatInfo {
    const chat = this.chat(chatId);
    if (this.blocked.has(chat.id)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    return chat;
  }

  private botMessage(chatId: number, messageId: unknown): StoredMessage {
    const msg = this.messages.get(chatId)?.get(int(messageId, 'message_id'));
    if (!msg) throw bad('message to edit not found');
    if (!msg.fromBot) throw bad("message can't be edited");
    return msg;
  }

  private replyTarget(chatId: number, p: Params): StoredMessage | undefined {
    const rp = parseJsonish(p.reply_parameters) as Record<string, unknown> | undefined;
    const id = rp?.message_id ?? p.reply_to_message_id;
    if (id === undefined) return undefined;
    const target = this.messages.get(chatId)?.get(int(id, 'message_id'));
    if (!target && !(isTrue(rp?.allow_sending_without_reply) || isTrue(p.allow_sending_without_reply))) throw bad('message to be replied not found');
    return target;
  }

  private checkMarkup(raw: unknown): unknown {
    const markup = parseJsonish(raw) as Record<string, unknown> | undefined;
    if (markup === undefined) return undefined;
    if (typeof markup !== 'object' || markup === null) throw bad("can't parse reply keyboard markup JSON object");
    if ('inline_keyboard' in markup) {
      const rows = markup.inline_keyboard;
      if (!Array.isArray(rows)) throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
      for (const row of rows) {
        if (!Array.isArray(row)) throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
        for (const b of row as Record<string, unknown>[]) {
          if (typeof b.text !== 'string' || b.text.length === 0) throw bad('BUTTON_TEXT_INVALID');
          const kinds = ['callback_data', 'url', 'switch_inline_query', 'switch_inline_query_current_chat', 'login_url', 'pay', 'web_app', 'copy_text'].filter((k) => k in b);
          if (kinds.length !== 1) throw bad("can't parse inline keyboard button: exactly one of the optional fields must be used");
          if ('callback_data' in b) {
            const n = typeof b.callback_data === 'string' ? Buffer.byteLength(b.callback_data, 'utf8') : 0;
            if (n < 1 || n > 64) throw bad('BUTTON_DATA_INVALID');
          }
          if ('url' in b && !/^(https?|tg):\/\//u.test(String(b.url))) throw bad('BUTTON_URL_INVALID');
        }
      }
    }
    return markup;
  }

  private allocMessageId(chatId: number): number {
    const id = this.nextMessageId.get(chatId) ?? 1;
    this.nextMessageId.set(chatId, id + 1);
    return id;
  }

  private storeMessage(m: StoredMessage): void {
    let chatMessages = this.messages.get(m.chatId);
    if (!chatMessages) this.messages.set(m.chatId, (chatMessages = new Map()));
    chatMessages.set(m.message_id, m);
  }
}

// ------------------------------------------------------------------ entities

/**
 * The entities Telegram's clients attach to a plain text: a `bot_command` for a leading
 * `/command[@bot]` (ASCII letters, digits, `_` only — `/开始`, `/ 问题`, `//` are no command) and a
 * `mention` for every `@username` (5-32 characters). Offsets in UTF-16 units, like Telegram.
 */
export function telegramEntities(text: string): { type: string; offset: number; length: number }[] {
  const out: { type: string; offset: number; length: number }[] = [];
  const cmd = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])/u.exec(text);
  if (cmd) out.push({ type: 'bot_command', offset: 0, length: cmd[0].length });
  for (const m of text.matchAll(/(?<![A-Za-z0-9_/])@[A-Za-z0-9_]{5,32}(?![A-Za-z0-9_])/gu)) {
    if (m.index === 0 && cmd) continue;
    out.push({ type: 'mention', offset: m.index, length: m[0].length });
  }
  return out;
}

// ------------------------------------------------------------------ body parsing

async function readBody(req: http.IncomingMessage): Promise<Params> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const type = req.headers['content-type'] ?? '';
  // File uploads (sendPhoto with InputFile): fields as strings, `attach://name` resolved to the file's bytes.
  if (type.includes('multipart/form-data')) return parseMultipart(Buffer.concat(chunks), type);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  if (type.includes('application/json')) return JSON.parse(raw) as Params;
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  throw new Error(`unsupported content-type ${type}`);
}

/**
 * multipart/form-data as grammY writes it (lenient like Telegram: unquoted `filename=`, no space
 * after `:`; undici's FormData parser rejects that). Files become Buffers in place of `attach://` values.
 */
function parseMultipart(body: Buffer, type: string): Params {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/u.exec(type);
  if (!boundary) throw new Error('multipart without boundary');
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const fields: Params = {};
  const files = new Map<string, Buffer>();
  let pos = body.indexOf(delim);
  for (let guard = 0; pos !== -1 && guard < 1000; guard++) {
    const start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delim, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // after CRLF, before CRLF
    const sep = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, sep).toString('utf8');
    const content = part.subarray(sep + 4);
    const name = /name="([^"]*)"/iu.exec(head)?.[1];
    if (name !== undefined) {
      if (/filename=/iu.test(head)) files.set(name, Buffer.from(content));
      else fields[name] = content.toString('utf8');
    }
    pos = next;
  }
  for (const [k, v] of Object.entries(fields)) {
    const m = typeof v === 'string' ? /^attach:\/\/(.+)$/u.exec(v) : null;
    if (m && files.has(m[1]!)) fields[k] = files.get(m[1]!);
  }
  return fields;
}

/** Form bodies carry objects as JSON strings; JSON bodies carry them as-is. */
function parseJsonish(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      throw bad("can't parse JSON object");
    }
  }
  return v;
}

function optInt(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw bad('expected an Integer');
  return n;
}

function int(v: unknown, field: string): number {
  const n = optInt(v);
  if (n === undefined) throw bad(`${field} is required`);
  return n;
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string') throw bad(`${field} is required`);
  return v;
}

function isTrue(v: unknown): boolean {
  return v === true || v === 'true' || v === 1 || v === '1';
}

const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
