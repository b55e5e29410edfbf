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

const payload = (articleId: string) => ({ articleId, file: 'f.txt', kicker: null, title: `t ${articleId}`, byline: null, keySentence: 's。', score: 1 });

/** A state with users, subscriptions and delivery records in every status. */
function populate(state: State): void {
  for (let u = 1; u <= 30; u++) {
    state.upsertUser({ id: u, chatId: u, languageCode: 'zh' });
    for (const topic of ['植树', '女职工', `话题${u}`]) state.addSubscription({ userId: u, chatId: u, topic, limit: 20, currentArticleIds: [] });
  }
  const subs = state.listSubscriptions({});
  const planned = state.planDeliveries('run-1', [...new Set(subs.map((s) => s.userId))], subs.map((s, i) => ({ subscriptionId: s.id, articleId: `a${i}`, payload: payload(`a${i}`) })));
  state.markSending(planned.slice(0, 40).map((d) => d.id));
  state.markSent(planned.slice(0, 30).map((d) => d.id), 777);
  state.markFailed(planned.slice(30, 35).map((d) => d.id), 'boom');
  state.markBlocked(planned.slice(35, 40).map((d) => d.id), '403');
}

describe('backupState', () => {
  it('copies a live database (WAL, another connection writing meanwhile); the restored copy has every subscription and delivery', async () => {
    const dataDir = tmp();
    const live = State.open(dataDir);
    populate(live);
    // the bot keeps writing while the backup runs
    let writes = 0;
    const writer = setInterval(() => live.addFeedback({ userId: 1, chatId: 1, question: `q${writes++}`, vote: 1, articleIds: [] }), 1);
    const file = path.join(tmp(), 'nested', 'baowen-backup.sqlite');
    const summary = await backupState(dataDir, file);
    clearInterval(writer);
    expect(summary).toMatchObject({ file, users: 30, subscriptions: 90, deliveries: 90 });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['baowen-backup.sqlite']); // no partial file left

    // restore as the README says: copy into an empty DATA_DIR as baowen.sqlite, open
    const restoredDir = tmp();
    fs.copyFileSync(file, path.join(restoredDir, 'baowen.sqlite'));
    const restored = State.open(restoredDir);
    expect(restored.listSubscriptions({})).toEqual(live.listSubscriptions({}));
    expect(restored.deliveries()).toEqual(live.deliveries());
    expect(restored.deliveries({ status: 'sent' })).toHaveLength(30);
    expect(restored.getUser(7)).toEqual(live.getUser(7));
    restored.close();
    live.close();

    await expect(backupState(dataDir, file)).rejects.toThrow(BackupError); // exists
    await expect(backupState(tmp(), path.join(tmp(), 'x.sqlite'))).rejects.toThrow(/no state database/u);
  });

  it('npm run backup -- FILE writes the copy and prints what it holds; no FILE → usage', () => {
    const dataDir = tmp();
    const live = State.open(dataDir);
    populate(live);
    const file = path.join(tmp(), 'b.sqlite');
    const ok = runScript('scripts/backup.ts', [file, '--json'], { DATA_DIR: dataDir });
    live.close();
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ subscriptions: 90, deliveries: 90, users: 30 });
    const usage = runScript('scripts/backup.ts', [], { DATA_DIR: dataDir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run backup -- FILE');
  });
});
