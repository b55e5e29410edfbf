/**
 * `npm run index` — build or update the search index from the seed pages.
 *
 *   npm run index                 incremental: only new/changed pages and articles are (re-)embedded
 *   npm run index -- --full       rebuild from scratch
 *   npm run index -- --json       one JSON object on stdout (logs stay on stderr)
 *
 * Exit code 0 on success (skipped pages included), 1 on a fatal error.
 */
import { loadConfig } from '../src/config.js';
import { loadEmbedder } from '../src/embed/load.js';
import { progressReporter } from '../src/indexer/progress.js';
import { runIndexer } from '../src/indexer/run.js';
import { createLogger } from '../src/log.js';

const USAGE = `Usage: npm run index [-- --full] [-- --json]

Builds or updates the search index (INDEX_DIR, default ./index) from the page files in
SEEDS_DIR (default ./seeds). Only new or changed pages and articles are re-embedded.

Options:
  --full    rebuild from scratch (after changing EMBED_MODEL, or to compact the index)
  --json    print one JSON object on stdout:
            {"mode","articles","chunks","added","changed","removed","unchanged","embedded","skipped"}
  -h, --help  this text

The embedding model is read from EMBED_LOCAL_DIR (default ./models) or downloaded when
EMBED_ALLOW_REMOTE is on (HF_ENDPOINT selects a mirror). Without a model the index is keyword-only.`;

interface Args {
  full: boolean;
  json: boolean;
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { full: false, json: false, help: false };
  for (const a of argv) {
    if (a === '--full') args.full = true;
    else if (a === '--json') args.json = true;
    else if (a === '-h' || a === '--help') args.help = true;
    else throw new UsageError(`Unknown option: ${a}`);
  }
  return args;
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`);
    return 1;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 2);
  const started = performance.now();
  const load = await loadEmbedder(config, log);
  const bar = args.json && !process.stderr.isTTY ? null : progressReporter(process.stderr);
  let summary;
  try {
    summary = await runIndexer({
      config,
      log,
      embedder: load.ok ? load.embedder : null,
      modelError: load.ok ? null : load.reason,
      full: args.full,
      onProgress: bar ? (p) => bar.update(p) : undefined,
    });
  } finally {
    bar?.done();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  if (args.json) {
    const { mode, articles, chunks, added, changed, removed, unchanged, embedded, skipped } = summary;
    process.stdout.write(`${JSON.stringify({ mode, articles, chunks, added, changed, removed, unchanged, embedded, skipped })}\n`);
    return 0;
  }
  const model = summary.mode === 'hybrid' ? ` (${config.EMBED_MODEL})` : '';
  const lines = [
    `Index ${summary.written ? 'updated' : 'up to date'}: ${summary.mode}${model}, ${summary.articles} articles, ${summary.chunks} chunks in ${config.indexDir}`,
    `  added ${summary.added}, changed ${summary.changed}, removed ${summary.removed}, unchanged ${summary.unchanged}; embedded ${summary.embedded} chunks; ${seconds} s`,
  ];
  if (summary.rebuildReason) lines.push(`  full rebuild: ${summary.rebuildReason}`);
  if (summary.skipped.length) {
    lines.push(`  skipped ${summary.skipped.length} page(s):`);
    for (const s of summary.skipped) lines.push(`    ${s.file}: ${s.error}`);
  }
  if (!load.ok) lines.push(`  KEYWORD-ONLY: ${load.reason}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

main().then(
  (code) => exitAfterFlush(code),
  (e: unknown) => {
    process.stderr.write(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
    exitAfterFlush(1);
  },
);

/** Exits once stdout has drained (the model runtime may hold the event loop open otherwise). */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}
