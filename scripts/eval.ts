/**
 * npm run eval -- FILE.jsonl [--json] [--verbose] [--split train|validation]
 * npm run eval -- --squad FILE.json [--left-out 0.2] [--seed N] [--limit N] [--json] [--verbose] [--split …]
 *
 * Dev-format files are asked against the configured index (built from SEEDS_DIR when missing).
 * A SQuAD file becomes its own corpus: each paragraph an article in a temporary folder, a seeded
 * fifth left out (their questions must be refused), indexed by the normal indexer.
 * Reports hit@1/hit@3, multi recall, answer-contains, answered, refusal, quote fidelity, latency.
 * --split keeps only the questions `npm run train` put on that side (see src/rank/train.ts).
 */
import { cliContext, parseArgs, runCli, UsageError } from '../src/cli/common.js';
import { createEngine, type Engine } from '../src/engine.js';
import { indexPages } from '../src/eval/corpus.js';
import { EvalQuestion, readJsonl } from '../src/eval/dataset.js';
import { fromEvalQuestion, type LabeledQuestion } from '../src/eval/labeled.js';
import { formatReport, report, scoreItem } from '../src/eval/score.js';
import { readSquad } from '../src/eval/squad.js';
import { LEFT_OUT, LEFT_OUT_SEED } from '../src/rank/datasets.js';
import { splitOf } from '../src/rank/train.js';
import path from 'node:path';

const USAGE = 'usage: npm run eval -- FILE.jsonl [--json] [--verbose] | --squad FILE.json [--left-out 0.2] [--seed N] [--limit N] [--json]';

function num(v: string | undefined, name: string, lo: number, hi: number): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || x < lo || x > hi) throw new UsageError(`--${name} must be a number from ${lo} to ${hi} (got "${v}")`);
  return x;
}

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ['squad', 'left-out', 'seed', 'limit', 'split']);
  const squad = args.values.get('squad');
  const file = squad ?? args.rest[0];
  if (!file) throw new UsageError(USAGE);
  const split = args.values.get('split');
  if (split !== undefined && split !== 'train' && split !== 'validation') throw new UsageError('--split is train or validation');
  const { config, log } = cliContext();

  let questions: LabeledQuestion[];
  let setName: string;
  let engine: Engine;
  let cleanup = (): void => {};
  if (squad) {
    const corpus = readSquad(squad, {
      leftOut: num(args.values.get('left-out'), 'left-out', 0, 0.9) ?? LEFT_OUT,
      seed: num(args.values.get('seed'), 'seed', 0, 2 ** 31) ?? LEFT_OUT_SEED,
      ...(args.values.has('limit') ? { limit: num(args.values.get('limit'), 'limit', 1, 1e7) as number } : {}),
    });
    questions = corpus.questions;
    setName = path.basename(squad, '.json');
    const built = await indexPages(corpus.pages, log);
    cleanup = built.cleanup;
    engine = await createEngine(built.config, log, { pollMs: 0 });
  } else {
    questions = readJsonl(file, EvalQuestion).map(fromEvalQuestion);
    setName = 'seeds';
    engine = await createEngine(config, log, { buildIfMissing: true, pollMs: 0 });
  }
  if (split) questions = questions.filter((q) => splitOf(q, setName) === split);
  try {
    const articles = engine.index().articles;
    const items = [];
    for (const q of questions) {
      const t0 = performance.now();
      const a = await engine.ask(q.question);
      const ms = performance.now() - t0;
      const item = scoreItem(q, a, articles, ms);
      items.push(item);
      if (args.flags.has('verbose')) {
        const cited = a.citations.map((c) => c.title.slice(0, 14)).join(' | ');
        process.stderr.write(
          `${q.id} ${q.type.padEnd(10)} ${item.answered ? 'ANS' : 'REF'} p=${a.confidence ?? '-'} h1=${+item.hit1} h3=${+item.hit3} c=${+item.contains} ${q.question.slice(0, 40)} → ${cited}\n` +
            a.quotes.map((x) => `      [${x.source}] ${x.text.slice(0, 90)}\n`).join(''),
        );
      }
    }
    const r = report(items);
    const status = engine.status();
    if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ mode: status.mode, file, split: split ?? 'all', ...r })}\n`);
    else process.stdout.write(`mode: ${status.mode} · ${questions.length} questions · ${file}${split ? ` (${split} split)` : ''}\n\n${formatReport(r)}\n`);
    return 0;
  } finally {
    await engine.close();
    cleanup();
  }
});
