/**
 * Part-of-speech tagging with jieba (`@node-rs/jieba`, the field's standard Chinese segmenter, as
 * FastGPT uses it). The ranker reads answer types from it — persons (`nr`), places (`ns`),
 * organisations (`nt`), times (`t`), numerals (`m`) — instead of from hand lists. BM25 tokens stay
 * on `Intl.Segmenter` (src/text/tokenize.ts): see the README for the measurement.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

export interface TaggedWord {
  word: string;
  tag: string;
}

let jieba: Jieba | null = null;
const cache = new Map<string, TaggedWord[]>();
const CACHE_MAX = 200_000;

/** Words with jieba's POS tags (ICTCLAS tag set), memoized: the same sentences recur across questions. */
export function tagWords(text: string): TaggedWord[] {
  let v = cache.get(text);
  if (v === undefined) {
    jieba ??= Jieba.withDict(dict);
    v = jieba.tag(text, true).map((t) => ({ word: t.word, tag: t.tag }));
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(text, v);
  }
  return v;
}

/** Named entities: person, place, organisation and other proper names (`nr` `ns` `nt` `nz`, and jieba's `nrt`/`nrfg`). */
export function isNameTag(tag: string): boolean {
  return /^n[rstz]/u.test(tag) && tag !== 'ng';
}
