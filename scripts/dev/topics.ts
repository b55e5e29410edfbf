/** Developer aid: topic-matching precision/recall per threshold on a topics JSONL file. */
import { loadConfig } from '../../src/config.js';
import { EvalTopic, matchesExpected, readJsonl } from '../../src/eval/dataset.js';
import { scoreTopic } from '../../src/search/topic.js';
import { loadIndex } from '../../src/store/load.js';

const file = process.argv[2] ?? '../shared/eval/topics.jsonl';
const verbose = process.argv.includes('--verbose');
const index = loadIndex(loadConfig().indexDir);
const topics = readJsonl(file, EvalTopic);
const scored = await Promise.all(topics.map(async (t) => ({ t, s: await scoreTopic(index, null, t.topic) })));
for (const th of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]) {
  let P = 0;
  let R = 0;
  for (const { t, s } of scored) {
    const got = s.filter((x) => x.score >= th);
    const tp = got.filter((x) => t.expected.some((e) => matchesExpected(x.article, e))).length;
    const found = t.expected.filter((e) => got.some((x) => matchesExpected(x.article, e))).length;
    P += got.length ? tp / got.length : 1;
    R += found / t.expected.length;
  }
  console.log(`th=${th} P=${(P / topics.length).toFixed(2)} R=${(R / topics.length).toFixed(2)}`);
}
if (verbose)
  for (const { t, s } of scored) {
    console.log(`\n# ${t.topic}`);
    for (const x of s.slice(0, 8)) console.log(`  ${x.score.toFixed(3)} ${t.expected.some((e) => matchesExpected(x.article, e)) ? '✓' : ' '} ${x.article.title.slice(0, 24)}`);
  }
