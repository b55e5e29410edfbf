/**
 * Test fixture (not app code): runs one delivery round in its own process so a test can kill it
 * with SIGKILL right after Telegram "accepted" a message and before the ledger recorded it.
 *
 *   node --import tsx test/digest/crash-fixture.ts TARGET LOG_DIR crash|resume
 *
 * TARGET is what State.open takes (a data directory, or a postgres:// URL with ?schema=…).
 * Every accepted send appends the chat id to LOG_DIR/sends.log (synchronously, before the kill).
 * `crash`: 4 subscribers, one new article; the process kills itself inside chat 2's send.
 * `resume`: a fresh process runs the next round and prints its report as JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { State } from '../../src/state/index.js';
import { runDeliveryRound, type DigestApi } from '../../src/digest/deliver.js';
import { FakeEngine, fakeArticle } from './fakes.js';

const [target, dir, mode] = process.argv.slice(2);
if (!target || !dir || (mode !== 'crash' && mode !== 'resume')) throw new Error('usage: crash-fixture.ts TARGET LOG_DIR crash|resume');

const state = await State.open(target);
const engine = new FakeEngine([fakeArticle('old-1', '德胜街道植树')]);
if (mode === 'crash') {
  for (const u of [1, 2, 3, 4]) {
    await state.upsertUser({ id: u, chatId: u });
    await state.addSubscription({ userId: u, chatId: u, topic: '植树', limit: 20, currentArticleIds: engine.articles.keys() });
  }
}
engine.add(fakeArticle('new-1', '经开区总工会开展植树志愿活动'));

let nextId = 100;
const api: DigestApi = {
  async sendMessage(chatId) {
    fs.appendFileSync(path.join(dir, 'sends.log'), `${chatId}\n`);
    if (mode === 'crash' && chatId === 2) process.kill(process.pid, 'SIGKILL');
    return { message_id: nextId++ };
  },
};

const report = await runDeliveryRound({
  engine,
  state,
  api,
  log: pino({ level: 'silent' }),
  config: { BROADCAST_PER_SECOND: 1000, DEFAULT_LANG: 'zh' },
  reason: mode === 'crash' ? 'schedule' : 'resume',
});
process.stdout.write(JSON.stringify(report));
await state.close();
