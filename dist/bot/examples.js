import { fnv1a } from '../text/hash.js';
const topicsCache = new WeakMap();
/** The main headline without an appended sub-headline. */
function topicOf(a) {
    const main = a.title.split(/\s+/u)[0] ?? a.title;
    return [...main].length >= 6 ? main : a.title;
}
/** Up to `n` headline topics, stable for a given index. */
export function exampleTopics(index, n = 3) {
    let topics = topicsCache.get(index);
    if (!topics) {
        const candidates = [...index.articles.values()]
            .filter((a) => a.kind === 'report')
            .map((a) => ({ a, topic: topicOf(a) }))
            .filter(({ topic }) => [...topic].length >= 6 && [...topic].length <= 30)
            .sort((x, y) => fnv1a(x.a.id) - fnv1a(y.a.id) || x.a.id.localeCompare(y.a.id));
        topics = [...new Set(candidates.map((c) => c.topic))];
        topicsCache.set(index, topics);
    }
    return topics.slice(0, n);
}
/** Example questions in the reader's language (`example-question` in the .ftl files). */
export function exampleQuestions(getIndex, tr, n = 3) {
    let index;
    try {
        index = getIndex();
    }
    catch {
        return [];
    }
    return exampleTopics(index, n).map((topic) => tr('example-question', { topic }));
}
//# sourceMappingURL=examples.js.map