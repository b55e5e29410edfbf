/** The machine shape of an Answer printed by `npm run ask -- --json` (documented in the README). */
import { sourceDetails } from '../citation.js';
import { headlineOf, type Answer, type ArticleMeta } from '../types.js';

export interface AnswerJson {
  id?: string;
  question: string;
  answered: boolean;
  /** Probability that the best quote answers the question (absent for fixed refusals). */
  confidence?: number;
  mode: Answer['mode'];
  quotes: { text: string; source: number }[];
  /** `meta`: paper, date, page, url from the page's front matter (absent without). */
  sources: { n: number; articleId: string; file: string; title: string; byline: string | null; probability: number; meta?: ArticleMeta }[];
}

export function answerToJson(a: Answer, id?: string): AnswerJson {
  return {
    ...(id !== undefined ? { id } : {}),
    question: a.question,
    answered: a.answered,
    ...(a.confidence !== undefined ? { confidence: a.confidence } : {}),
    mode: a.mode,
    quotes: a.quotes.map((q) => ({ text: q.text, source: q.source })),
    // `title` is the whole headline block (kicker + main line), as readers and the eval files name articles.
    sources: a.citations.map((c) => ({ n: c.n, articleId: c.articleId, file: c.file, title: headlineOf(c), byline: c.byline, probability: c.probability, ...(c.meta ? { meta: c.meta } : {}) })),
  };
}

/** Plain text for a terminal: quotes with [n], then the sources. */
export function answerToText(a: Answer): string {
  if (!a.answered) {
    return a.refusal === 'needs-model'
      ? '没有找到可引用的报道原文。英文提问需要多语言模型（当前为关键词检索模式）。\nNo quotable passage found: English questions need the multilingual model (keyword-only mode).'
      : '没有在报道中找到能回答这个问题的原文。可以换个说法，或问问报道涉及的单位、活动、数字。\nNo report answers this question.';
  }
  const lines = a.quotes.map((q) => `「${q.text}」[${q.source}]`);
  lines.push('', '来源 Sources:');
  for (const c of a.citations) {
    const details = sourceDetails(c, 'zh');
    lines.push(`[${c.n}] ${headlineOf(c)}${details ? ` — ${details}` : ''}${c.meta?.url ? `\n    ${c.meta.url}` : ''}`);
  }
  return lines.join('\n');
}
