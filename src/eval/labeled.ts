/**
 * One shape for every labelled question, whatever file it came from: the dev-format JSONL
 * (`expected` articles by file + headline substring, every `answer_contains` string) and SQuAD sets
 * (the paragraph's file, any gold answer string). Eval scoring and ranker training both read it.
 */
import { headlineOf, type Article } from '../types.js';
import type { EvalQuestion } from './dataset.js';

export interface LabeledQuestion {
  id: string;
  question: string;
  type: EvalQuestion['type'];
  /** Dev format: articles named by file + headline substring. */
  expected: { file: string; title: string }[];
  /** SQuAD format: the question's paragraph file. */
  expectedFiles: string[];
  /** Strings a right quote contains. */
  answers: string[];
  /** `all`: every string must be quoted (dev format); `any`: one gold answer suffices (SQuAD). */
  answerMode: 'all' | 'any';
  /** Questions about the same text share a group, so splits never put one text on both sides. */
  group: string;
}

export function fromEvalQuestion(q: EvalQuestion): LabeledQuestion {
  return {
    id: q.id,
    question: q.question,
    type: q.type,
    expected: q.expected,
    expectedFiles: [],
    answers: q.answer_contains,
    answerMode: 'all',
    group: q.id,
  };
}

/** An expected entry names an article by page file and a substring of its headline block. */
export function matchesExpected(a: Pick<Article, 'file' | 'kicker' | 'title'>, e: { file: string; title: string }): boolean {
  if (a.file !== e.file) return false;
  const blocks = [a.title, headlineOf(a), `${a.kicker ?? ''}${a.title}`];
  return blocks.some((b) => b.includes(e.title));
}

export function isExpectedArticle(q: LabeledQuestion, a: Pick<Article, 'file' | 'kicker' | 'title'>): boolean {
  return q.expectedFiles.includes(a.file) || q.expected.some((e) => matchesExpected(a, e));
}

export function answerable(q: LabeledQuestion): boolean {
  return q.type !== 'ood' && (q.expected.length > 0 || q.expectedFiles.length > 0);
}

/** The quoted text answers the question (all strings, or any one, by the set's rule). */
export function containsAnswer(q: LabeledQuestion, quoted: string): boolean {
  if (q.answers.length === 0) return false;
  return q.answerMode === 'all' ? q.answers.every((s) => quoted.includes(s)) : q.answers.some((s) => quoted.includes(s));
}

/** A sentence is a right answer on its own when it contains one of the answer strings (training label). */
export function sentenceAnswers(q: LabeledQuestion, a: Pick<Article, 'file' | 'kicker' | 'title'>, sentence: string): boolean {
  return isExpectedArticle(q, a) && q.answers.some((s) => sentence.includes(s));
}
