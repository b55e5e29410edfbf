import { loadEmbedder } from './embed/load.js';
import { answerQuestion } from './answer/compose.js';
import { matchArticles } from './search/topic.js';
import { currentGeneration } from './store/disk.js';
import { loadIndex } from './store/load.js';
import { IndexNotFoundError } from './store/errors.js';
import { runIndexer } from './indexer/run.js';
/**
 * Loads the index (and the model when the index has vectors) once, answers from it, and reloads
 * when a new generation appears on disk — written by `npm run index` in another process or by `reindex()`.
 */
export async function createEngine(config, log, opts = {}) {
    let embedderLoad = opts.embedder;
    let embedderPromise;
    const getEmbedder = async () => {
        if (embedderLoad)
            return embedderLoad;
        embedderPromise ??= loadEmbedder(config, log);
        embedderLoad = await embedderPromise;
        return embedderLoad;
    };
    let indexing = null;
    const runIndex = (full = false) => {
        // One indexer at a time in this process; the store's lock file guards against other processes.
        indexing ??= (async () => {
            const load = await getEmbedder();
            return runIndexer({
                config,
                log,
                embedder: load.ok ? load.embedder : null,
                modelError: load.ok ? null : load.reason,
                full,
            });
        })().finally(() => {
            indexing = null;
        });
        return indexing;
    };
    if (currentGeneration(config.indexDir) === null) {
        if (!opts.buildIfMissing)
            throw new IndexNotFoundError(config.indexDir);
        log.info({ seeds: config.seedsDir }, 'no index yet: building it from the seed pages');
        await runIndex();
    }
    let index;
    let generation = null;
    let queryEmbedder = null;
    let modelError = null;
    let warnedKeyword = false;
    const load = async () => {
        const next = loadIndex(config.indexDir, { modelId: config.EMBED_MODEL, ef: config.HNSW_EF });
        const gen = next.generation;
        let emb = null;
        let err = next.manifest.modelError;
        if (next.mode === 'hybrid') {
            const l = await getEmbedder();
            if (l.ok)
                emb = l.embedder;
            else
                err = `index has vectors but the model could not be loaded (${l.reason}); answering keyword-only`;
        }
        index = next;
        generation = gen;
        queryEmbedder = emb;
        modelError = err;
        const mode = emb ? 'hybrid' : 'keyword';
        if (mode === 'keyword' && !warnedKeyword) {
            warnedKeyword = true;
            log.warn({ model: config.EMBED_MODEL, reason: modelError }, 'KEYWORD-ONLY MODE: answers use BM25 only; English questions cannot be answered');
        }
        log.info({ generation: gen, mode, articles: next.articles.size, chunks: next.chunks.size }, 'index loaded');
    };
    await load();
    const listeners = new Set();
    const reloadIfChanged = async () => {
        const gen = currentGeneration(config.indexDir);
        if (gen === null || gen === generation)
            return false;
        await load();
        for (const l of listeners) {
            try {
                l(index);
            }
            catch (e) {
                log.error({ err: e }, 'index-change listener failed');
            }
        }
        return true;
    };
    const pollMs = opts.pollMs ?? config.INDEX_POLL_MS;
    let polling = false;
    const timer = pollMs > 0
        ? setInterval(() => {
            if (polling)
                return;
            polling = true;
            reloadIfChanged()
                .catch((e) => log.error({ err: e }, 'index reload failed; keeping the loaded index'))
                .finally(() => {
                polling = false;
            });
        }, pollMs)
        : null;
    timer?.unref();
    return {
        index: () => index,
        ask: (question) => answerQuestion(index, queryEmbedder, question, {
            threshold: config.ANSWER_THRESHOLD,
            dense: { floor: config.DENSE_FLOOR, ceil: config.DENSE_CEIL },
        }),
        async matchTopic(topic) {
            const scored = await matchArticles(index, queryEmbedder, topic, {
                threshold: config.TOPIC_THRESHOLD,
                dense: { floor: config.DENSE_FLOOR, ceil: config.DENSE_CEIL },
            });
            return scored.map((s) => ({ article: s.article, score: s.score, keySentence: s.keySentence }));
        },
        status: () => ({
            mode: queryEmbedder ? 'hybrid' : 'keyword',
            model: config.EMBED_MODEL,
            modelError,
            pages: Object.keys(index.manifest.files).length,
            articles: index.articles.size,
            chunks: index.chunks.size,
            indexedAt: index.manifest.updatedAt,
            generation,
        }),
        async reindex() {
            const summary = await runIndex();
            await reloadIfChanged();
            return summary;
        },
        onIndexChange(listener) {
            listeners.add(listener);
            return () => listeners.delete(listener);
        },
        async close() {
            if (timer)
                clearInterval(timer);
            listeners.clear();
            await indexing?.catch(() => undefined);
        },
    };
}
//# sourceMappingURL=engine.js.map