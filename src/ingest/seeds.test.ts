import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSeedsDir } from './index.js';

const SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'baowen-seeds-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('parseSeedsDir', () => {
  it('parses the real seeds in name order', async () => {
    const pages = await parseSeedsDir(SEEDS);
    expect(pages.map((p) => p.file)).toEqual(readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort());
    expect(pages.every((p) => !p.error)).toBe(true);
    expect(pages.reduce((n, p) => n + p.articles.length, 0)).toBe(31);
  });

  it('reports empty and malformed pages by file name and keeps the good ones', async () => {
    const good = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort().slice(0, 2);
    for (const f of good) copyFileSync(path.join(SEEDS, f), path.join(tmp, f));
    writeFileSync(path.join(tmp, '005_empty.txt'), '\n\n   \n');
    writeFileSync(path.join(tmp, '006_garbage.txt'), '这里只有一段没有标题的文字。');
    writeFileSync(path.join(tmp, 'notes.md'), '# not a page');
    const pages = await parseSeedsDir(tmp);
    expect(pages.map((p) => p.file)).toEqual([...good, '005_empty.txt', '006_garbage.txt']);
    expect(pages[0]?.articles).toHaveLength(6);
    expect(pages[1]?.articles).toHaveLength(7);
    expect(pages[2]?.error).toMatch(/005_empty\.txt/u);
    expect(pages[3]?.error).toMatch(/006_garbage\.txt/u);
    expect(pages[3]?.articles).toEqual([]);
  });

  it('throws when the directory itself is missing', async () => {
    await expect(parseSeedsDir(path.join(tmp, 'nope'))).rejects.toThrow(/Seeds folder .* not found/u);
  });
});
