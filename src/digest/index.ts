/**
 * Topic digests: what is new for a subscription (match.ts), how a digest reads (format.ts), how it
 * is delivered exactly once (deliver.ts) and when (scheduler.ts).
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
export { evaluateTopics, matchesExpected, readTopicCases, toPayload, type TopicEval, type TopicScore } from './match.js';
export { composeDigest, escapeHtml, formatItem, MESSAGE_LIMIT, type ComposedMessage } from './format.js';
export { DbTokenBucket, TokenBucket, sharedDbBucket, type Bucket, type Clock } from './pace.js';
