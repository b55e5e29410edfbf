/**
 * npm run train [-- --check] [--json] [--out DIR] [--model | --model-shape NAME [--dtype q8|fp32]]
 * Fits the sentence ranker on the labelled sets (eval/*.jsonl over seeds/, the SQuAD sets in
 * eval/external/), chooses the refusal threshold on the validation split, writes
 * src/rank/weights/{sentence,confidence,topic,extension}.json. --check: recompute and fail if the committed weights differ.
 * With a model (src/cli/model.ts) every set is indexed with it and the dense features
 * (`dense_rank`, `dense_z`) are computed, so they get their weights from data. --out DIR writes
 * the four files there instead of src/rank/weights/ (to compare before committing).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { cliContext, parseArgs, runCli, UsageError } from '../src/cli/common.js';
import { MODEL_VALUED_ARGS, modelFromArgs } from '../src/cli/model.js';
import { trainingSets, type LoadedSets } from '../src/rank/datasets.js';
import { fitModels, rowsOf, type QuestionRows } from '../src/rank/train.js';
import { fitTopicModel, topicRows } from '../src/rank/train-topics.js';
import { topicModel } from '../src/rank/topic.js';
import { TOPIC_FILES } from '../src/rank/datasets.js';

const FILES = {
  ranker: fileURLToPath(new URL('../src/rank/weights/sentence.json', import.meta.url)),
  confidence: fileURLToPath(new URL('../src/rank/weights/confidence.json', import.meta.url)),
  topic: fileURLToPath(new URL('../src/rank/weights/topic.json', import.meta.url)),
  extension: fileURLToPath(new URL('../src/rank/weights/extension.json', import.meta.url)),
};

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ['only', 'out', ...MODEL_VALUED_ARGS]);
  const { config, log } = cliContext();
  const out = args.values.get('out');
  if (out !== undefined && args.flags.has('check')) throw new UsageError('--check compares with the committed weights; --out writes elsewhere: use one');
  const model = await modelFromArgs(args, config, log);
  const embedder = model?.embedder ?? null;
  if (model) log.warn({ model: model.label }, `training with ${model.label}: every set is indexed with it and the dense features are computed`);
  const t0 = performance.now();
  const sets: LoadedSets = await trainingSets(log, { embedder });
  try {
    const rows: QuestionRows[] = [];
    for (const s of sets.sets) rows.push(...(await rowsOf(s, embedder)));
    const models = fitModels(rows, sets.sets.map((s) => s.name));
    const seeds = sets.sets.find((s) => s.name === 'seeds');
    if (!seeds) throw new Error('no seeds set');
    const topic = fitTopicModel(await topicRows(seeds.index, sets.topics, topicModel(), embedder), TOPIC_FILES);
    const texts = {
      ranker: `${JSON.stringify(models.ranker, null, 2)}\n`,
      confidence: `${JSON.stringify(models.confidence, null, 2)}\n`,
      topic: `${JSON.stringify(topic, null, 2)}\n`,
      extension: `${JSON.stringify(models.extension, null, 2)}\n`,
    };
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (args.flags.has('check')) {
      const stale = (Object.keys(FILES) as (keyof typeof FILES)[]).filter((k) => readFileSync(FILES[k], 'utf8') !== texts[k]);
      if (stale.length) {
        process.stderr.write(`${stale.map((k) => FILES[k]).join(', ')} differ from what npm run train computes now (${seconds} s); run npm run train and commit\n`);
        return 1;
      }
      process.stdout.write(`weights reproduced (${models.ranker.training.dataHash}, ${seconds} s)\n`);
      return 0;
    }
    const target = (k: keyof typeof FILES): string => (out === undefined ? FILES[k] : path.join(out, path.basename(FILES[k])));
    if (out !== undefined) mkdirSync(out, { recursive: true });
    for (const k of Object.keys(FILES) as (keyof typeof FILES)[]) writeFileSync(target(k), texts[k]);
    if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ ...models, topic })}\n`);
    else {
      const r = models.ranker;
      const c = models.confidence;
      process.stdout.write(`wrote ${out ?? 'src/rank/weights'}/{sentence,confidence,topic,extension}.json${model ? ` (with ${model.label})` : ''} in ${seconds} s · ${r.training.rows} candidate rows from ${r.training.questions} training questions\n`);
      process.stdout.write(`threshold ${c.threshold} (${c.thresholdRule})\n${JSON.stringify(c.metrics, null, 1)}\n\nranker weights:\n`);
      r.features.forEach((f, i) => process.stdout.write(`  ${f.padEnd(24)} ${(r.weights[i] as number).toFixed(3)}\n`));
      process.stdout.write('confidence weights:\n');
      c.features.forEach((f, i) => process.stdout.write(`  ${f.padEnd(24)} ${(c.weights[i] as number).toFixed(3)}\n`));
      const e = models.extension;
      process.stdout.write(`quote extension: threshold ${e.threshold} ${JSON.stringify(e.metrics)}\n`);
      e.features.forEach((f, i) => process.stdout.write(`  ${f.padEnd(24)} ${(e.weights[i] as number).toFixed(3)}\n`));
      process.stdout.write(`topic model: threshold ${topic.threshold} ${JSON.stringify(topic.metrics)}\n`);
      topic.features.forEach((f, i) => process.stdout.write(`  ${f.padEnd(26)} ${(topic.weights[i] as number).toFixed(3)}\n`));
    }
    return 0;
  } finally {
    sets.cleanup();
  }
});
