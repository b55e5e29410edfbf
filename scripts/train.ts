/**
 * npm run train [-- --check] [--json]
 * Fits the sentence ranker on the labelled sets (eval/*.jsonl over seeds/, the SQuAD sets in
 * eval/external/), chooses the refusal threshold on the validation split, writes
 * src/rank/weights/sentence.json. --check: recompute and fail if the committed weights differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliContext, parseArgs, runCli } from '../src/cli/common.js';
import { trainingSets, type LoadedSets } from '../src/rank/datasets.js';
import { fitModels, rowsOf, type QuestionRows } from '../src/rank/train.js';
import { fitTopicModel, topicRows } from '../src/rank/train-topics.js';
import { topicModel } from '../src/rank/topic.js';
import { TOPIC_FILES } from '../src/rank/datasets.js';

const FILES = {
  ranker: fileURLToPath(new URL('../src/rank/weights/sentence.json', import.meta.url)),
  confidence: fileURLToPath(new URL('../src/rank/weights/confidence.json', import.meta.url)),
  topic: fileURLToPath(new URL('../src/rank/weights/topic.json', import.meta.url)),
};

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ['only']);
  const { log } = cliContext();
  const t0 = performance.now();
  const sets: LoadedSets = await trainingSets(log);
  try {
    const rows: QuestionRows[] = [];
    for (const s of sets.sets) rows.push(...(await rowsOf(s)));
    const models = fitModels(rows, sets.sets.map((s) => s.name));
    const seeds = sets.sets.find((s) => s.name === 'seeds');
    if (!seeds) throw new Error('no seeds set');
    const topic = fitTopicModel(await topicRows(seeds.index, sets.topics, topicModel()), TOPIC_FILES);
    const texts = {
      ranker: `${JSON.stringify(models.ranker, null, 2)}\n`,
      confidence: `${JSON.stringify(models.confidence, null, 2)}\n`,
      topic: `${JSON.stringify(topic, null, 2)}\n`,
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
    for (const k of Object.keys(FILES) as (keyof typeof FILES)[]) writeFileSync(FILES[k], texts[k]);
    if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ ...models, topic })}\n`);
    else {
      const r = models.ranker;
      const c = models.confidence;
      process.stdout.write(`wrote src/rank/weights/{sentence,confidence}.json in ${seconds} s · ${r.training.rows} candidate rows from ${r.training.questions} training questions\n`);
      process.stdout.write(`threshold ${c.threshold} (${c.thresholdRule})\n${JSON.stringify(c.metrics, null, 1)}\n\nranker weights:\n`);
      r.features.forEach((f, i) => process.stdout.write(`  ${f.padEnd(24)} ${(r.weights[i] as number).toFixed(3)}\n`));
      process.stdout.write('confidence weights:\n');
      c.features.forEach((f, i) => process.stdout.write(`  ${f.padEnd(24)} ${(c.weights[i] as number).toFixed(3)}\n`));
      process.stdout.write(`topic model: threshold ${topic.threshold} ${JSON.stringify(topic.metrics)}\n`);
      topic.features.forEach((f, i) => process.stdout.write(`  ${f.padEnd(26)} ${(topic.weights[i] as number).toFixed(3)}\n`));
    }
    return 0;
  } finally {
    sets.cleanup();
  }
});
