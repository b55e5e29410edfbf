import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runScript } from '../../test/helpers.js';
import { backupState, BackupError } from './backup.js';
import { State } from './index.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-backup-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const payload = (articleId: string) => ({ articleId, file: 'f.txt', kicker: null, title: `t ${articleId}`, byline: null, keySentence: 's。', probability: 1 });

/** A state with users, subscriptions and delivery records in several statuses. */
async function populate(state: State): Promise<void> {
  for (let u = 1; u <= 30; u++) {
    await state.upsertUser({ id: u, chatId: u, languageCode: 'zh' });
    for (const topic of ['植树', '女职工', `话题${u}`]) await state.addSubscription({ userId: u, chatId: u, topic, limit: 20, currentArticleIds: [] });
  }
  const subs = await state.listSubscriptions({});
  await state.planDeliveries('run-1', [...new Set(subs.map((s) => s.userId))], subs.map((s, i) => ({ subscriptionId: s.id, articleId: `a${i}`, payload: payload(`a${i}`) })));
  const claimed = await state.claimChats('worker-1', { maxChats: 100 });
  const ids = claimed.map((d) => d.id);
  await state.markSending(ids.slice(0, 40), 'worker-1');
  await state.markSent(ids.slice(0, 30), 777);
  await state.markFailed(ids.slice(30, 35), 'boom');
  await state.markBlocked(ids.slice(35, 40), '403');
}

describe('backupState', () => {
  it('copies a live database (WAL, another connection writing meanwhile); the restored copy has every subscription and delivery', async () => {
    const dataDir = tmp();
    const live = await State.open(dataDir);
    await populate(live);
    // the bot keeps writing while the backup runs
    let writes = 0;
    const writer = setInterval(() => void live.addFeedback({ userId: 1, chatId: 1, question: `q${writes++}`, vote: 1, articleIds: [] }), 1);
    const file = path.join(tmp(), 'nested', 'baowen-backup.sqlite');
    const summary = await backupState(dataDir, file);
    clearInterval(writer);
    expect(summary).toMatchObject({ file, users: 30, subscriptions: 90, deliveries: 90 });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['baowen-backup.sqlite']); // no partial file left

    // restore as the README says: copy into an empty DATA_DIR as baowen.sqlite, open
    const restoredDir = tmp();
    fs.copyFileSync(file, path.join(restoredDir, 'baowen.sqlite'));
    const restored = await State.open(restoredDir);
    expect(await restored.listSubscriptions({})).toEqual(await live.listSubscriptions({}));
    expect(await restored.deliveries()).toEqual(await live.deliveries());
    expect(await restored.deliveries({ status: 'sent' })).toHaveLength(30);
    expect(await restored.deliveries({ status: 'blocked' })).toHaveLength(5);
    expect(await restored.getUser(7)).toEqual(await live.getUser(7));
    await restored.close();
    await live.close();

    await expect(backupState(dataDir, file)).rejects.toThrow(BackupError); // exists
    await expect(backupState(tmp(), path.join(tmp(), 'x.sqlite'))).rejects.toThrow(/no state database/u);
  });

  it('npm run backup -- FILE writes the copy and prints what it holds; no FILE → usage; PostgreSQL → pg_dump', async () => {
    const dataDir = tmp();
    const live = await State.open(dataDir);
    await populate(live);
    const file = path.join(tmp(), 'b.sqlite');
    const ok = runScript('scripts/backup.ts', [file, '--json'], { DATA_DIR: dataDir });
    await live.close();
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ subscriptions: 90, deliveries: 90, users: 30 });
    const usage = runScript('scripts/backup.ts', [], { DATA_DIR: dataDir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run backup -- FILE');
    const pg = runScript('scripts/backup.ts', [file], { DATA_DIR: dataDir, DATABASE_URL: 'postgres://u:secret-pw@127.0.0.1:1/db' });
    expect(pg.code).toBe(1);
    expect(pg.stderr).toContain('pg_dump');
    expect(pg.stderr).not.toContain('secret-pw');
  });
});
