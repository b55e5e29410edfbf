const PING_TIMEOUT_MS = 2000;
export async function healthReport(opts) {
    const report = { ok: false, transport: opts.transport, database: { ok: true }, index: { ok: false } };
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
    }
    catch (err) {
        report.index = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (opts.state) {
        const state = opts.state;
        let timer;
        try {
            await Promise.race([
                state.ping(),
                new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS))),
            ]);
            report.database = { ok: true, backend: state.backend };
        }
        catch (err) {
            report.database = { ok: false, backend: state.backend, error: err instanceof Error ? err.message : String(err) };
        }
        finally {
            clearTimeout(timer);
        }
    }
    report.ok = report.database.ok && report.index.ok;
    return report;
}
//# sourceMappingURL=health.js.map