export function fuseRrf(lists, k = 60) {
    const byId = new Map();
    lists.forEach((list, li) => {
        const weight = list.weight ?? 1;
        list.items.forEach((item, idx) => {
            let f = byId.get(item.chunkId);
            if (!f) {
                f = { chunkId: item.chunkId, score: 0, ranks: lists.map(() => undefined), raw: lists.map(() => undefined) };
                byId.set(item.chunkId, f);
            }
            f.score += weight / (k + idx + 1);
            f.ranks[li] = idx + 1;
            f.raw[li] = item.score;
        });
    });
    return [...byId.values()].sort((a, b) => b.score - a.score || a.chunkId - b.chunkId);
}
//# sourceMappingURL=fuse.js.map