/** Timing and summary statistics for the benchmark. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
/** The q-quantile (0..1) of `values` by linear interpolation between closest ranks; NaN when empty. */
export function quantile(values, q) {
    if (values.length === 0)
        return Number.NaN;
    const s = [...values].sort((a, b) => a - b);
    const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const a = s[lo];
    const b = s[hi];
    return a + (b - a) * (pos - lo);
}
export function summarize(ms) {
    const mean = ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : Number.NaN;
    return {
        p50_ms: round(quantile(ms, 0.5), 3),
        p95_ms: round(quantile(ms, 0.95), 3),
        mean_ms: round(mean, 3),
        max_ms: round(ms.length ? Math.max(...ms) : Number.NaN, 3),
        n: ms.length,
    };
}
/** Runs `fn` once per item and returns the wall time of each call in ms. */
export async function timeEach(items, fn) {
    const out = [];
    for (const item of items) {
        const t0 = performance.now();
        await fn(item);
        out.push(performance.now() - t0);
    }
    return out;
}
/**
 * Runs `fn` over all items `passes` times and keeps, per item, the fastest call: on a shared machine
 * other processes only ever add time, so the minimum is the closest to the code's own cost.
 * `first` is the first pass alone (cold caches included).
 */
export async function timeBest(items, fn, passes = 2) {
    const first = await timeEach(items, fn);
    const best = [...first];
    for (let p = 1; p < passes; p++) {
        const again = await timeEach(items, fn);
        again.forEach((ms, i) => {
            if (ms < best[i])
                best[i] = ms;
        });
    }
    return { best, first };
}
/** The 1-minute load average and this process's CPU seconds so far (to spot a busy machine). */
export function machineLoad() {
    const u = process.cpuUsage();
    return { load_avg_1m: round(os.loadavg()[0] ?? Number.NaN, 2), cpu_s: round((u.user + u.system) / 1e6, 2) };
}
/** Wall time of one (sync or async) call in ms, with its result. */
export async function timed(fn) {
    const t0 = performance.now();
    const value = await fn();
    return { ms: performance.now() - t0, value };
}
export function round(x, digits = 2) {
    if (!Number.isFinite(x))
        return x;
    const f = 10 ** digits;
    return Math.round(x * f) / f;
}
/** Peak resident set size of this process so far, in MiB. */
export function peakRssMb() {
    return round(process.resourceUsage().maxRSS / 1024, 1);
}
/** Total bytes of the regular files under `dir` (recursively); 0 when it does not exist. */
export function dirBytes(dir) {
    let total = 0;
    let entries;
    try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
    }
    catch {
        return 0;
    }
    for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory())
            total += dirBytes(p);
        else if (e.isFile())
            total += fs.statSync(p).size;
    }
    return total;
}
/** Asks V8 for a full collection when the process runs with --expose-gc (phases then start clean). */
export function collectGarbage() {
    const g = globalThis.gc;
    if (g)
        g();
}
//# sourceMappingURL=stats.js.map