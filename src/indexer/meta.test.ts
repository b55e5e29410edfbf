/** Page metadata (front matter) is part of the article hash: adding or changing it re-indexes that page's articles only. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { loadIndex } from '../store/load.js';
import { runIndexer } from './run.js';
import { fakeEmbedder, tempWorkspace, testConfig } from '../../test/indexing.js';

const log = createLogger('silent');
let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => (ws = tempWorkspace()));
afterEach(() => ws.cleanup());

describe('runIndexer: page metadata', () => {
  it('adding or changing front matter re-indexes that page’s articles and nothing else', async () => {
    const run = () => runIndexer({ config: testConfig(ws), log, embedder: fakeEmbedder() });
    const first = await run();
    const file = fs.readdirSync(ws.seedsDir).sort()[1]!;
    const p = path.join(ws.seedsDir, file);
    const onPage = [...loadIndex(ws.indexDir).articles.values()].filter((a) => a.file === file).length;
    const body = fs.readFileSync(p, 'utf8');

    fs.writeFileSync(p, `---\npaper: 劳动午报\ndate: 2024-03-12\npage: 2\n---\n${body}`);
    const added = await run();
    expect(added).toMatchObject({ articles: first.articles, changed: onPage, added: 0, removed: 0, unchanged: first.articles - onPage });
    const arts = [...loadIndex(ws.indexDir).articles.values()];
    expect(arts.filter((a) => a.file === file).every((a) => a.meta?.paper === '劳动午报' && a.meta.page === '2')).toBe(true);
    expect(arts.filter((a) => a.file !== file).every((a) => a.meta === undefined)).toBe(true);

    fs.writeFileSync(p, `---\npaper: 劳动午报\ndate: 2024-03-12\npage: 3\n---\n${body}`);
    expect(await run()).toMatchObject({ changed: onPage, unchanged: first.articles - onPage });
    expect([...loadIndex(ws.indexDir).articles.values()].find((a) => a.file === file)!.meta?.page).toBe('3');
    expect(await run()).toMatchObject({ changed: 0, unchanged: first.articles, embedded: 0 });
  });

  it('a page with bad front matter is skipped with the reason, keeping its previous articles', async () => {
    const run = () => runIndexer({ config: testConfig(ws), log, embedder: fakeEmbedder() });
    const first = await run();
    const file = fs.readdirSync(ws.seedsDir).sort()[0]!;
    const p = path.join(ws.seedsDir, file);
    fs.writeFileSync(p, `---\ndate: 2024-13-01\n---\n${fs.readFileSync(p, 'utf8')}`);
    const s = await run();
    expect(s.skipped).toEqual([{ file, error: expect.stringContaining('front matter: date "2024-13-01"') }]);
    expect(s.articles).toBe(first.articles);
  });
});
