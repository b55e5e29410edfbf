/**
 * SQuAD-format reading-comprehension sets (`../shared/eval/external/README.md`) as a corpus the
 * product can be measured on: each paragraph becomes one article (`# title` + paragraph) in its own
 * page file, a seeded fifth of the paragraphs is left out (their questions must be refused), and
 * every question is labelled by its paragraph's file and its gold answer strings.
 */
import { readFileSync } from 'node:fs';
import * as OpenCC from 'opencc-js';
import { z } from 'zod';
import { seededShuffle } from './split.js';
import type { LabeledQuestion } from './labeled.js';

const SquadFile = z.object({
  data: z.array(
    z.object({
      title: z.string(),
      paragraphs: z.array(
        z.object({
          context: z.string(),
          qas: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), question: z.string(), answers: z.array(z.object({ text: z.string() })).default([]) })),
        }),
      ),
    }),
  ),
});

export interface SquadCorpus {
  /** Page files to index: `{ file, content }`. */
  pages: { file: string; content: string }[];
  questions: LabeledQuestion[];
  /** Paragraph files left out of the corpus. */
  leftOut: string[];
}

export interface SquadOptions {
  /** Share of paragraphs left out of the corpus (their questions must be refused). */
  leftOut?: number;
  seed?: number;
  /** Convert traditional Chinese to simplified (DRCD). Default: detected from the text. */
  toSimplified?: boolean;
  /** Keep only the first N paragraphs (tests, quick runs). */
  limit?: number;
}

let t2s: ((s: string) => string) | null = null;
function simplify(s: string): string {
  const conv = (t2s ??= OpenCC.Converter({ from: 'tw', to: 'cn' }));
  return conv(s);
}

/** Traditional text has characters like 們/這/會/為 that simplified text never uses. */
function looksTraditional(sample: string): boolean {
  const trad = sample.match(/[們這會為個來說時國學發與對經當關於]/gu)?.length ?? 0;
  const simp = sample.match(/[们这会为个来说时国学发与对经当关于]/gu)?.length ?? 0;
  return trad > simp;
}

/** A paragraph's text as one page line: newlines inside a paragraph would start new paragraphs. */
function oneLine(s: string): string {
  return s.replace(/\s*\n+\s*/gu, ' ').trim();
}

export function readSquad(file: string, opts: SquadOptions = {}): SquadCorpus {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a readable JSON file (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = SquadFile.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: not SQuAD format: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return squadCorpus(parsed.data, opts);
}

export function squadCorpus(data: z.infer<typeof SquadFile>, opts: SquadOptions = {}): SquadCorpus {
  const paragraphs = data.data.flatMap((a) => a.paragraphs.map((p) => ({ title: a.title, ...p })));
  const sample = paragraphs.slice(0, 20).map((p) => p.context).join('');
  const conv = (opts.toSimplified ?? looksTraditional(sample)) ? simplify : (s: string): string => s;
  const kept = opts.limit ? paragraphs.slice(0, opts.limit) : paragraphs;
  const width = String(kept.length).length;
  const files = kept.map((_, i) => `p${String(i + 1).padStart(width, '0')}.txt`);
  const order = seededShuffle(files.map((_, i) => i), opts.seed ?? 1);
  const out = new Set(order.slice(0, Math.round((opts.leftOut ?? 0.2) * kept.length)));
  const pages: SquadCorpus['pages'] = [];
  const questions: LabeledQuestion[] = [];
  kept.forEach((p, i) => {
    const file = files[i] as string;
    const inCorpus = !out.has(i);
    if (inCorpus) pages.push({ file, content: `# ${oneLine(conv(p.title))}\n\n${oneLine(conv(p.context))}\n` });
    for (const qa of p.qas) {
      const answers = [...new Set(qa.answers.map((a) => oneLine(conv(a.text))).filter(Boolean))];
      if (inCorpus && answers.length === 0) continue;
      questions.push({
        id: qa.id,
        question: conv(qa.question).trim(),
        type: inCorpus ? 'fact' : 'ood',
        expectedFiles: inCorpus ? [file] : [],
        expected: [],
        answers: inCorpus ? answers : [],
        answerMode: 'any',
        group: file,
      });
    }
  });
  return { pages, questions, leftOut: [...out].map((i) => files[i] as string) };
}
