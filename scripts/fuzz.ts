/**
 * `npm run fuzz -- --seed N --updates 3000 [--rate 60] [--json]`: the fuzz check of issue 14 against
 * `npm start` through the Bot API emulator (random 429/500 on sends, a user who blocked the bot, one
 * SIGKILL + restart halfway). Prints a table (or one JSON object) and exits 1 when a criterion fails:
 * ≥ 99.9 % of private texts answered, no handler error, no reply to another bot's chatter,
 * duplicates ≤ 0.5 %, nothing Telegram would reject, alive at the end.
 */
import { parseArgs } from 'node:util';
import { reportTable, runFuzz, type FuzzReport } from '../test/fuzz/harness.js';

export function failures(r: FuzzReport): string[] {
  const out: string[] = [];
  if (r.answeredShare < 0.999) out.push(`answered ${(r.answeredShare * 100).toFixed(2)} % < 99.9 %`);
  if (r.handlerErrors.length) out.push(`${r.handlerErrors.length} handler errors`);
  if (r.repliesToOtherBots) out.push(`${r.repliesToOtherBots} replies to another bot's chatter`);
  if (r.duplicateShare > 0.005) out.push(`duplicates ${(r.duplicateShare * 100).toFixed(2)} % > 0.5 %`);
  if (r.rejected.length) out.push(`${r.rejected.length} messages Telegram would reject`);
  if (r.callbacksAnswered < r.callbacks || r.inlineAnswered < r.inlineQueries) out.push('unanswered callback or inline queries');
  if (r.blockedSuccessfulSends) out.push('messages reached the user who blocked the bot');
  if (!r.aliveAtEnd) out.push('not alive / not correct at the end');
  return out;
}

const { values } = parseArgs({
  options: {
    seed: { type: 'string', multiple: true, default: ['1'] },
    updates: { type: 'string', default: '3000' },
    rate: { type: 'string', default: '60' },
    json: { type: 'boolean', default: false },
  },
});

const reports: FuzzReport[] = [];
for (const seed of values.seed) {
  reports.push(
    await runFuzz({
      seed: Number(seed),
      updates: Number(values.updates),
      rate: Number(values.rate),
      progress: (l) => process.stderr.write(`[fuzz ${seed}] ${l}\n`),
    }),
  );
}
if (values.json) process.stdout.write(`${JSON.stringify(reports.map((r) => ({ ...r, handlerErrors: r.handlerErrors.slice(0, 20), rejected: r.rejected.slice(0, 20) })), null, 2)}\n`);
else process.stdout.write(`${reportTable(reports)}\n`);
let bad = false;
for (const r of reports) {
  const f = failures(r);
  if (f.length) {
    bad = true;
    process.stderr.write(`seed ${r.seed} FAILED: ${f.join('; ')}\n`);
    for (const l of [...r.handlerErrors.slice(0, 5), ...r.rejected.slice(0, 5)]) process.stderr.write(`  ${l.slice(0, 400)}\n`);
  }
  for (const d of r.duplicateDetails) process.stderr.write(`seed ${r.seed} duplicate: ${d}\n`);
}
process.exit(bad ? 1 : 0);
