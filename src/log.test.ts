import { describe, expect, it } from 'vitest';
import { createLogger, redactToken, registerSecret } from './log.js';

describe('log redaction', () => {
  it('never writes a token-shaped string or a registered secret, in messages, objects or errors', () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (s: string) => void lines.push(s) });
    const token = `987654321:AA${'q'.repeat(33)}`;
    const secret = 'hook-Secret_for-this-test-42';
    registerSecret(secret);
    log.info(`calling https://api.telegram.org/bot${token}/getMe`);
    log.info({ url: `https://example.org/${secret}`, nested: { s: secret } }, 'webhook set');
    log.error({ err: new Error(`failed with ${secret} and ${token}`) }, 'boom');
    const out = lines.join('');
    expect(out).toContain('webhook set');
    expect(out).toContain('<redacted');
    expect(out).not.toContain(token);
    expect(out).not.toContain(secret);
    expect(redactToken(`x ${secret} y`)).toBe('x <redacted> y');
  });
});
