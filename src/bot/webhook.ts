/**
 * Webhook mode: a node:http server on HOST:PORT that takes Telegram's POSTs at the WEBHOOK_URL path,
 * answers `GET /healthz` (database and index state, 503 when either is unusable: ../health.ts) and
 * `GET /metrics` (Prometheus text format: ../metrics.ts).
 *
 * It never runs unauthenticated: without WEBHOOK_SECRET a strong random secret (32 bytes) is made at
 * start and passed to setWebhook (the log says so and never prints it). Each POST is checked in
 * this order, and nothing is read or run before its check passes:
 *   wrong or missing `X-Telegram-Bot-Api-Secret-Token` → 401 (constant-time compare, body unread)
 *   body over 1 MB (Content-Length or while streaming) → 413, the rest discarded unbuffered
 *   not JSON, or not an update object                 → 400
 *   then the update is recorded in the journal and only then answered 200 (a journal failure → 500,
 *   so Telegram sends it again); it is handled after the 200 (./durable.ts).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Config } from '../config.js';
import type { Engine } from '../engine.js';
import { healthReport } from '../health.js';
import { registerSecret, type Logger } from '../log.js';
import { METRICS_CONTENT_TYPE, metricsText } from '../metrics.js';
import type { State } from '../state/index.js';
import type { BotContext } from './context.js';
import { UpdatePipeline } from './durable.js';
import { ALLOWED_UPDATES } from './updates.js';

/** Telegram's updates are far smaller; anything bigger is not from Telegram. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface Webhook {
  server: http.Server;
  /** The actual port (PORT=0 picks a free one). */
  port: number;
  stop(): Promise<void>;
}

type WebhookConfig = Pick<Config, 'WEBHOOK_URL' | 'WEBHOOK_SECRET' | 'HOST' | 'PORT'>;

/** A random secret in setWebhook's alphabet (A-Z a-z 0-9 _ -): 32 bytes, base64url. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

class BodyTooLarge extends Error {}

/** Reads at most `limit` bytes of a request body; rejects with BodyTooLarge as soon as it is exceeded. */
function readLimited(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        chunks.length = 0;
        req.resume(); // discard the rest without keeping it
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

const isUpdate = (v: unknown): v is Update =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Number.isSafeInteger((v as { update_id?: unknown }).update_id) && (v as { update_id: number }).update_id >= 0;

type WebhookOptions = { config: WebhookConfig; engine: Engine; log: Logger; pipeline?: UpdatePipeline; state?: Pick<State, 'ping' | 'backend'> };

const reply = (res: http.ServerResponse, status: number, body = ''): void => {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...(status >= 400 ? { connection: 'close' } : {}) }).end(body);
};

export async function startWebhook(bot: Bot<BotContext>, opts: WebhookOptions): Promise<Webhook> {
  const { config, log } = opts;
  if (!config.WEBHOOK_URL) throw new Error('startWebhook needs WEBHOOK_URL');
  const pipeline = opts.pipeline ?? new UpdatePipeline(bot, { log });
  const hookPath = new URL(config.WEBHOOK_URL).pathname || '/';
  const secret = config.WEBHOOK_SECRET ?? generateWebhookSecret();
  registerSecret(secret);
  if (!config.WEBHOOK_SECRET) {
    log.info('WEBHOOK_SECRET is not set: generated a random secret for this run and gave it to Telegram (setWebhook); requests without it are refused');
  }

  const onUpdate = updateHandler(pipeline, secret, log);
  const server = http.createServer((req, res) => route(req, res, { ...opts, hookPath, onUpdate }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  await bot.init();
  await bot.api.setWebhook(config.WEBHOOK_URL, { allowed_updates: ALLOWED_UPDATES, secret_token: secret });
  log.info({ port, path: hookPath }, 'webhook server listening');

  let stopping: Promise<void> | undefined;
  return {
    server,
    port,
    // Stop accepting, let requests in flight finish (their keep-alive sockets are closed as soon as
    // they go idle), cut whatever is left after 10 s, then wait for updates being handled.
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        const hard = setTimeout(() => server.closeAllConnections(), 10_000);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(hard);
          resolve();
        });
        server.closeIdleConnections();
      }).then(() => pipeline.drain())),
  };
}

/** GET /healthz, GET /metrics, POST <hook path>; anything else 404. */
function route(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  opts: WebhookOptions & { hookPath: string; onUpdate: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> },
): void {
  const { engine, log } = opts;
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/healthz') {
    void healthReport({ engine, transport: 'webhook', ...(opts.state ? { state: opts.state } : {}) }).then((body) =>
      res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    );
    return;
  }
  if (req.method === 'GET' && url.pathname === '/metrics') {
    metricsText().then(
      (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      (err: unknown) => {
        log.error({ err }, 'metrics failed');
        reply(res, 500);
      },
    );
    return;
  }
  if (req.method === 'POST' && url.pathname === opts.hookPath) {
    opts.onUpdate(req, res).catch((err: unknown) => {
      log.error({ err }, 'webhook request failed');
      reply(res, 500);
    });
    return;
  }
  req.resume();
  res.writeHead(404).end();
}

/**
 * A POST from Telegram: 401 without the secret (never read), 413 over the size limit, 400 for
 * malformed JSON or a non-update; the update is recorded in the journal before the 200, handled after.
 */
function updateHandler(pipeline: UpdatePipeline, secret: string, log: Logger) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!sameSecret(req.headers['x-telegram-bot-api-secret-token'], secret)) {
      log.warn({ remote: req.socket.remoteAddress }, 'webhook: refused a request without the right secret token');
      req.resume();
      return reply(res, 401, '{"ok":false,"error":"unauthorized"}');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_WEBHOOK_BODY_BYTES) {
      req.resume();
      return reply(res, 413, '{"ok":false,"error":"body too large"}');
    }
    let update: unknown;
    try {
      update = JSON.parse((await readLimited(req, MAX_WEBHOOK_BODY_BYTES)).toString('utf8'));
    } catch (err) {
      if (err instanceof BodyTooLarge) return reply(res, 413, '{"ok":false,"error":"body too large"}');
      return reply(res, 400, '{"ok":false,"error":"malformed JSON"}');
    }
    if (!isUpdate(update)) return reply(res, 400, '{"ok":false,"error":"not an update"}');
    let fresh: Update[];
    try {
      fresh = await pipeline.accept([update]);
    } catch (err) {
      log.error({ err, updateId: update.update_id }, 'webhook: could not record the update; Telegram will send it again');
      return reply(res, 500);
    }
    reply(res, 200, '{}');
    for (const u of fresh) void pipeline.handle(u);
  };
}
