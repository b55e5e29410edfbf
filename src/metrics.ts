/**
 * Prometheus metrics (`prom-client`), served at `GET /metrics` by the webhook server:
 *
 * | metric | type | what |
 * |---|---|---|
 * | `baowen_questions_total` | counter | questions asked in chats (private text, /ask, mentions; inline queries not counted) |
 * | `baowen_answers_total{outcome}` | counter | `answered` (quotes sent) or `refused` (no evidence) |
 * | `baowen_answer_seconds` | histogram | time from question to answer computed |
 * | `baowen_digests_total{outcome}` | counter | digest messages `sent`, `failed`, `blocked` (403), `lost` (claim lost to another worker) |
 * | `baowen_index_generation_info{generation}` | gauge | 1 for the loaded index generation |
 * | `baowen_index_age_seconds` | gauge | seconds since the loaded index was written |
 * | `baowen_*` process/nodejs defaults | | CPU, memory, event-loop lag (prom-client defaults) |
 *
 * One registry per process; every instance exposes its own counts (sum them in Prometheus).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'baowen_' });

export const questions = new Counter({ name: 'baowen_questions_total', help: 'Questions asked', registers: [registry] });

export const answers = new Counter({
  name: 'baowen_answers_total',
  help: 'Questions answered with quotes, or refused for lack of evidence',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const answerSeconds = new Histogram({
  name: 'baowen_answer_seconds',
  help: 'Time to compute an answer',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  registers: [registry],
});

export const digests = new Counter({
  name: 'baowen_digests_total',
  help: 'Digest messages by outcome (sent, failed, blocked)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Where the index figures come from (set by whoever owns the engine: main.ts). */
let indexSource: (() => { generation?: string | null; indexedAt: string | null }) | null = null;

export function watchIndex(source: typeof indexSource): void {
  indexSource = source;
}

const generationInfo = new Gauge({
  name: 'baowen_index_generation_info',
  help: 'The loaded index generation (value 1)',
  labelNames: ['generation'] as const,
  registers: [registry],
  collect() {
    this.reset();
    const g = indexSource?.().generation;
    if (g) this.set({ generation: g }, 1);
  },
});

new Gauge({
  name: 'baowen_index_age_seconds',
  help: 'Seconds since the loaded index generation was written',
  registers: [registry],
  collect() {
    const at = indexSource?.().indexedAt;
    const t = at ? Date.parse(at) : NaN;
    if (Number.isFinite(t)) this.set(Math.max(0, (Date.now() - t) / 1000));
  },
});

void generationInfo;

/** The text exposition format. */
export function metricsText(): Promise<string> {
  return registry.metrics();
}

export const METRICS_CONTENT_TYPE = registry.contentType;
