/**
 * `npm run bench -- --model-shape NAME`: a same-shape model (see model/bert.ts) through the real
 * transformers.js + onnxruntime path. This phase writes the model, loads it as the app does, and
 * measures the model alone (forward passes on pre-tokenized chunk passages, at the chunker's sizes),
 * the pipeline around it (`embedPassages`: tokenizing, batching, pooling) and question embedding.
 * The `index` and `serve` phases then use the same model (see phases.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { createPipelineEmbedder } from '../embed/embedder.js';
import { configOverrides, loadEmbedder } from '../embed/load.js';
import { resolvePreset } from '../embed/models.js';
import { chunkSizing, passageText } from '../indexer/run.js';
import { chunkArticle, parsePage } from '../ingest/index.js';
import { createLogger } from '../log.js';
import { createShapedModel, resolveShape } from './model/bert.js';
import { machineLoad, peakRssMb, round, summarize, timeBest } from './stats.js';
export function benchModelId(m) {
    return resolveShape({ shape: m.shape, layers: m.layers, hidden: m.hidden, vocab: m.vocab }).modelId;
}
function modelConfig(m) {
    return loadConfig({
        EMBED_LOCAL_DIR: m.modelDir,
        EMBED_MODEL: benchModelId(m),
        EMBED_ALLOW_REMOTE: 'false',
        EMBED_DTYPE: m.dtype,
        EMBED_THREADS: String(m.threads),
        EMBED_BATCH: String(m.batch),
        LOG_LEVEL: 'silent',
    });
}
/** Loads the generated model as the app does (loadEmbedder); throws with the reason when it cannot. */
export async function loadBenchModel(m) {
    const t0 = performance.now();
    const load = await loadEmbedder(modelConfig(m), createLogger('silent'), { localOnly: true });
    if (!load.ok)
        throw new Error(`bench model did not load: ${load.reason}`);
    return { embedder: load.embedder, ms: performance.now() - t0 };
}
const progress = (msg) => {
    process.stderr.write(`[bench] ${msg}\n`);
};
/** Generates the model, then measures load, raw forward, pipeline and question embedding. */
export async function modelPhase(input) {
    const m = input.model;
    if (!m)
        throw new Error('the model phase needs --model-shape');
    const loadStart = machineLoad().load_avg_1m;
    progress(`model: writing the ${m.shape} shape (fp32 and q8) into ${m.modelDir}`);
    let t0 = performance.now();
    const made = await createShapedModel(m.modelDir, { shape: m.shape, layers: m.layers, hidden: m.hidden, vocab: m.vocab, dtypes: ['fp32', 'q8'] });
    const genMs = performance.now() - t0;
    const { embedder, ms: loadMs } = await loadBenchModel(m);
    const rssAfterLoad = peakRssMb();
    progress(`model: ${made.modelId} (${(made.parameters / 1e6).toFixed(1)} M parameters, ${m.dtype}) loaded in ${Math.round(loadMs)} ms`);
    // The chunk passages the indexer would embed for these pages (its sizing, its passage text).
    const passages = [];
    for (const f of fs.readdirSync(input.pagesDir).filter((x) => x.endsWith('.txt')).sort()) {
        for (const a of parsePage(f, fs.readFileSync(path.join(input.pagesDir, f), 'utf8')).articles) {
            for (const c of chunkArticle(a, { ...chunkSizing(a, embedder), firstId: 0 }))
                passages.push(passageText(a, c));
        }
        if (passages.length >= 400)
            break;
    }
    // The model alone: a second session, inputs tokenized beforehand, only `model(inputs)` timed —
    // the same length-sorted batches of EMBED_BATCH as embedPassages.
    const raw = await rawForward(m, passages);
    progress(`model: raw forward ${raw.chunks_per_s} chunks/s (${raw.tokens_per_s} tokens/s, mean ${raw.mean_tokens} tokens)`);
    // The pipeline: tokenizer + model + pooling, as the indexer calls it.
    t0 = performance.now();
    await embedder.embedPassages(passages);
    const pipeS = (performance.now() - t0) / 1000;
    const pipelinePerS = round(passages.length / pipeS, 1);
    progress(`model: embedPassages ${pipelinePerS} chunks/s`);
    const questions = JSON.parse(fs.readFileSync(input.questionsFile, 'utf8'));
    for (const q of questions.slice(0, 5))
        await embedder.embedQuery(q);
    const qMs = await timeBest(questions, (q) => embedder.embedQuery(q));
    const q = summarize(qMs.best);
    progress(`model: question embedding p50 ${q.p50_ms} ms, p95 ${q.p95_ms} ms`);
    return {
        shape: m.shape,
        model_id: made.modelId,
        dtype: m.dtype,
        parameters: made.parameters,
        layers: made.shape.layers,
        hidden: made.shape.hidden,
        vocab: made.shape.vocab,
        file_mb: Object.fromEntries(Object.entries(made.files).map(([k, v]) => [k, round(v / 2 ** 20, 1)])),
        generate_ms: Math.round(genMs),
        load_ms: Math.round(loadMs),
        rss_after_load_mb: rssAfterLoad,
        threads: m.threads,
        batch: m.batch,
        forward: raw,
        pipeline_chunks_per_s: pipelinePerS,
        pipeline_vs_forward: round(pipelinePerS / raw.chunks_per_s, 3),
        query: { ...q, first_pass: summarize(qMs.first) },
        ...machineLoad(),
        load_avg_start: loadStart,
        rss_mb: peakRssMb(),
    };
}
async function rawForward(m, passages) {
    const tf = await import('@huggingface/transformers');
    tf.env.allowLocalModels = true;
    tf.env.allowRemoteModels = false;
    tf.env.localModelPath = m.modelDir;
    const modelId = benchModelId(m);
    const pipe = (await tf.pipeline('feature-extraction', modelId, {
        dtype: m.dtype,
        device: 'cpu',
        local_files_only: true,
        session_options: { logSeverityLevel: 3, ...(m.threads > 0 ? { intraOpNumThreads: m.threads, interOpNumThreads: 1 } : {}) },
    }));
    const preset = resolvePreset(modelId, configOverrides(modelConfig(m)), { tokenizerMaxLength: pipe.tokenizer.model_max_length });
    // Warm-up (first runs allocate).
    await createPipelineEmbedder(pipe, { modelId, preset, batchSize: m.batch });
    const texts = passages.map((p) => preset.passagePrefix + p).sort((a, b) => a.length - b.length);
    const batches = [];
    for (let i = 0; i < texts.length; i += m.batch)
        batches.push(pipe.tokenizer(texts.slice(i, i + m.batch), { padding: true, truncation: true, max_length: preset.maxTokens }));
    let tokens = 0;
    let padded = 0;
    for (const b of batches) {
        const mask = b.attention_mask;
        for (let i = 0; i < mask.data.length; i++)
            tokens += Number(mask.data[i]);
        padded += mask.data.length;
    }
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const b of batches) {
        const out = await pipe.model(b);
        for (const t of Object.values(out))
            t?.dispose?.();
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    await pipe.dispose?.();
    return {
        chunks: texts.length,
        tokens,
        mean_tokens: round(tokens / Math.max(1, texts.length), 1),
        seconds: round(seconds, 2),
        chunks_per_s: round(texts.length / seconds, 1),
        tokens_per_s: Math.round(tokens / seconds),
        cpu_s: round(cpuS, 2),
        chunks_per_cpu_s: round(texts.length / cpuS, 1),
        padding_share: round(1 - tokens / Math.max(1, padded), 3),
    };
}
//# sourceMappingURL=model-phase.js.map