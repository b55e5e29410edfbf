/**
 * `npm run backup -- FILE [--force] [--json]`: a consistent copy of the SQLite state database
 * (DATA_DIR/baowen.sqlite) while the bot runs, with SQLite's online backup API. With DATABASE_URL
 * (PostgreSQL) it says to use pg_dump instead. Restore: stop the
 * bot, copy FILE to DATA_DIR/baowen.sqlite (remove any baowen.sqlite-wal / -shm beside it), start.
 */
import { cliContext, parseArgs, runCli, UsageError } from '../src/cli/common.js';
import { backupState, BackupError } from '../src/state/backup.js';
import { isPostgresUrl } from '../src/state/index.js';

const USAGE = 'usage: npm run backup -- FILE [--force] [--json]   (copies DATA_DIR/baowen.sqlite while the bot runs)';

runCli(async () => {
  const args = parseArgs(process.argv.slice(2));
  if (args.flags.has('help')) return void process.stdout.write(`${USAGE}\n`);
  const [file, ...extra] = args.rest;
  if (!file || extra.length) throw new UsageError(USAGE);
  const { config } = cliContext();
  if (config.DATABASE_URL && isPostgresUrl(config.DATABASE_URL)) {
    process.stderr.write('The state is in PostgreSQL (DATABASE_URL): back it up with pg_dump --format=custom --file=baowen.dump "$DATABASE_URL" (see README, Backups and restore).\n');
    return 1;
  }
  try {
    const s = await backupState(config.dataDir, file, { force: args.flags.has('force') });
    if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(s)}\n`);
    else process.stdout.write(`backup written to ${s.file} (${s.bytes} bytes): ${s.users} users, ${s.subscriptions} subscriptions, ${s.deliveries} deliveries, ${s.updates} journal updates\n`);
  } catch (e) {
    if (!(e instanceof BackupError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
});
