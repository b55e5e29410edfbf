/**
 * Webhook mode: a node:http server on HOST:PORT that takes Telegram's POSTs at the WEBHOOK_URL path
 * (checking the secret token) and answers `GET /healthz` with `{ ok, mode, transport, articles }`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookCallback, type Bot } from 'grammy';
import type { Config } from '../config.js';
import type { Engine } from '../engine.js';
import type { Logger } from '../log.js';
import type { BotContext } from './context.js';
import { ALLOWED_UPDATES } from './updates.js';

export interface Webhook {
  server: http.Server;
  /** The actual port (PORT=0 picks a free one). */
  port: number;
  stop(): Promise<void>;
}

type WebhookConfig = Pick<Config, 'WEBHOOK_URL' | 'WEBHOOK_SECRET' | 'HOST' | 'PORT'>;

export async function startWebhook(bot: Bot<BotContext>, opts: { config: WebhookConfig; engine: Engine; log: Logger }): Promise<Webhook> {
  const { config, engine, log } = opts;
  if (!config.WEBHOOK_URL) throw new Error('startWebhook needs WEBHOOK_URL');
  const hookPath = new URL(config.WEBHOOK_URL).pathname || '/';
  const handleUpdate = webhookCallback(bot, 'http', {
    ...(config.WEBHOOK_SECRET ? { secretToken: config.WEBHOOK_SECRET } : {}),
    // Answers can take a while (model warm-up): reply 200 to Telegram and keep working.
    onTimeout: 'return',
    timeoutMilliseconds: 9_000,
  });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/healthz') {
      let body: Record<string, unknown>;
      try {
        const s = engine.status();
        body = { ok: true, mode: s.mode, transport: 'webhook', articles: s.articles };
      } catch (err) {
        body = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    if (req.method === 'POST' && url.pathname === hookPath) {
      handleUpdate(req, res).catch((err: unknown) => {
        log.error({ err }, 'webhook update failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    res.writeHead(404).end();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  await bot.init();
  await bot.api.setWebhook(config.WEBHOOK_URL, {
    allowed_updates: ALLOWED_UPDATES,
    ...(config.WEBHOOK_SECRET ? { secret_token: config.WEBHOOK_SECRET } : {}),
  });
  log.info({ port, path: hookPath }, 'webhook server listening');

  let stopping: Promise<void> | undefined;
  return {
    server,
    port,
    // Stop accepting, let requests in flight finish (their keep-alive sockets are closed as soon as
    // they go idle), and cut whatever is left after 10 s.
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
      })),
  };
}
