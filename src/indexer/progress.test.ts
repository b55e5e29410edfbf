import { describe, expect, it } from 'vitest';
import { formatDuration, progressLine, progressReporter } from './progress.js';

describe('index progress', () => {
  it('shows chunks/s and the time left while embedding', () => {
    // 500 of 1000 texts after 50 s, 400 chunks in all → 200 chunks at 4/s, 200 left → 50 s.
    const line = progressLine({ phase: 'embed', done: 500, total: 1000, chunks: 0, totalChunks: 400 }, 50, 10);
    expect(line).toBe('Embedding    █████░░░░░  50% 200/400 chunks · 4.0 chunks/s · 50 s left');
    expect(progressLine({ phase: 'parse', done: 3, total: 12 }, 0, 4)).toBe('Reading pages █░░░  25% 3/12');
    expect(formatDuration(3725)).toBe('1 h 02 min');
    expect(formatDuration(250)).toBe('4 min 10 s');
  });

  it('redraws one line on a terminal, writes a line per 10 % elsewhere', () => {
    const out: string[] = [];
    let t = 0;
    const fake = (isTTY: boolean) => ({ isTTY, columns: 100, write: (s: string) => out.push(s) }) as unknown as NodeJS.WriteStream;
    const pipe = progressReporter(fake(false), () => t);
    for (let i = 0; i <= 100; i++) {
      t += 1000;
      pipe.update({ phase: 'embed', done: i, total: 100, totalChunks: 50 });
    }
    expect(out).toHaveLength(11);
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(out[10]).toContain('100% 50/50 chunks');
    out.length = 0;
    const tty = progressReporter(fake(true), () => t);
    tty.update({ phase: 'embed', done: 1, total: 100, totalChunks: 50 });
    tty.update({ phase: 'embed', done: 2, total: 100, totalChunks: 50 }); // within 100 ms: skipped
    tty.done();
    expect(out).toHaveLength(2);
    expect(out[0]!.startsWith('\r\x1b[K')).toBe(true);
  });
});
