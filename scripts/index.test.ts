/** `npm run index -- --json` as a user runs it: a child process, offline, no model → keyword-only. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSeedsDir } from '../src/ingest/index.js';
import { SEEDS_DIR, tempWorkspace } from '../test/indexing.js';
import { runScript } from '../test/helpers.js';

let ws: ReturnType<typeof tempWorkspace>;
let total: number;

beforeAll(async () => {
  ws = tempWorkspace('baowen-cli-');
  fs.mkdirSync(path.join(ws.root, 'no-models'));
  total = (await parseSeedsDir(SEEDS_DIR)).reduce((n, p) => n + p.articles.length, 0);
});
afterAll(() => ws.cleanup());

const cli = (...args: string[]) =>
  runScript('scripts/index.ts', args, {
    SEEDS_DIR: ws.seedsDir,
    INDEX_DIR: ws.indexDir,
    EMBED_ALLOW_REMOTE: 'false',
    EMBED_LOCAL_DIR: path.join(ws.root, 'no-models'),
    LOG_LEVEL: 'warn',
  });

describe('scripts/index.ts', () => {
  it('--json prints exactly one object; a second run embeds nothing', () => {
    const first = cli('--json');
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(Object.keys(j)).toEqual(['mode', 'articles', 'chunks', 'added', 'changed', 'removed', 'unchanged', 'embedded', 'skipped']);
    expect(j).toMatchObject({ mode: 'keyword', articles: total, added: total, embedded: 0, skipped: [] });
    expect(first.stderr).toContain('KEYWORD-ONLY'); // the loud warning, on stderr

    const second = JSON.parse(cli('--json').stdout);
    expect(second).toMatchObject({ mode: 'keyword', articles: total, embedded: 0, unchanged: total, added: 0 });
  });

  it('prints a human summary, reports skipped pages, and still exits 0', () => {
    fs.writeFileSync(path.join(ws.seedsDir, '900_empty.txt'), '');
    const r = cli();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`keyword, ${total} articles`));
    expect(r.stdout).toContain('900_empty.txt: ');
    expect(r.stdout).toContain('KEYWORD-ONLY');
  });

  it('--help exits 0; a bad option or a fatal error exits 1 with a clear message', () => {
    const help = cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run index');
    const bad = cli('--nope');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unknown option: --nope');
    fs.rmSync(ws.seedsDir, { recursive: true });
    const fatal = cli('--json');
    expect(fatal.code).toBe(1);
    expect(fatal.stdout).toBe('');
    expect(fatal.stderr).toMatch(/Error: Seeds folder .* not found/);
  });
});
