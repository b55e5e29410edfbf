/**
 * Lists the articles parsed from SEEDS_DIR.
 *   npm run --silent articles            readable table
 *   npm run --silent articles -- --json  JSON array of {id,file,kicker,title,byline,kind,text}
 * Bad pages and parser warnings go to stderr, by file name; exit code 1 if any page failed.
 */
import { loadConfig } from '../src/config.js';
import { parseSeedsDir } from '../src/ingest/index.js';

const json = process.argv.slice(2).includes('--json');
const config = loadConfig();
let pages: Awaited<ReturnType<typeof parseSeedsDir>>;
try {
  pages = await parseSeedsDir(config.seedsDir);
} catch (err) {
  console.error(`error: cannot read SEEDS_DIR ${config.seedsDir}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

for (const page of pages) {
  if (page.error) console.error(`error: ${page.error}`);
  for (const w of page.warnings) console.error(`warning: ${w}`);
}

const articles = pages.flatMap((p) => p.articles);
if (json) {
  const rows = articles.map(({ id, file, kicker, title, byline, kind, text }) => ({
    id,
    file,
    kicker,
    title,
    byline,
    kind,
    text,
  }));
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} else {
  for (const a of articles) {
    const head = a.kicker ? `【${a.kicker}】${a.title}` : a.title;
    console.log([a.file, a.kind.padEnd(6), head, a.byline ?? '—'].join('  |  '));
  }
  console.log(`\n${articles.length} articles from ${pages.length} pages`);
}
if (pages.some((p) => p.error)) process.exitCode = 1;
