/**
 * `npm run fuzz -- --seed N --updates 3000 [--rate 60] [--json]`: the fuzz check of issue 14 against
 * `npm start` through the Bot API emulator (random 429/500 on sends, a user who blocked the bot, one
 * SIGKILL + restart halfway). Prints a table (or one JSON object) and exits 1 when a criterion fails:
 * ≥ 99.9 % of private texts answered, no handler error, no reply to another bot's chatter,
 * duplicates ≤ 0.5 %, nothing Telegram would reject, alive at the end.
 */
import { parseArgs } from 'node:util';
import { failures, reportTable, runFuzz, type FuzzReport } from '../test/fuzz/harness.js';

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
