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
import { createPipelineEmbedder, type FeatureExtractorLike } from '../embed/embedder.js';
import { configOverrides, loadEmbedder } from '../embed/load.js';
import { resolvePreset } from '../embed/models.js';
import type { Embedder } from '../embed/types.js';
import { chunksOf, passageText } from '../indexer/run.js';
import { listPages, parsePage } from '../ingest/index.js';
import { createLogger } from '../log.js';
import { createShapedModel, resolveShape, type ShapeDtype } from './model/bert.js';
import { machineLoad, peakRssMb, round, summarize, timeBest } from './stats.js';

/** Which model the phases use (PhaseInput.model). */
export interface BenchModel {
  shape: string;
  dtype: ShapeDtype;
  /** EMBED_LOCAL_DIR of the generated model. */
  modelDir: string;
  /** Optional overrides of the named shape. */
  layers?: number;
  hidden?: number;
  vocab?: number;
  /** EMBED_THREADS for the phases (0 = onnxruntime's default). */
  threads: number;
  batch: number;
}

export function benchModelId(m: BenchModel): string {
  return resolveShape({ shape: m.shape, layers: m.layers, hidden: m.hidden, vocab: m.vocab }).modelId;
}

function modelConfig(m: BenchModel): ReturnType<typeof loadConfig> {
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
export async function loadBenchModel(m: BenchModel): Promise<{ embedder: Embedder; ms: number }> {
  const t0 = performance.now();
  const load = await loadEmbedder(modelConfig(m), createLogger('silent'), { localOnly: true });
  if (!load.ok) throw new Error(`bench model did not load: ${load.reason}`);
  return { embedder: load.embedder, ms: performance.now() - t0 };
}

const progress = (msg: string): void => {
  process.stderr.write(`[bench] ${msg}\n`);
};

/** Generates the model, then measures load, raw forward, pipeline and question embedding. */
export async function modelPhase(input: { pagesDir: string; questionsFile: string; model?: BenchModel }): Promise<Record<string, unknown>> {
  const m = input.model;
  if (!m) throw new Error('the model phase needs --model-shape');
  const loadStart = machineLoad().load_avg_1m;
  progress(`model: writing the ${m.shape} shape (fp32 and q8) into ${m.modelDir}`);
  let t0 = performance.now();
  const made = await createShapedModel(m.modelDir, { shape: m.shape, layers: m.layers, hidden: m.hidden, vocab: m.vocab, dtypes: ['fp32', 'q8'] });
  const genMs = performance.now() - t0;

  const { embedder, ms: loadMs } = await loadBenchModel(m);
  const rssAfterLoad = peakRssMb();
  progress(`model: ${made.modelId} (${(made.parameters / 1e6).toFixed(1)} M parameters, ${m.dtype}) loaded in ${Math.round(loadMs)} ms`);

  // The chunk passages the indexer would embed for these pages (its sizing, its passage text).
  const passages: string[] = [];
  for (const f of listPages(input.pagesDir)) {
    for (const a of parsePage(f, fs.readFileSync(path.join(input.pagesDir, f), 'utf8')).articles) {
      for (const c of chunksOf(a, embedder, 0)) passages.push(passageText(a, c));
    }
    if (passages.length >= 400) break;
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

  const questions = JSON.parse(fs.readFileSync(input.questionsFile, 'utf8')) as string[];
  for (const q of questions.slice(0, 5)) await embedder.embedQuery(q);
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
    file_mb: Object.fromEntries(Object.entries(made.files).map(([k, v]) => [k, round((v as number) / 2 ** 20, 1)])),
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

interface RawForward {
  chunks: number;
  tokens: number;
  mean_tokens: number;
  seconds: number;
  chunks_per_s: number;
  tokens_per_s: number;
  /** CPU seconds of this process (all onnxruntime threads) over the same passes. */
  cpu_s: number;
  chunks_per_cpu_s: number;
  /** Padding tokens computed on top of the real ones (length-sorted batches keep this small). */
  padding_share: number;
}

async function rawForward(m: BenchModel, passages: string[]): Promise<RawForward> {
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
  })) as unknown as FeatureExtractorLike;
  const preset = resolvePreset(modelId, configOverrides(modelConfig(m)), { tokenizerMaxLength: pipe.tokenizer.model_max_length });
  // Warm-up (first runs allocate).
  await createPipelineEmbedder(pipe, { modelId, preset, batchSize: m.batch });
  const texts = passages.map((p) => preset.passagePrefix + p).sort((a, b) => a.length - b.length);
  const batches = [];
  for (let i = 0; i < texts.length; i += m.batch) batches.push(pipe.tokenizer(texts.slice(i, i + m.batch), { padding: true, truncation: true, max_length: preset.maxTokens }));
  let tokens = 0;
  let padded = 0;
  for (const b of batches) {
    const mask = b.attention_mask!;
    for (let i = 0; i < mask.data.length; i++) tokens += Number(mask.data[i]);
    padded += mask.data.length;
  }
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const b of batches) {
    const out = await pipe.model(b);
    for (const t of Object.values(out)) t?.dispose?.();
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
