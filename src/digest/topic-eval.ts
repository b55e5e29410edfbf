/**
 * How well digests match their topics: precision and recall of `Engine.matchTopic` against a
 * topics file (`../shared/eval/README.md` format), an article named as the eval files name it
 * (src/eval/labeled.ts `matchesExpected`, the rule the topic model is trained with).
 */
import type { Engine } from '../engine.js';
import { EvalTopic, readJsonl } from '../eval/dataset.js';
import { matchesExpected } from '../eval/labeled.js';
import { headlineOf } from '../types.js';

export interface TopicScore {
  id: string;
  topic: string;
  precision: number;
  recall: number;
  /** Articles the digest would list (file and headline). */
  got: { file: string; title: string; probability: number; relevant: boolean }[];
  expected: { file: string; title: string; found: boolean }[];
}

export interface TopicEval {
  perTopic: TopicScore[];
  meanPrecision: number;
  meanRecall: number;
}

/**
 * Precision and recall of `engine.matchTopic` against a topics.jsonl file. Precision of an empty
 * result is 1 when nothing was expected and 0 otherwise; recall with nothing expected is 1.
 */
export async function evaluateTopics(engine: Pick<Engine, 'matchTopic'>, topicsJsonlPath: string): Promise<TopicEval> {
  const perTopic: TopicScore[] = [];
  for (const c of readJsonl(topicsJsonlPath, EvalTopic)) {
    const matches = await engine.matchTopic(c.topic);
    const got = matches.map((m) => ({
      file: m.article.file,
      title: headlineOf(m.article),
      probability: m.probability,
      relevant: c.expected.some((e) => matchesExpected(m.article, e)),
    }));
    const expected = c.expected.map((e) => ({ ...e, found: matches.some((m) => matchesExpected(m.article, e)) }));
    const hits = got.filter((g) => g.relevant).length;
    perTopic.push({
      id: c.id,
      topic: c.topic,
      precision: got.length ? hits / got.length : expected.length ? 0 : 1,
      recall: expected.length ? expected.filter((e) => e.found).length / expected.length : 1,
      got,
      expected,
    });
  }
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    perTopic,
    meanPrecision: mean(perTopic.map((p) => p.precision)),
    meanRecall: mean(perTopic.map((p) => p.recall)),
  };
}
