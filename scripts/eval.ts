/**
 * npm run eval -- FILE.jsonl [--json] [--verbose] [--split train|validation]
 * npm run eval -- --squad FILE.json [--left-out 0.2] [--seed N] [--limit N] [--json] [--verbose] [--split …]
 *   either one also with [--model | --model-shape bge-small-zh|e5-small [--dtype q8|fp32]] (hybrid mode)
 *
 * Dev-format files are asked against the configured index (built from SEEDS_DIR when missing); with
 * a model flag (src/cli/model.ts) the seed pages are indexed into a temporary folder with that model.
 * A SQuAD file becomes its own corpus: each paragraph an article in a temporary folder, a seeded
 * fifth left out (their questions must be refused), indexed by the normal indexer.
 * Reports hit@1/hit@3, multi recall, answer-contains, answered, refusal, quote fidelity, latency.
 * --split keeps only the questions `npm run train` put on that side (see src/rank/train.ts).
 */
import { cliContext, parseArgs, runCli, UsageError } from '../src/cli/common.js';
import { MODEL_USAGE, MODEL_VALUED_ARGS, modelFromArgs } from '../src/cli/model.js';
import type { Config } from '../src/config.js';
import { createEngine, type Engine } from '../src/engine.js';
import { indexPages } from '../src/eval/corpus.js';
import { EvalQuestion, readJsonl } from '../src/eval/dataset.js';
import { fromEvalQuestion, type LabeledQuestion } from '../src/eval/labeled.js';
import { formatReport, report, scoreItem } from '../src/eval/score.js';
import { readSquad } from '../src/eval/squad.js';
import { LEFT_OUT, LEFT_OUT_SEED } from '../src/rank/datasets.js';
import { splitOf } from '../src/rank/train.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const USAGE = `usage: npm run eval -- FILE.jsonl [--json] [--verbose] | --squad FILE.json [--left-out 0.2] [--seed N] [--limit N] [--json]; either ${MODEL_USAGE}`;

function num(v: string | undefined, name: string, lo: number, hi: number): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || x < lo || x > hi) throw new UsageError(`--${name} must be a number from ${lo} to ${hi} (got "${v}")`);
  return x;
}

/** The EMBED_* settings a model was loaded with, for the temporary corpus's configuration. */
function modelEnv(c: Config | undefined): Record<string, string> {
  if (!c) return {};
  return { EMBED_MODEL: c.EMBED_MODEL, EMBED_LOCAL_DIR: c.modelDir, EMBED_DTYPE: c.EMBED_DTYPE, EMBED_ALLOW_REMOTE: c.EMBED_ALLOW_REMOTE ? 'true' : 'false' };
}

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ['squad', 'left-out', 'seed', 'limit', 'split', ...MODEL_VALUED_ARGS]);
  const squad = args.values.get('squad');
  const file = squad ?? args.rest[0];
  if (!file) throw new UsageError(USAGE);
  const split = args.values.get('split');
  if (split !== undefined && split !== 'train' && split !== 'validation') throw new UsageError('--split is train or validation');
  const { config, log } = cliContext();
  const model = await modelFromArgs(args, config, log);
  const preloaded = model ? { embedder: { ok: true as const, embedder: model.embedder } } : {};

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
    const built = await indexPages(corpus.pages, log, { embedder: model?.embedder ?? null, env: modelEnv(model?.config) });
    cleanup = built.cleanup;
    engine = await createEngine(built.config, log, { pollMs: 0, ...preloaded });
  } else {
    questions = readJsonl(file, EvalQuestion).map(fromEvalQuestion);
    setName = 'seeds';
    if (model) {
      // The seed pages indexed with this model in a temporary folder (the configured index stays as it is).
      const pages = readdirSync(config.seedsDir)
        .filter((f) => f.endsWith('.txt'))
        .sort()
        .map((f) => ({ file: f, content: readFileSync(path.join(config.seedsDir, f), 'utf8') }));
      const built = await indexPages(pages, log, { embedder: model.embedder, env: modelEnv(model.config) });
      cleanup = built.cleanup;
      engine = await createEngine(built.config, log, { pollMs: 0, ...preloaded });
    } else engine = await createEngine(config, log, { buildIfMissing: true, pollMs: 0 });
  }
  if (model && engine.status().mode !== 'hybrid') throw new Error(`the index was built with ${model.label} but answers are ${engine.status().mode}-only`);
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
    const modelInfo = model ? { model: model.label } : {};
    if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ mode: status.mode, ...modelInfo, file, split: split ?? 'all', ...r })}\n`);
    else process.stdout.write(`mode: ${status.mode}${model ? ` (${model.label})` : ''} · ${questions.length} questions · ${file}${split ? ` (${split} split)` : ''}\n\n${formatReport(r)}\n`);
    return 0;
  } finally {
    await engine.close();
    cleanup();
  }
});
