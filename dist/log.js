/**
 * One pino logger for the app. Secrets never reach a log line: anything shaped like a bot token is
 * redacted, and so is every value given to `registerSecret` (the token itself, the webhook secret) —
 * in messages, error messages and stacks, and, as a last line of defence, in each serialized line
 * before it is written.
 */
import { pino } from 'pino';
const secrets = new Set();
/** Registers a secret (≥ 8 characters) to be redacted from every log line and `redactToken` result. */
export function registerSecret(secret) {
    if (secret && secret.length >= 8)
        secrets.add(secret);
}
/** Replaces anything shaped like a bot token (`123456:ABC...`) and every registered secret. */
export function redactToken(text) {
    let out = text.replace(/(?<!\d)\d{5,16}:[A-Za-z0-9_-]{30,}/gu, '<redacted-token>');
    for (const s of secrets)
        if (out.includes(s))
            out = out.split(s).join('<redacted>');
    return out;
}
/** Logs to a file descriptor (default stderr) or any stream (tests capture lines this way). */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination = 2) {
    const sink = typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
    const scrubbed = { write: (line) => sink.write(redactToken(line)) };
    return pino({
        level,
        redact: { paths: ['token', 'botToken', 'secret', 'config.BOT_TOKEN', 'config.WEBHOOK_SECRET', 'BOT_TOKEN', 'WEBHOOK_SECRET', '*.BOT_TOKEN', '*.WEBHOOK_SECRET'], censor: '<redacted>' },
        hooks: {
            // Errors from HTTP clients embed the request URL, which contains the token: scrub every string arg.
            logMethod(args, method) {
                method.apply(this, args.map((a) => (typeof a === 'string' ? redactToken(a) : a)));
            },
        },
        serializers: {
            err: (e) => {
                const s = pino.stdSerializers.err(e);
                if (s && typeof s.message === 'string')
                    s.message = redactToken(s.message);
                if (s && typeof s.stack === 'string')
                    s.stack = redactToken(s.stack);
                return s;
            },
        },
    }, scrubbed);
}
/** Shared default logger (stderr), so stdout stays clean for `--json` output. */
export const log = createLogger();
//# sourceMappingURL=log.js.map