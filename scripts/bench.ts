/**
 * npm run bench -- [--chunks N] [--dim D] [--seed S] [--questions Q] [--only ingest,hnsw,index,serve] [--keep] [--reuse DIR] [--json]
 * npm run bench -- --model-shape bge-small-zh|e5-small [--dtype q8|fp32] [--layers L --hidden H --vocab V] [--threads T] [--chunks N] [--json]
 * Synthetic corpus from the seed pages' sentences → parse/chunk, keyword, HNSW, indexer, ask latency, RSS.
 * With --model-shape: a generated model of that shape (random weights, real cost) embeds the seed pages
 * (or N synthetic chunks) and every question: raw forward, indexer throughput, question embedding, ask.
 * Progress on stderr; the report (or one JSON object with --json) on stdout.
 * Profile a phase: BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- --only ingest
 */
import { parseArgs, runCli, UsageError } from '../src/cli/common.js';
import { formatReport } from '../src/bench/format.js';
import type { PhaseName } from '../src/bench/phases.js';
import { MODEL_SHAPES } from '../src/bench/model/bert.js';
import { runBench } from '../src/bench/run.js';

const PHASE_NAMES: readonly PhaseName[] = ['ingest', 'hnsw', 'index', 'serve', 'model'];

function intFlag(values: Map<string, string>, name: string): number | undefined {
  const v = values.get(name);
  if (v === undefined) return undefined;
  if (!/^\d+$/u.test(v) || Number(v) < 1) throw new UsageError(`--${name} needs a positive integer, got "${v}"`);
  return Number(v);
}

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ['chunks', 'dim', 'seed', 'questions', 'only', 'vector-queries', 'model-shape', 'dtype', 'layers', 'hidden', 'vocab', 'threads', 'reuse']);
  const shape = args.values.get('model-shape');
  const custom = ['layers', 'hidden', 'vocab'].some((k) => args.values.has(k));
  if (shape !== undefined && !MODEL_SHAPES[shape] && shape !== 'custom') {
    throw new UsageError(`--model-shape: unknown shape "${shape}" (${[...Object.keys(MODEL_SHAPES), 'custom'].join(', ')})`);
  }
  if (custom && shape === undefined) throw new UsageError('--layers/--hidden/--vocab go with --model-shape NAME (or custom)');
  const dtype = args.values.get('dtype');
  if (dtype !== undefined && dtype !== 'q8' && dtype !== 'fp32') throw new UsageError(`--dtype: q8 or fp32, got "${dtype}"`);
  const threads = args.values.get('threads');
  if (threads !== undefined && !/^\d+$/u.test(threads)) throw new UsageError(`--threads needs a whole number, got "${threads}"`);
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
    reuse: args.values.get('reuse'),
    modelShape: shape === 'custom' ? undefined : shape,
    ...(shape === 'custom' ? { modelShape: 'bge-small-zh' } : {}),
    modelDtype: dtype as 'q8' | 'fp32' | undefined,
    modelLayers: intFlag(args.values, 'layers'),
    modelHidden: intFlag(args.values, 'hidden'),
    modelVocab: intFlag(args.values, 'vocab'),
    modelThreads: threads === undefined ? undefined : Number(threads),
  });
  process.stdout.write(args.flags.has('json') ? `${JSON.stringify(result)}\n` : formatReport(result));
  return 0;
});
