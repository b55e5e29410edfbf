/**
 * npm run eval -- FILE.jsonl [--json]
 * Citation hit@1/hit@3, multi recall, answer-contains, ood refusal, quote fidelity, latency — per type and overall.
 */
import { cliContext, parseArgs, runCli, UsageError } from '../src/cli/common.js';
import { createEngine } from '../src/engine.js';
import { EvalQuestion, readJsonl } from '../src/eval/dataset.js';
import { formatReport, report, scoreItem } from '../src/eval/score.js';

runCli(async () => {
  const args = parseArgs(process.argv.slice(2));
  const file = args.rest[0];
  if (!file) throw new UsageError('usage: npm run eval -- FILE.jsonl [--json] [--verbose]');
  const questions = readJsonl(file, EvalQuestion);
  const { config, log } = cliContext();
  const engine = await createEngine(config, log, { buildIfMissing: true, pollMs: 0 });
  try {
    const articles = engine.index().articles;
    const items = [];
    for (const q of questions) {
      const t0 = performance.now();
      const a = await engine.ask(q.question);
      const ms = performance.now() - t0;
      const item = scoreItem(q, a, articles, ms);
      items.push(item);
      if (args.flags.has('verbose')) {
        const cited = a.citations.map((c) => c.title.slice(0, 14)).join(' | ');
        process.stderr.write(
          `${q.id} ${q.type.padEnd(10)} ${item.answered ? 'ANS' : 'REF'} h1=${+item.hit1} h3=${+item.hit3} c=${+item.contains} ${cited}\n` +
            a.quotes.map((x) => `      [${x.source}] ${x.text.slice(0, 90)}\n`).join(''),
        );
      }
    }
    const r = report(items);
    const status = engine.status();
    if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ mode: status.mode, ...r })}\n`);
    else process.stdout.write(`mode: ${status.mode} · ${questions.length} questions · ${file}\n\n${formatReport(r)}\n`);
    return 0;
  } finally {
    await engine.close();
  }
});
