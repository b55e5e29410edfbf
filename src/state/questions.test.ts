import { afterEach, describe, expect, it } from 'vitest';
import { normalizeQuestion, QuestionLog } from './questions.js';
import { BACKENDS, freshTarget, type TestTarget } from '../../test/backends.js';
import type { State } from './index.js';
import type { Answer } from '../types.js';

const refused = (question: string): Answer => ({ question, answered: false, mode: 'keyword', quotes: [], citations: [], refusal: 'weak-evidence' });
const answered = (question: string, quote = '近日，西城区德胜街道总工会组织开展植树活动。'): Answer => ({
  question,
  answered: true,
  mode: 'keyword',
  quotes: [{ text: quote, source: 1, articleId: 'a', start: 0, end: quote.length }],
  citations: [],
});

const open: { target: TestTarget; state: State }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.state.close();
    o.target.cleanup();
  }
});

describe.each(BACKENDS)('QuestionLog (%s)', (backend) => {
  async function setup(opts: { secret?: string; retentionDays?: number } = {}) {
    const target = freshTarget(backend);
    const state = await target.open();
    open.push({ target, state });
    let now = Date.parse('2026-03-12T08:00:00Z');
    const log = new QuestionLog(state.db, { secret: opts.secret ?? 'test-secret-0123456789', retentionDays: opts.retentionDays ?? 90, now: () => now });
    return { state, log, advance: (ms: number) => (now += ms) };
  }

  it('stores a keyed hash of the user, never the id; without a secret no user key at all', async () => {
    const { state, log } = await setup();
    await log.record({ userId: 123456789, chatType: 'private', answer: refused('北京天气？'), answerKey: 'k1' });
    const row = (await state.db.get<Record<string, unknown>>('SELECT * FROM question_log'))!;
    expect(JSON.stringify(row)).not.toContain('123456789');
    expect(row.user_hash).toMatch(/^[0-9a-f]{64}$/u);
    expect(row.user_hash).toBe(log.userHash(123456789));
    expect(new QuestionLog(state.db, { secret: 'another-secret-xyz', retentionDays: 90 }).userHash(123456789)).not.toBe(row.user_hash);
    expect(new QuestionLog(state.db, { retentionDays: 90 }).userHash(123456789)).toBeNull();
  });

  it('report: counts and shares, refused questions grouped after folding, 👎 with their question, topics by subscribers', async () => {
    const { state, log } = await setup();
    await log.record({ userId: 1, chatType: 'private', answer: refused('北京今天天气怎么样？'), answerKey: 'a1' });
    await log.record({ userId: 2, chatType: 'group', answer: refused('北京今天天气怎么样?'), answerKey: 'a2' });
    await log.record({ userId: 3, chatType: 'private', answer: refused('石景山区有什么活动'), answerKey: 'a3' });
    await log.record({ userId: 1, chatType: 'private', answer: answered('哪些工会组织植树？'), answerKey: 'a4' });
    await log.record({ userId: 1, chatType: 'private', answer: answered('通州区发展了多少会员？', '开展企业沟通会207场次。'), answerKey: 'a5' });
    await log.recordVote('a4', 1);
    await log.recordVote('a5', 1);
    await log.recordVote('a5', -1); // the last vote counts
    await state.upsertUser({ id: 7, chatId: 7 });
    await state.upsertUser({ id: 8, chatId: 8 });
    for (const [u, t] of [[7, '植树'], [8, '植树'], [8, '女职工']] as const) await state.addSubscription({ userId: u, chatId: u, topic: t, limit: 20, currentArticleIds: [] });
    const r = await log.report({ days: 30 });
    expect(r).toMatchObject({ questions: 5, answered: 0.4, refused: 0.6, answeredCount: 2, refusedCount: 3 });
    expect(r.topRefused).toEqual([
      { question: expect.stringMatching(/^北京今天天气怎么样[?？]$/u), count: 2 },
      { question: '石景山区有什么活动', count: 1 },
    ]);
    expect(r.feedback).toEqual({ up: 1, down: 1, down_examples: [{ question: '通州区发展了多少会员？', quote: '开展企业沟通会207场次。' }] });
    expect(r.topics).toEqual([{ topic: '植树', subscribers: 2 }, { topic: '女职工', subscribers: 1 }]);
    expect(r.perDay).toHaveLength(30);
    expect(r.perDay.at(-1)).toEqual({ day: '2026-03-12', questions: 5, refused: 3 });
  });

  it('rows older than the retention are pruned; 0 days turns the log off', async () => {
    const { state, log, advance } = await setup({ retentionDays: 2 });
    await log.record({ userId: 1, chatType: 'private', answer: refused('旧问题'), answerKey: 'old' });
    advance(3 * 86_400_000);
    await log.record({ userId: 1, chatType: 'private', answer: refused('新问题'), answerKey: 'new' });
    const rows = await state.db.all<{ question: string }>('SELECT question FROM question_log');
    expect(rows.map((r) => r.question)).toEqual(['新问题']);
    const off = await setup({ retentionDays: 0 });
    await off.log.record({ userId: 1, chatType: 'private', answer: refused('x'), answerKey: 'x' });
    expect(Number((await off.state.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM question_log'))!.n)).toBe(0);
  });

});

it('normalizeQuestion folds width, case, spaces and end punctuation', () => {
  expect(normalizeQuestion(' 北京  天气？ ')).toBe(normalizeQuestion('北京 天气?'));
  expect(normalizeQuestion('ＷＨＯ is it!!')).toBe('who is it');
});
