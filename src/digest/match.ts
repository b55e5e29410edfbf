/**
 * Topic matching for digests, on top of `Engine.matchTopic` (the same hybrid retrieval as answers,
 * with an article-level threshold).
 *
 * ## What a subscription delivers
 * Articles matching its topic that were **first indexed after the subscription was made** and that
 * it has not delivered yet. Articles already in the index when the user subscribes are not
 * delivered: the /subscribe reply previews the 3 best of them at once, and a union member who
 * follows "植树" expects the digest to bring *news*, not a dump of the archive (a broad topic can
 * match dozens of old reports). "First indexed" is tracked by the state's `known_articles` sequence
 * (`subscriptions.since_seq`), not by matching at subscription time, so a later change of the
 * engine's threshold never turns an old report into "news". `/digest` on demand is the same round
 * for one user: it sends what is new and not yet received, or says there is nothing new.
 */
import fs from 'node:fs';
import { z } from 'zod';
import type { Engine, TopicMatch } from '../engine.js';
import type { Article } from '../types.js';
import type { DeliveryPayload } from '../state/index.js';
import { headlineOf } from '../types.js';

/** The frozen digest item for a match. */
export function toPayload(m: TopicMatch): DeliveryPayload {
  return {
    articleId: m.article.id,
    file: m.article.file,
    kicker: m.article.kicker,
    title: m.article.title,
    byline: m.article.byline,
    ...(m.article.meta ? { meta: m.article.meta } : {}),
    keySentence: m.keySentence,
    probability: m.probability,
  };
}

const Expected = z.object({ file: z.string(), title: z.string() });
const TopicLine = z.object({ id: z.string(), topic: z.string(), expected: z.array(Expected) });
export type TopicCase = z.infer<typeof TopicLine>;

export function readTopicCases(jsonlPath: string): TopicCase[] {
  return fs
    .readFileSync(jsonlPath, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      const r = TopicLine.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${jsonlPath}:${i + 1}: ${r.error.message}`);
      return r.data;
    });
}

/** An expected entry names an article when the file is the same and its title is inside the headline block. */
export function matchesExpected(article: Pick<Article, 'file' | 'kicker' | 'title'>, e: { file: string; title: string }): boolean {
  return article.file === e.file && `${article.kicker ?? ''} ${article.title}`.includes(e.title);
}

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
  for (const c of readTopicCases(topicsJsonlPath)) {
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
