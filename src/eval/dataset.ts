/** The eval file formats (`../shared/eval/README.md`), validated with zod like every external input. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const ExpectedArticle = z.object({ file: z.string().min(1), title: z.string().min(1) });

export const EvalQuestion = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  lang: z.enum(['zh', 'en']).default('zh'),
  type: z.enum(['fact', 'who', 'number', 'paraphrase', 'multi', 'english', 'ood']),
  expected: z.array(ExpectedArticle).default([]),
  answer_contains: z.array(z.string()).default([]),
});
export type EvalQuestion = z.infer<typeof EvalQuestion>;

export const EvalTopic = z.object({ id: z.string().min(1), topic: z.string().min(1), expected: z.array(ExpectedArticle) });
export type EvalTopic = z.infer<typeof EvalTopic>;

/** Reads a JSONL file, validating each line; errors name the line. */
export function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const r = schema.safeParse(json);
    if (!r.success) throw new Error(`${file}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    out.push(r.data);
  });
  return out;
}

export { matchesExpected } from './labeled.js';
