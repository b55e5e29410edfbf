/**
 * Topic digests from the command line (thin over src/digest):
 *   npm run --silent digest -- --match "话题" [--json]     every indexed article matching, best first (no delivery)
 *   npm run --silent digest -- --eval FILE.jsonl [--json]  precision/recall of topic matching
 *   npm run digest -- --send                               one delivery round now (BOT_TOKEN, TELEGRAM_API_ROOT)
 * `--keyword` forces keyword-only matching (no embedding model).
 */
import { Api } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { htmlByDefault } from '../src/bot/html-default.js';
import { cliContext, parseArgs, runCli, UsageError } from '../src/cli/common.js';
import { requireBotToken } from '../src/config.js';
import { createEngine } from '../src/engine.js';
import { runDeliveryRound } from '../src/digest/deliver.js';
import { evaluateTopics } from '../src/digest/topic-eval.js';
import { State } from '../src/state/index.js';

const USAGE = 'usage: npm run digest -- --match "话题" [--json] | --eval FILE.jsonl [--json] | --send   [--keyword]';
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), ['match', 'eval']);
  if (args.flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const json = args.flags.has('json');
  const topic = args.values.get('match');
  const evalFile = args.values.get('eval');
  const send = args.flags.has('send');
  if ([topic, evalFile, send || undefined].filter((x) => x !== undefined).length !== 1) throw new UsageError(USAGE);

  const { config, log } = cliContext();
  const token = send ? requireBotToken(config) : undefined; // fail before loading anything
  const engine = await createEngine(config, log, {
    buildIfMissing: true,
    pollMs: 0,
    ...(args.flags.has('keyword')
      ? { embedder: { ok: false as const, modelId: config.EMBED_MODEL, reason: 'keyword-only (--keyword)' } }
      : {}),
  });
  try {
    if (topic !== undefined) {
      const matches = await engine.matchTopic(topic);
      if (json) {
        const articles = matches.map((m) => ({
          articleId: m.article.id,
          file: m.article.file,
          title: m.article.kicker ? `${m.article.kicker} ${m.article.title}` : m.article.title,
          probability: m.probability,
        }));
        process.stdout.write(`${JSON.stringify({ topic, articles })}\n`);
      } else {
        for (const m of matches) {
          const head = m.article.kicker ? `【${m.article.kicker}】${m.article.title}` : m.article.title;
          process.stdout.write(`${m.probability.toFixed(3)}  ${m.article.file}  ${head}\n        「${m.keySentence}」\n`);
        }
        process.stdout.write(`\n${matches.length} article(s) match “${topic}” (${engine.status().mode})\n`);
      }
      return 0;
    }

    if (evalFile !== undefined) {
      const r = await evaluateTopics(engine, evalFile);
      if (json) {
        process.stdout.write(`${JSON.stringify({ mode: engine.status().mode, ...r })}\n`);
      } else {
        for (const t of r.perTopic) {
          process.stdout.write(`${t.id.padEnd(4)} P ${pct(t.precision).padStart(6)}  R ${pct(t.recall).padStart(6)}  ${t.topic}\n`);
          for (const g of t.got) process.stdout.write(`       ${g.relevant ? '✓' : '✗'} ${g.probability.toFixed(3)} ${g.file} ${g.title}\n`);
          for (const e of t.expected.filter((x) => !x.found)) process.stdout.write(`       ∅ missed ${e.file} ${e.title}\n`);
        }
        process.stdout.write(
          `\nmean precision ${pct(r.meanPrecision)}  mean recall ${pct(r.meanRecall)}  (${r.perTopic.length} topics, ${engine.status().mode})\n`,
        );
      }
      return 0;
    }

    const api = new Api(token!, { apiRoot: config.TELEGRAM_API_ROOT });
    api.config.use(htmlByDefault()); // digests are HTML
    api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
    const state = await State.open(config.stateTarget);
    try {
      const report = await runDeliveryRound({ engine, state, api, log, config, reason: 'cli' });
      if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        for (const s of report.sent) {
          process.stdout.write(`sent  chat ${s.chatId}: ${s.articles.length} article(s) in ${s.messages} message(s): ${s.articles.join(', ')}\n`);
        }
        for (const f of report.failed) {
          process.stdout.write(`${f.blocked ? 'blocked' : 'failed'} chat ${f.chatId}: ${f.error}\n`);
        }
        process.stdout.write(
          `round ${report.runId}: ${report.sent.length} chat(s) sent, ${report.skipped} with nothing new, ${report.failed.length} failed` +
            `${report.interrupted ? `, ${report.interrupted} interrupted row(s) marked unknown` : ''}\n`,
        );
      }
      return report.failed.some((f) => !f.blocked) ? 1 : 0;
    } finally {
      await state.close();
    }
  } finally {
    await engine.close();
  }
});
