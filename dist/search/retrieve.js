import { fuseRrf } from './fuse.js';
export function searchMode(index, embedder) {
    return index.mode === 'hybrid' && embedder !== null ? 'hybrid' : 'keyword';
}
export async function retrieve(index, embedder, query, opts = {}) {
    const k = opts.k ?? 10;
    const perArticle = opts.perArticle ?? 2;
    const candidates = opts.candidates ?? 50;
    const mode = searchMode(index, embedder);
    const lists = [{ items: index.keywordSearch(query, candidates) }];
    let queryVector = null;
    if (mode === 'hybrid' && embedder) {
        queryVector = await embedder.embedQuery(query);
        lists.push({ items: index.denseSearch(queryVector, candidates) });
    }
    const fused = fuseRrf(lists);
    const perArticleCount = new Map();
    const passages = [];
    for (const f of fused) {
        if (passages.length >= k)
            break;
        const chunk = index.chunks.get(f.chunkId);
        if (!chunk)
            continue;
        const article = index.articles.get(chunk.articleId);
        if (!article)
            continue;
        const used = perArticleCount.get(article.id) ?? 0;
        if (used >= perArticle)
            continue;
        perArticleCount.set(article.id, used + 1);
        const passage = { chunk, article, score: f.score };
        if (f.raw[0] !== undefined)
            passage.keywordScore = f.raw[0];
        if (f.raw[1] !== undefined)
            passage.denseScore = f.raw[1];
        passages.push(passage);
    }
    return { mode, passages, queryVector };
}
//# sourceMappingURL=retrieve.js.map