/**
 * npm run ask -- "问题"                  the answer as a person reads it
 * npm run ask -- --json "问题"           one JSON object
 * npm run ask -- --batch FILE.jsonl --json   one object per line ({"id","question"} in), index loaded once
 * npm run ask -- --explain [--json] "问题"  the ranked candidates with each feature's contribution
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { answerToJson, answerToText } from '../src/answer/json.js';
import { cliContext, parseArgs, runCli, UsageError } from '../src/cli/common.js';
import { createEngine } from '../src/engine.js';
import { explanationToText } from '../src/rank/explain.js';

const BatchLine = z.object({ id: z.union([z.string(), z.number()]).transform(String), question: z.string() });

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ['batch']);
  if (args.flags.has('help')) {
    process.stdout.write('usage: npm run ask -- [--json] [--explain] "问题" | --batch FILE.jsonl --json\n');
    return 0;
  }
  const json = args.flags.has('json');
  const batch = args.values.get('batch');
  const question = args.rest.join(' ').trim();
  if (!batch && !question) throw new UsageError('usage: npm run ask -- [--json] "问题"   (or --batch FILE.jsonl --json)');

  const { config, log } = cliContext();
  const engine = await createEngine(config, log, { buildIfMissing: true, pollMs: 0 });
  try {
    if (batch) {
      const lines = readFileSync(batch, 'utf8').split('\n');
      for (const [i, line] of lines.entries()) {
        if (!line.trim()) continue;
        let item: z.infer<typeof BatchLine>;
        try {
          item = BatchLine.parse(JSON.parse(line));
        } catch {
          process.stderr.write(`${batch}:${i + 1}: skipped (need {"id","question"})\n`);
          continue;
        }
        const a = await engine.ask(item.question);
        process.stdout.write(json ? `${JSON.stringify(answerToJson(a, item.id))}\n` : `# ${item.id} ${item.question}\n${answerToText(a)}\n\n`);
      }
      return 0;
    }
    if (args.flags.has('explain')) {
      const e = await engine.explain(question);
      process.stdout.write(json ? `${JSON.stringify(e)}\n` : `${explanationToText(e)}\n`);
      return 0;
    }
    const a = await engine.ask(question);
    process.stdout.write(json ? `${JSON.stringify(answerToJson(a))}\n` : `${answerToText(a)}\n`);
    return 0;
  } finally {
    await engine.close();
  }
});
