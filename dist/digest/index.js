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
export { runDeliveryRound, userLang } from './deliver.js';
export { DigestScheduler, indexRoundKey, localDateTime } from './scheduler.js';
export { evaluateTopics, matchesExpected, readTopicCases, toPayload } from './match.js';
export { composeDigest, escapeHtml, formatItem, MESSAGE_LIMIT } from './format.js';
export { DbTokenBucket, TokenBucket, sharedDbBucket } from './pace.js';
//# sourceMappingURL=index.js.map