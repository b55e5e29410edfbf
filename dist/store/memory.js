import { GEN_FILES, generationDir, saveGeneration, writeLinesSynced } from './disk.js';
/** Bumped when the on-disk layout changes (files, their shapes). */
export const FORMAT_VERSION = 3;
export class MemoryIndex {
    dir;
    generation;
    manifest;
    articles;
    chunks;
    keyword;
    vectors;
    sentences;
    constructor(dir, generation, manifest, articles, chunks, keyword, vectors, 
    /** Hybrid: sentence vectors computed at index time (see sentences.ts). */
    sentences = null) {
        this.dir = dir;
        this.generation = generation;
        this.manifest = manifest;
        this.articles = articles;
        this.chunks = chunks;
        this.keyword = keyword;
        this.vectors = vectors;
        this.sentences = sentences;
    }
    get denseStats() {
        return this.manifest.dense ?? null;
    }
    sentenceVector(articleId, start, end) {
        return this.sentences?.vector(articleId, start, end) ?? null;
    }
    get mode() {
        return this.manifest.mode;
    }
    chunksOf(articleId) {
        const ids = this.manifest.articles[articleId]?.chunkIds ?? [];
        const out = [];
        for (const id of ids) {
            const c = this.chunks.get(id);
            if (c)
                out.push(c);
        }
        return out;
    }
    keywordSearch(query, k) {
        return this.keyword.search(query, k);
    }
    keywordDocCount() {
        return this.keyword.size;
    }
    keywordDf(term) {
        return this.keyword.df(term);
    }
    denseSearch(vector, k) {
        return this.vectors ? this.vectors.search(vector, k) : [];
    }
    /**
     * Adds an article and its (already numbered) chunks; vectors, when given, are in chunk order;
     * sentence vectors (hybrid) one per span, in span order.
     */
    addArticle(article, chunks, vectors, sentences) {
        if (this.articles.has(article.id))
            throw new Error(`article ${article.id} is already in the index`);
        this.articles.set(article.id, article);
        for (const [i, c] of chunks.entries()) {
            this.chunks.set(c.id, c);
            this.keyword.add(c, article);
            const v = vectors?.[i];
            if (this.vectors) {
                if (!v)
                    throw new Error(`no vector for chunk ${c.id} of ${article.id}`);
                this.vectors.add(c.id, v);
            }
        }
        if (this.sentences) {
            if (!sentences)
                throw new Error(`no sentence vectors for ${article.id}`);
            this.sentences.add(article.id, sentences.spans, sentences.vectors);
        }
        this.manifest.articles[article.id] = { file: article.file, hash: article.hash, chunkIds: chunks.map((c) => c.id) };
    }
    /** Removes an article with its chunks and vectors; returns how many chunks went. */
    removeArticle(articleId) {
        const entry = this.manifest.articles[articleId];
        this.articles.delete(articleId);
        this.sentences?.remove(articleId);
        if (!entry)
            return 0;
        for (const id of entry.chunkIds) {
            this.chunks.delete(id);
            this.keyword.remove(id);
            this.vectors?.remove(id);
        }
        delete this.manifest.articles[articleId];
        return entry.chunkIds.length;
    }
    /**
     * Replaces an article whose indexed content is unchanged (same hash) by its re-parsed version,
     * e.g. a new `position`; chunks and vectors stay.
     */
    refreshArticle(article) {
        this.articles.set(article.id, article);
        const entry = this.manifest.articles[article.id];
        if (entry)
            entry.file = article.file;
    }
}
/**
 * Saves `index` as a new generation of `index.dir` (see disk.ts) and returns its name.
 * The caller must hold the writer lock.
 */
export async function saveIndex(index, hooks = {}, onFile) {
    const now = new Date().toISOString();
    index.manifest.updatedAt = now;
    const chunks = [];
    for (const c of index.chunks.values()) {
        chunks.push({ id: c.id, articleId: c.articleId, ordinal: c.ordinal, start: c.start, end: c.end, tokens: c.tokens });
    }
    chunks.sort((a, b) => a.id - b.id);
    const articles = [...index.articles.values()].sort((a, b) => (a.file === b.file ? a.position - b.position : a.file < b.file ? -1 : 1));
    const files = [
        { name: GEN_FILES.articles, write: (f) => writeLinesSynced(f, jsonArrayLines(articles)) },
        { name: GEN_FILES.chunks, write: (f) => writeLinesSynced(f, jsonArrayLines(chunks)) },
        { name: GEN_FILES.keyword, write: (f) => index.keyword.write(f) },
    ];
    const vectors = index.vectors;
    if (vectors)
        files.push({ name: GEN_FILES.vectors, write: (f) => vectors.write(f) });
    const sentences = index.sentences;
    if (sentences)
        files.push(...sentences.generationFiles());
    // The manifest goes last: a generation folder with a manifest is complete.
    files.push({ name: GEN_FILES.manifest, write: `${JSON.stringify(index.manifest)}\n` });
    let done = 0;
    const step = hooks.onStep;
    const gen = saveGeneration(index.dir, files, {
        onStep: (s) => {
            step?.(s);
            if (s.startsWith('write:'))
                onFile?.(done++, files.length);
            if (s === 'sync')
                onFile?.(files.length, files.length);
        },
    });
    index.generation = gen;
    sentences?.committed(generationDir(index.dir, gen));
    return gen;
}
/** `[\n<item>,\n<item>\n]\n`: a JSON array written one element per line. */
function* jsonArrayLines(items) {
    yield '[\n';
    for (let i = 0; i < items.length; i++)
        yield `${JSON.stringify(items[i])}${i + 1 < items.length ? ',' : ''}\n`;
    yield ']\n';
}
//# sourceMappingURL=memory.js.map