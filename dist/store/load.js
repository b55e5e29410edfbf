/**
 * Loading an index: follow `CURRENT`, check the manifest against this code and configuration,
 * read the generation into memory. Never returns an index that would give wrong results.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHUNKER_VERSION } from '../ingest/index.js';
import { currentGeneration, GEN_FILES, generationDir, isErrno, readLines } from './disk.js';
import { IndexCorruptError, IndexMismatchError, IndexNotFoundError } from './errors.js';
import { VectorIndex } from './hnsw.js';
import { KeywordIndex } from './keyword.js';
import { SentenceStore } from './sentences.js';
import { FORMAT_VERSION, MemoryIndex } from './memory.js';
const DEFAULT_EF = 128;
/**
 * Loads the live generation of the index in `dir`.
 *
 * @throws {IndexNotFoundError} no index yet ("Run: npm run index")
 * @throws {IndexMismatchError} format/chunker version or model differ ("re-index: npm run index -- --full")
 * @throws {IndexCorruptError} the generation named by CURRENT is unreadable
 *
 * @example
 * const index = loadIndex(config.indexDir, { modelId: config.EMBED_MODEL, ef: config.HNSW_EF });
 * index.keywordSearch('德胜街道 植树', 5);
 */
export function loadIndex(dir, expect = {}) {
    // A writer may switch CURRENT and delete the generation we are reading (two saves during one
    // load); then follow CURRENT again.
    for (let attempt = 0;; attempt++) {
        const gen = currentGeneration(dir);
        if (gen === null)
            throw new IndexNotFoundError(dir);
        try {
            const manifest = readManifest(dir, gen);
            checkCompatible(manifest, dir, expect);
            return readGeneration(dir, gen, manifest, expect.ef ?? DEFAULT_EF);
        }
        catch (e) {
            if (attempt < 2 && e instanceof IndexCorruptError && currentGeneration(dir) !== gen)
                continue;
            throw e;
        }
    }
}
/** The manifest of generation `gen` (cheap: one small file). */
export function readManifest(dir, gen) {
    const file = path.join(generationDir(dir, gen), GEN_FILES.manifest);
    let manifest;
    try {
        manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    }
    catch (e) {
        throw new IndexCorruptError(isErrno(e, 'ENOENT') ? `${gen}/${GEN_FILES.manifest} is missing` : `${gen}/${GEN_FILES.manifest}: ${String(e)}`, dir, { cause: e });
    }
    if (typeof manifest !== 'object' || manifest === null || typeof manifest.formatVersion !== 'number') {
        throw new IndexCorruptError(`${gen}/${GEN_FILES.manifest} is not an index manifest`, dir);
    }
    return manifest;
}
/** Why `manifest` cannot serve `expect`, or null when it can. */
export function incompatibility(manifest, expect = {}) {
    if (manifest.formatVersion !== FORMAT_VERSION) {
        return `has format version ${manifest.formatVersion}, this version of baowen reads ${FORMAT_VERSION}`;
    }
    if (manifest.chunkerVersion !== CHUNKER_VERSION) {
        return `was chunked by chunker version ${manifest.chunkerVersion}, this version of baowen chunks with ${CHUNKER_VERSION}`;
    }
    if (manifest.mode === 'hybrid' && expect.modelId && manifest.model?.id !== expect.modelId) {
        return `was built with model ${manifest.model?.id ?? '(none)'}, but EMBED_MODEL is ${expect.modelId}`;
    }
    return null;
}
/** Throws {@link IndexMismatchError} when {@link incompatibility} finds a reason. */
export function checkCompatible(manifest, dir, expect = {}) {
    const reason = incompatibility(manifest, expect);
    if (reason)
        throw new IndexMismatchError(reason, dir);
}
/**
 * Reads every file of generation `gen` (already checked) into a {@link MemoryIndex}. `spillDir`: the
 * writer's scratch folder for new sentence vectors (see sentences.ts); readers pass none.
 */
export function readGeneration(dir, gen, manifest, ef = DEFAULT_EF, spillDir = null) {
    const genDir = generationDir(dir, gen);
    const file = (name) => path.join(genDir, name);
    try {
        const articles = new Map();
        for (const a of readJsonArray(file(GEN_FILES.articles)))
            articles.set(a.id, a);
        const chunks = new Map();
        for (const c of readJsonArray(file(GEN_FILES.chunks))) {
            const article = articles.get(c.articleId);
            if (!article)
                throw new Error(`chunk ${c.id} belongs to unknown article ${c.articleId}`);
            chunks.set(c.id, { ...c, text: article.text.slice(c.start, c.end) });
        }
        const keyword = KeywordIndex.read(file(GEN_FILES.keyword));
        let vectors = null;
        let sentences = null;
        if (manifest.mode === 'hybrid') {
            if (!manifest.model || !manifest.hnsw)
                throw new Error('hybrid manifest without model/hnsw settings');
            vectors = VectorIndex.read(file(GEN_FILES.vectors), manifest.model.dim, { ...manifest.hnsw, ef }, chunks.keys());
            sentences = spillDir ? SentenceStore.readForUpdate(genDir, manifest.model.dim, spillDir) : SentenceStore.read(genDir, manifest.model.dim);
        }
        return new MemoryIndex(dir, gen, manifest, articles, chunks, keyword, vectors, sentences);
    }
    catch (e) {
        throw new IndexCorruptError(`${gen}: ${e instanceof Error ? e.message : String(e)}`, dir, { cause: e });
    }
}
/** Elements of a file written as a JSON array with one element per line. */
function* readJsonArray(file) {
    for (const line of readLines(file)) {
        if (line === '[' || line === ']')
            continue;
        yield JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
    }
}
//# sourceMappingURL=load.js.map