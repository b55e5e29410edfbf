import { describe, expect, it } from 'vitest';
import type { ArticleHead, SearchIndex } from '../../store/types.js';
import type { BotDeps } from '../deps.js';
import { createStartFeature } from './start.js';

/** An index that counts how often its heads are listed (each listing reads every head from disk). */
function countingIndex(titles: string[]): { index: SearchIndex; listed: () => number } {
  let listed = 0;
  const heads = titles.map((title, i) => ({ id: `a${i}`, title, kind: 'report' }) as ArticleHead);
  const index = {
    articleHeads() {
      listed++;
      return heads;
    },
  } as unknown as SearchIndex;
  return { index, listed: () => listed };
}

describe('/start example questions', () => {
  it('are prepared when an index loads, not on the first reader\'s /start', () => {
    const first = countingIndex(['德胜街道总工会组织职工开展植树活动']);
    const second = countingIndex(['经开区总工会开展植树志愿活动']);
    let current = first.index;
    const listeners: ((i: SearchIndex) => void)[] = [];
    const engine = {
      index: () => current,
      onIndexChange: (l: (i: SearchIndex) => void) => {
        listeners.push(l);
        return () => undefined;
      },
    };
    const log = { debug: () => undefined };
    createStartFeature({ engine, log } as unknown as BotDeps);
    expect(first.listed()).toBe(1);
    current = second.index;
    for (const l of listeners) l(second.index);
    expect(second.listed()).toBe(1);
  });

  it('a failing index does not stop the bot from starting', () => {
    const engine = {
      index: () => {
        throw new Error('no index yet');
      },
      onIndexChange: () => () => undefined,
    };
    const logged: unknown[] = [];
    expect(() => createStartFeature({ engine, log: { debug: (o: unknown) => logged.push(o) } } as unknown as BotDeps)).not.toThrow();
    expect(logged).toHaveLength(1);
  });
});
