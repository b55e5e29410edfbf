/**
 * Topic digests: how a digest reads (format.ts), what is new for a subscription and how it is
 * delivered exactly once (deliver.ts), when (scheduler.ts), how well topics match (topic-eval.ts).
 *
 * Wiring in main.ts:
 * ```ts
 * const scheduler = new DigestScheduler({ engine, state, api: bot.api, log, config });
 * scheduler.start();
 * // on shutdown, before state.close():
 * await scheduler.stop();
 * ```
 */
export { runDeliveryRound, userLang, type DeliveryReport, type DeliveryRoundOptions, type DigestApi, type DigestReason } from './deliver.js';
export { DigestScheduler, indexRoundKey, localDateTime, type SchedulerDeps } from './scheduler.js';
export { evaluateTopics, type TopicEval, type TopicScore } from './topic-eval.js';
export { composeDigest, escapeHtml, formatItem, toPayload, type ComposedMessage } from './format.js';
export { DbTokenBucket, TokenBucket, sharedDbBucket, type Bucket, type Clock } from './pace.js';
