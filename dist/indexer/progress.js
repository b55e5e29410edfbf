const LABELS = { parse: 'Reading pages', embed: 'Embedding   ', write: 'Writing     ' };
/** `1 h 05 min`, `4 min 10 s`, `12 s`. */
export function formatDuration(seconds) {
    if (!Number.isFinite(seconds) || seconds < 0)
        return '?';
    const s = Math.round(seconds);
    if (s < 60)
        return `${s} s`;
    if (s < 3600)
        return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
/**
 * One progress line. In the embed phase `done/total` count texts (passages and sentences); the rate is
 * given in chunks (texts scaled to the chunks they belong to), `elapsedS` since embedding began.
 */
export function progressLine(p, elapsedS, width = 30) {
    const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
    const filled = Math.round(ratio * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    let line = `${LABELS[p.phase]} ${bar} ${String(Math.round(ratio * 100)).padStart(3)}%`;
    if (p.phase === 'embed' && p.totalChunks !== undefined) {
        const chunks = ratio * p.totalChunks;
        line += ` ${Math.round(chunks)}/${p.totalChunks} chunks`;
        if (elapsedS >= 1 && chunks > 0) {
            const rate = chunks / elapsedS;
            line += ` · ${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} chunks/s · ${formatDuration((p.totalChunks - chunks) / rate)} left`;
        }
    }
    else {
        line += ` ${p.done}/${p.total}`;
    }
    return line;
}
/** Progress on `stream`: redrawn at most every 100 ms on a TTY, else one line per 10 % of each phase. */
export function progressReporter(stream, now = Date.now) {
    const tty = stream.isTTY === true;
    let last = 0;
    let shown = false;
    let embedStart = null;
    const tenths = new Map();
    return {
        update(p) {
            const t = now();
            if (p.phase === 'embed' && embedStart === null)
                embedStart = t;
            const elapsed = embedStart === null ? 0 : (t - embedStart) / 1000;
            if (tty) {
                if (t - last < 100 && p.done < p.total)
                    return;
                last = t;
                const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - 60));
                stream.write(`\r\x1b[K${progressLine(p, elapsed, width)}`);
                shown = true;
                return;
            }
            const tenth = p.total > 0 ? Math.floor((10 * p.done) / p.total) : 10;
            if ((tenths.get(p.phase) ?? -1) >= tenth)
                return;
            tenths.set(p.phase, tenth);
            if (p.phase !== 'embed' && tenth < 10)
                return; // short phases: one line when done
            stream.write(`${progressLine(p, elapsed, 20)}\n`);
        },
        done() {
            if (tty && shown)
                stream.write('\r\x1b[K');
        },
    };
}
//# sourceMappingURL=progress.js.map