/**
 * npm run bench -- [--chunks N] [--dim D] [--seed S] [--questions Q] [--only ingest,hnsw,index,serve] [--keep] [--json]
 * Synthetic corpus from the seed pages' sentences → parse/chunk, keyword, HNSW, indexer, ask latency, RSS.
 * Progress on stderr; the report (or one JSON object with --json) on stdout.
 * Profile a phase: BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- --only ingest
 */
import { parseArgs, runCli, UsageError } from '../src/cli/common.js';
import { formatReport } from '../src/bench/format.js';
import type { PhaseName } from '../src/bench/phases.js';
import { runBench } from '../src/bench/run.js';

const PHASE_NAMES: readonly PhaseName[] = ['ingest', 'hnsw', 'index', 'serve'];

function intFlag(values: Map<string, string>, name: string): number | undefined {
  const v = values.get(name);
  if (v === undefined) return undefined;
  if (!/^\d+$/u.test(v) || Number(v) < 1) throw new UsageError(`--${name} needs a positive integer, got "${v}"`);
  return Number(v);
}

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ['chunks', 'dim', 'seed', 'questions', 'only', 'vector-queries']);
  const only = args.values.get('only')?.split(',').map((s) => s.trim()) as PhaseName[] | undefined;
  for (const p of only ?? []) if (!PHASE_NAMES.includes(p)) throw new UsageError(`--only: unknown phase "${p}" (${PHASE_NAMES.join(', ')})`);
  const result = await runBench({
    chunks: intFlag(args.values, 'chunks'),
    dim: intFlag(args.values, 'dim'),
    seed: intFlag(args.values, 'seed'),
    questions: intFlag(args.values, 'questions'),
    vectorQueries: intFlag(args.values, 'vector-queries'),
    only,
    keep: args.flags.has('keep'),
  });
  process.stdout.write(args.flags.has('json') ? `${JSON.stringify(result)}\n` : formatReport(result));
  return 0;
});
