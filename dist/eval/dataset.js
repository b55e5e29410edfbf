/** The eval file formats (`../shared/eval/README.md`), validated with zod like every external input. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { headlineOf } from '../types.js';
export const ExpectedArticle = z.object({ file: z.string().min(1), title: z.string().min(1) });
export const EvalQuestion = z.object({
    id: z.string().min(1),
    question: z.string().min(1),
    lang: z.enum(['zh', 'en']).default('zh'),
    type: z.enum(['fact', 'who', 'number', 'paraphrase', 'multi', 'english', 'ood']),
    expected: z.array(ExpectedArticle).default([]),
    answer_contains: z.array(z.string()).default([]),
});
export const EvalTopic = z.object({ id: z.string().min(1), topic: z.string().min(1), expected: z.array(ExpectedArticle) });
/** Reads a JSONL file, validating each line; errors name the line. */
export function readJsonl(file, schema) {
    const lines = readFileSync(file, 'utf8').split('\n');
    const out = [];
    lines.forEach((line, i) => {
        if (!line.trim())
            return;
        let json;
        try {
            json = JSON.parse(line);
        }
        catch {
            throw new Error(`${file}:${i + 1}: not valid JSON`);
        }
        const r = schema.safeParse(json);
        if (!r.success)
            throw new Error(`${file}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
        out.push(r.data);
    });
    return out;
}
/** An expected entry names an article by page file and a substring of its headline block. */
export function matchesExpected(a, e) {
    if (a.file !== e.file)
        return false;
    const blocks = [a.title, headlineOf(a), `${a.kicker ?? ''}${a.title}`];
    return blocks.some((b) => b.includes(e.title));
}
//# sourceMappingURL=dataset.js.map