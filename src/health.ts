/**
 * What `GET /healthz` reports: the database (a trivial query, 2 s at most) and the index (loaded,
 * with articles). `ok` is false — and the status 503, so a load balancer takes the instance out —
 * when either is unusable.
 *
 * ```json
 * { "ok": true, "transport": "webhook", "mode": "keyword", "articles": 412,
 *   "database": { "ok": true, "backend": "postgres" },
 *   "index": { "ok": true, "generation": "gen-…", "indexedAt": "…", "ageSeconds": 3600 } }
 * ```
 */
import type { Engine } from './engine.js';
import type { State } from './state/index.js';

export interface HealthReport {
  ok: boolean;
  transport: string;
  mode?: string;
  articles?: number;
  database: { ok: boolean; backend?: string; error?: string };
  index: { ok: boolean; generation?: string | null; indexedAt?: string | null; ageSeconds?: number | null; error?: string };
}

const PING_TIMEOUT_MS = 2000;

export async function healthReport(opts: { engine: Pick<Engine, 'status'>; state?: Pick<State, 'ping' | 'backend'>; transport: string }): Promise<HealthReport> {
  const report: HealthReport = { ok: false, transport: opts.transport, database: { ok: true }, index: { ok: false } };
  try {
    const s = opts.engine.status();
    const at = s.indexedAt ? Date.parse(s.indexedAt) : NaN;
    report.mode = s.mode;
    report.articles = s.articles;
    report.index = {
      ok: s.articles > 0,
      generation: s.generation ?? null,
      indexedAt: s.indexedAt,
      ageSeconds: Number.isFinite(at) ? Math.max(0, Math.round((Date.now() - at) / 1000)) : null,
      ...(s.articles > 0 ? {} : { error: 'the index has no articles' }),
    };
  } catch (err) {
    report.index = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (opts.state) {
    const state = opts.state;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        state.ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS))),
      ]);
      report.database = { ok: true, backend: state.backend };
    } catch (err) {
      report.database = { ok: false, backend: state.backend, error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
  report.ok = report.database.ok && report.index.ok;
  return report;
}
