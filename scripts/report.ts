/**
 * What readers asked — the editors' report from the question log (DATA_DIR, or DATABASE_URL):
 *
 *   npm run report                 last 30 days, readable
 *   npm run report -- --days 7     another window
 *   npm run report -- --json       {"questions","answered","refused","topRefused":[{"question","count"}],
 *                                   "feedback":{"up","down","down_examples":[{"question","quote"}]},
 *                                   "topics":[{"topic","subscribers"}], …}   (answered/refused: shares 0…1)
 */
import { questionLogFor, State } from '../src/state/index.js';
import { cliContext, parseArgs, runCli, UsageError } from '../src/cli/common.js';

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ['days']);
  if (args.flags.has('help')) {
    process.stdout.write('usage: npm run report -- [--days N] [--json]\n');
    return 0;
  }
  const rawDays = args.values.get('days') ?? '30';
  const days = Number(rawDays);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError(`--days ${rawDays}: a whole number of days from 1 to 3650`);
  const { config } = cliContext();
  const state = await State.open(config.stateTarget);
  try {
    const log = questionLogFor(state, config);
    if (!log.enabled) throw new UsageError('the question log is off (QUESTION_LOG_DAYS=0)');
    const r = await log.report({ days });
    if (args.flags.has('json')) {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return 0;
    }
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    const out = [`What readers asked — last ${days} days`, `questions ${r.questions} · answered ${pct(r.answered)} (${r.answeredCount}) · refused ${pct(r.refused)} (${r.refusedCount})`, ''];
    out.push('Most frequent refused questions (the reports did not answer):');
    out.push(...(r.topRefused.length ? r.topRefused.map((q) => `  ${String(q.count).padStart(4)}×  ${q.question}`) : ['  —']));
    out.push('', `Feedback: 👍 ${r.feedback.up} · 👎 ${r.feedback.down}`);
    for (const d of r.feedback.down_examples) out.push(`  👎 ${d.question}${d.quote ? `\n       「${d.quote}」` : ''}`);
    out.push('', 'Most followed topics:');
    out.push(...(r.topics.length ? r.topics.map((t) => `  ${String(t.subscribers).padStart(4)}  ${t.topic}`) : ['  —']));
    out.push('', `Questions per day: ${r.perDay.map((d) => d.questions).join(' ')}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await state.close();
  }
});
