/**
 * Test doubles for the bot: a fake Engine with canned answers over a tiny hand-written index
 * (State: the real one, `State.open(':memory:')`).
 *
 * Canned questions (substring match, first wins):
 * - contains "boom"     → engine.ask throws (error boundary)
 * - contains "<b>"      → an answer quoting a sentence that itself contains "<b>加粗</b>"
 * - contains "长" / "long" → an answer long enough to need several messages
 * - contains "会员"      → a two-source answer whose quotes contain <, &, and quotes
 * - anything else       → a refusal (`needs-model` for English in keyword mode, as the real engine)
 */
import type { Explanation } from '../../src/rank/explain.js';
import { detectLang } from '../../src/rank/question.js';
import type { Engine, EngineStatus, IndexSummary, TopicMatch } from '../../src/engine.js';
import type { IndexManifest, SearchIndex } from '../../src/store/types.js';
import type { Answer, Article, Chunk, Citation, Quote, SearchMode } from '../../src/types.js';

export function makeArticle(p: Partial<Article> & { id: string; file: string; title: string; paragraphs: string[] }): Article {
  return {
    position: 0,
    kicker: null,
    byline: null,
    reporters: [],
    correspondents: [],
    photographers: [],
    kind: 'report',
    hash: `h-${p.id}`,
    text: p.paragraphs.join('\n'),
    ...p,
  };
}

const LONG_SENTENCE = '北京市总工会持续推进“会站家”一体化建设，为新就业形态劳动者提供暖心服务，累计服务职工超过十万人次。';

export const ARTICLES: Article[] = [
  makeArticle({
    id: '001_aaaa1111-0a1b2c3d',
    file: '001_aaaa1111.txt',
    position: 0,
    kicker: '深入学习贯彻 <党的二十大> 精神',
    title: '通州区工会“双沟通” & 会员发展',
    byline: '记者 王路曼 通讯员 于佳慧',
    reporters: ['王路曼'],
    correspondents: ['于佳慧'],
    paragraphs: [
      '本报讯（记者 王路曼）通州区总工会召开2024年工作部署会。',
      '去年全区新建工会组织92家，吸纳工会会员14708人（含<新就业形态>劳动者）。会上还表彰了先进集体。',
      '“我们将继续推动 A&B 两类企业建会，”负责人说。这是第三段的最后一句。',
    ],
  }),
  makeArticle({
    id: '002_bbbb2222-1a2b3c4d',
    file: '002_bbbb2222.txt',
    position: 0,
    kicker: null,
    title: '顺义区总工会持续推动“双沟通”提质增效',
    byline: '记者 周美玉',
    reporters: ['周美玉'],
    paragraphs: ['顺义区总工会积极深入基层参加职工沟通会。', '网页里写着 <b>加粗</b> 这样的字样也要原样显示。'],
  }),
  makeArticle({
    id: '002_bbbb2222-9f8e7d6c',
    file: '002_bbbb2222.txt',
    position: 1,
    title: '春日劳动美',
    kind: 'photo',
    paragraphs: ['职工在公园植树。'],
  }),
  makeArticle({
    id: '003_cccc3333-5e6f7a8b',
    file: '003_cccc3333.txt',
    position: 0,
    kicker: '服务职工',
    title: '“会站家”一体化建设让服务更暖心',
    byline: '记者 李四',
    paragraphs: Array.from({ length: 12 }, () => LONG_SENTENCE.repeat(10)),
  }),
];

function quote(article: Article, sentence: string, source: number): Quote {
  const start = article.text.indexOf(sentence);
  if (start < 0) throw new Error(`fake: "${sentence}" not in ${article.id}`);
  return { text: sentence, source, articleId: article.id, start, end: start + sentence.length };
}

function citation(article: Article, n: number): Citation {
  return { n, articleId: article.id, file: article.file, title: article.title, kicker: article.kicker, byline: article.byline, kind: article.kind, probability: 1 / n };
}

const [A1, A2, , A3] = ARTICLES as [Article, Article, Article, Article];

export function cannedAnswer(question: string, mode: SearchMode): Answer {
  const base = { question, mode };
  if (question.includes('<b>')) {
    return { ...base, answered: true, quotes: [quote(A2, '网页里写着 <b>加粗</b> 这样的字样也要原样显示。', 1)], citations: [citation(A2, 1)] };
  }
  if (question.includes('长') || /long/iu.test(question)) {
    const quotes = A3.paragraphs.map((p) => quote(A3, p, 1));
    return { ...base, answered: true, quotes, citations: [citation(A3, 1)] };
  }
  if (question.includes('会员')) {
    return {
      ...base,
      answered: true,
      quotes: [
        quote(A1, '去年全区新建工会组织92家，吸纳工会会员14708人（含<新就业形态>劳动者）。', 1),
        quote(A1, '“我们将继续推动 A&B 两类企业建会，”负责人说。', 1),
        quote(A2, '顺义区总工会积极深入基层参加职工沟通会。', 2),
      ],
      citations: [citation(A1, 1), citation(A2, 2)],
    };
  }
  // As the real engine: English with no model to bridge it to the Chinese reports is its own refusal.
  const refusal = mode === 'keyword' && detectLang(question) === 'en' ? 'needs-model' : 'no-match';
  return { ...base, answered: false, quotes: [], citations: [], refusal };
}

export function makeIndex(articles: Article[] = ARTICLES, mode: SearchMode = 'keyword'): SearchIndex {
  const chunks = new Map<number, Chunk>();
  let id = 0;
  for (const a of articles) chunks.set(id, { id: id++, articleId: a.id, ordinal: 0, start: 0, end: a.text.length, text: a.text, tokens: a.text.length });
  const manifest = { formatVersion: 1, chunkerVersion: 1, mode, model: null, modelError: null, hnsw: null, dense: null, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', nextChunkId: id, files: {}, articles: {} } satisfies IndexManifest;
  return {
    dir: '/tmp/fake-index',
    manifest,
    mode,
    articles: new Map(articles.map((a) => [a.id, a])),
    chunks,
    chunksOf: (articleId) => [...chunks.values()].filter((c) => c.articleId === articleId),
    articleHeads: () => articles,
    keywordSearch: () => [],
    keywordDocCount: () => chunks.size,
    keywordDf: () => 0,
    denseSearch: () => [],
    sentenceVector: () => null,
    denseStats: null,
  };
}

export class FakeEngine implements Engine {
  mode: SearchMode = 'keyword';
  modelError: string | null = 'Could not load Xenova/multilingual-e5-small: <offline> & no cache';
  readonly asked: string[] = [];
  /** Set to hold reindex() until released. */
  reindexGate: Promise<void> | null = null;
  reindexCalls = 0;
  private current = makeIndex();
  private readonly listeners = new Set<(i: ReturnType<FakeEngine['index']>) => void>();

  index(): SearchIndex {
    return this.current;
  }

  async explain(question: string): Promise<Explanation> {
    return { question, confidence: 0, threshold: 0.5, answered: false, confidenceContributions: [], extension: [], candidates: [] };
  }

  async ask(question: string): Promise<Answer> {
    this.asked.push(question);
    if (question.includes('boom')) throw new Error('engine exploded (token 123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx)');
    return cannedAnswer(question, this.mode);
  }

  async matchTopic(): Promise<TopicMatch[]> {
    return [];
  }

  status(): EngineStatus {
    const files = new Set([...this.current.articles.values()].map((a) => a.file));
    return {
      mode: this.mode,
      model: 'Xenova/multilingual-e5-small',
      modelError: this.mode === 'keyword' ? this.modelError : null,
      pages: files.size,
      articles: this.current.articles.size,
      chunks: this.current.chunks.size,
      indexedAt: '2024-03-01T08:00:00.000Z',
    };
  }

  async reindex(): Promise<IndexSummary> {
    this.reindexCalls++;
    if (this.reindexGate) await this.reindexGate;
    this.current = makeIndex(ARTICLES, this.mode);
    for (const l of this.listeners) l(this.current);
    return { mode: this.mode, articles: ARTICLES.length, chunks: this.current.chunks.size, added: 1, changed: 2, removed: 0, unchanged: 1, embedded: 0, skipped: [{ file: 'bad<page>.txt', error: 'no headline & no body' }] };
  }

  onIndexChange(listener: (index: SearchIndex) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {}
}
