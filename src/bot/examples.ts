/**
 * Example questions drawn from the index (for /start and refusals): a few report headlines,
 * picked by a hash of the article id so the choice is stable for a given index.
 */
import type { ArticleHead, SearchIndex } from '../store/types.js';
import type { Translate } from './render.js';
import { fnv1a } from '../text/hash.js';

const topicsCache = new WeakMap<SearchIndex, string[]>();

/** The main headline without an appended sub-headline. */
function topicOf(a: Pick<ArticleHead, 'title'>): string {
  const main = a.title.split(/\s+/u)[0] ?? a.title;
  return [...main].length >= 6 ? main : a.title;
}

/** Up to `n` headline topics, stable for a given index. */
export function exampleTopics(index: SearchIndex, n = 3): string[] {
  let topics = topicsCache.get(index);
  if (!topics) {
    // Heads only: a loaded index reads them without the articles' text (see store/docs-reader.ts).
    const candidates = [...index.articleHeads()]
      .filter((a) => a.kind === 'report')
      .map((a) => ({ a, topic: topicOf(a), key: fnv1a(a.id) }))
      .filter(({ topic }) => [...topic].length >= 6 && [...topic].length <= 30)
      .sort((x, y) => x.key - y.key || x.a.id.localeCompare(y.a.id));
    topics = [...new Set(candidates.map((c) => c.topic))];
    topicsCache.set(index, topics);
  }
  return topics.slice(0, n);
}

/** Example questions in the reader's language (`example-question` in the .ftl files). */
export function exampleQuestions(getIndex: () => SearchIndex, tr: Translate, n = 3): string[] {
  let index: SearchIndex;
  try {
    index = getIndex();
  } catch {
    return [];
  }
  return exampleTopics(index, n).map((topic) => tr('example-question', { topic }));
}
