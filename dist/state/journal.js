/** The chat an update belongs to (per-chat order), if any. */
export function chatOf(update) {
    const u = update;
    for (const v of Object.values(u)) {
        if (!v || typeof v !== 'object')
            continue;
        const id = v.chat?.id ?? v.message?.chat?.id ?? v.from?.id;
        if (typeof id === 'number')
            return id;
    }
    return null;
}
export class SqlUpdateJournal {
    db;
    now;
    constructor(db, now = Date.now) {
        this.db = db;
        this.now = now;
    }
    async record(updates) {
        const now = this.now();
        return this.db.tx(async (t) => {
            const fresh = [];
            for (const u of updates) {
                const n = await t.run(`INSERT INTO update_journal (update_id, chat_id, body, status, attempts, received_at) VALUES (?, ?, ?, 'pending', 0, ?)
           ON CONFLICT DO NOTHING`, [u.update_id, chatOf(u), JSON.stringify(u), now]);
                if (n === 1)
                    fresh.push(u.update_id);
            }
            return fresh;
        });
    }
    async begin(updateId) {
        const row = await this.db.get('UPDATE update_journal SET attempts = attempts + 1 WHERE update_id = ? RETURNING attempts', [updateId]);
        return row?.attempts ?? 0;
    }
    async pending() {
        const rows = await this.db.all("SELECT update_id, body, attempts FROM update_journal WHERE status = 'pending' ORDER BY update_id");
        return rows.map((r) => ({ updateId: r.update_id, update: JSON.parse(r.body), attempts: r.attempts }));
    }
    async pendingBefore(chatId, updateId, receivedAfterMs) {
        const r = await this.db.get("SELECT COUNT(*) AS n FROM update_journal WHERE chat_id = ? AND status = 'pending' AND update_id < ? AND received_at > ?", [chatId, updateId, receivedAfterMs]);
        return r?.n ?? 0;
    }
    async replies(updateId) {
        const rows = await this.db.all('SELECT seq, method, result FROM update_replies WHERE update_id = ? ORDER BY seq', [updateId]);
        return rows.map((r) => ({ seq: r.seq, method: r.method, result: JSON.parse(r.result) }));
    }
    async recordReply(updateId, seq, method, result) {
        await this.db.run('INSERT INTO update_replies (update_id, seq, method, result, sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
            updateId,
            seq,
            method,
            JSON.stringify(result ?? null),
            this.now(),
        ]);
    }
    async finish(updateId, status) {
        await this.db.run('UPDATE update_journal SET status = ?, done_at = ? WHERE update_id = ?', [status, this.now(), updateId]);
    }
    async prune(beforeMs) {
        return this.db.tx(async (t) => {
            await t.run(`DELETE FROM update_replies WHERE update_id IN
           (SELECT update_id FROM update_journal WHERE status <> 'pending' AND done_at < ?)`, [beforeMs]);
            return t.run("DELETE FROM update_journal WHERE status <> 'pending' AND done_at < ?", [beforeMs]);
        });
    }
    async counts() {
        const rows = await this.db.all('SELECT status, COUNT(*) AS n FROM update_journal GROUP BY status');
        const by = new Map(rows.map((r) => [r.status, r.n]));
        const replies = (await this.db.get('SELECT COUNT(*) AS n FROM update_replies'))?.n ?? 0;
        return { pending: by.get('pending') ?? 0, done: by.get('done') ?? 0, failed: by.get('failed') ?? 0, replies };
    }
}
//# sourceMappingURL=journal.js.map