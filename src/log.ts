/** One pino logger for the app. The bot token is redacted wherever it could appear. */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Replaces anything shaped like a bot token (`123456:ABC...`) so it never reaches a log line. */
export function redactToken(text: string): string {
  return text.replace(/\b\d{5,16}:[A-Za-z0-9_-]{30,}\b/gu, '<redacted-token>');
}

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination: number = 2): Logger {
  return pino(
    {
      level,
      redact: { paths: ['token', 'botToken', 'config.BOT_TOKEN', 'BOT_TOKEN', '*.BOT_TOKEN'], censor: '<redacted>' },
      hooks: {
        // Errors from HTTP clients embed the request URL, which contains the token: scrub every string arg.
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redactToken(a) : a)) as Parameters<typeof method>,
          );
        },
      },
      serializers: {
        err: (e: unknown) => {
          const s = pino.stdSerializers.err(e as Error);
          if (s && typeof s.message === 'string') s.message = redactToken(s.message);
          if (s && typeof s.stack === 'string') s.stack = redactToken(s.stack);
          return s;
        },
      },
    },
    pino.destination({ fd: destination, sync: true }),
  );
}

/** Shared default logger (stderr), so stdout stays clean for `--json` output. */
export const log = createLogger();
