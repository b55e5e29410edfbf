/**
 * Loads the embedding model with transformers.js — from `models/<org>/<name>/` first (how users in China
 * bring weights), else from the Hub or a mirror (`HF_ENDPOINT`) when allowed. Never throws, never hangs:
 * any failure becomes `{ ok: false, reason }` with one line that says how to fix it, and the app runs
 * keyword-only.
 *
 * @example
 * const load = await loadEmbedder(config, log);
 * if (!load.ok) console.warn(load.reason);
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS, type Config } from '../config.js';
import type { Logger } from '../log.js';
import { createPipelineEmbedder, type FeatureExtractorLike } from './embedder.js';
import { resolvePreset, type PresetOverrides } from './models.js';
import type { Embedder, EmbedderLoad } from './types.js';

export interface LoadEmbedderOptions {
  /** Model id instead of `EMBED_MODEL`. */
  modelId?: string;
  /** Never touch the network, whatever `EMBED_ALLOW_REMOTE` says. */
  localOnly?: boolean;
  /** Give up (and abort downloads) after this long. Default 120 s: room for a ~120 MB download, not a hang. */
  timeoutMs?: number;
  /** Prefix/pooling/length settings that win over the model's preset. */
  overrides?: PresetOverrides;
}

type Dtype = Config['EMBED_DTYPE'];
type ConcreteDtype = Exclude<Dtype, 'auto'>;

/**
 * ONNX weight file per dtype: transformers.js 4 loads `onnx/model${suffix}.onnx` with the suffixes of
 * `DEFAULT_DTYPE_SUFFIX_MAPPING` (src/utils/dtypes.js): fp32 '', fp16 '_fp16', q8 '_quantized', int8 '_int8',
 * uint8 '_uint8', q4 '_q4'.
 */
export const DTYPE_FILES: Readonly<Record<ConcreteDtype, string>> = Object.freeze({
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
  int8: 'onnx/model_int8.onnx',
  uint8: 'onnx/model_uint8.onnx',
  q4: 'onnx/model_q4.onnx',
});

/** When the requested weights are missing locally, try these (fast and accurate on CPU first). */
const DTYPE_FALLBACK_ORDER: readonly ConcreteDtype[] = ['q8', 'fp32', 'int8', 'uint8', 'fp16', 'q4'];

const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;
const DEFAULT_HOST = 'https://huggingface.co/';
/** ONNX Runtime severity: 3 = errors only (its warnings about unused initializers etc. are noise here). */
const ORT_LOG_ERRORS_ONLY = 3;

class LoadTimeout extends Error {
  override name = 'LoadTimeout';
}

/** transformers.js `env` is process-wide, so loads run one at a time (each is bounded by its timeout). */
let loading: Promise<unknown> = Promise.resolve();

/** Loads, probes and wraps the embedding model. Resolves `{ ok: false }` on any failure; logs that once (warn). */
export function loadEmbedder(config: Config, log: Logger, opts: LoadEmbedderOptions = {}): Promise<EmbedderLoad> {
  const run = loading
    .then(() => loadOnce(config, log, opts))
    .catch((err: unknown): EmbedderLoad => {
      // loadOnce reports its own failures; this is the belt under the braces.
      const modelId = opts.modelId ?? config.EMBED_MODEL;
      const reason = `loading ${modelId} failed unexpectedly (${firstLine(err)})`;
      log.warn({ modelId, err }, `embedding model unavailable, search is keyword-only: ${reason}`);
      return { ok: false, modelId, reason };
    });
  loading = run.catch(() => undefined);
  return run;
}

/**
 * Every fetch transformers.js makes on behalf of one load carries that load's abort signal — also fetches
 * it makes after we gave up on it — so a timed-out download really stops.
 */
const loadSignal = new AsyncLocalStorage<AbortSignal>();
let abortableFetch: unknown;

function installAbortableFetch(env: { fetch: (input: string | URL, init?: { signal?: AbortSignal }) => Promise<unknown> }): void {
  if (env.fetch === abortableFetch) return;
  const base = env.fetch;
  const wrapped = (input: string | URL, init?: { signal?: AbortSignal }): Promise<unknown> => {
    const signal = loadSignal.getStore();
    if (!signal) return base(input, init);
    return base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
  };
  env.fetch = wrapped;
  abortableFetch = wrapped;
}

/** Preset overrides from the environment (`EMBED_QUERY_PREFIX=-` means "no prefix"). */
export function configOverrides(config: Config): PresetOverrides {
  const prefix = (v: string | undefined): string | undefined => (v === undefined ? undefined : v === '-' ? '' : v);
  return {
    queryPrefix: prefix(config.EMBED_QUERY_PREFIX),
    passagePrefix: prefix(config.EMBED_PASSAGE_PREFIX),
    pooling: config.EMBED_POOLING,
    maxTokens: config.EMBED_MAX_TOKENS,
  };
}

async function loadOnce(config: Config, log: Logger, opts: LoadEmbedderOptions): Promise<EmbedderLoad> {
  const modelId = opts.modelId ?? config.EMBED_MODEL;
  const allowRemote = config.EMBED_ALLOW_REMOTE && !opts.localOnly;
  const timeoutMs = opts.timeoutMs ?? config.EMBED_LOAD_TIMEOUT_MS ?? DEFAULTS.EMBED_LOAD_TIMEOUT_MS;
  const host = config.HF_ENDPOINT ?? DEFAULT_HOST;
  const cacheDir = config.EMBED_CACHE_DIR ? path.resolve(config.EMBED_CACHE_DIR) : config.modelDir;
  const where = displayDir(path.join(config.modelDir, modelId));
  const started = Date.now();

  const fail = (reason: string, err?: unknown): EmbedderLoad => {
    log.warn({ modelId, err, ms: Date.now() - started }, `embedding model unavailable, search is keyword-only: ${reason}`);
    return { ok: false, modelId, reason };
  };

  // 1. What is on disk decides the weight file and whether we may go on at all.
  const local = inspectLocal([config.modelDir, cacheDir], modelId);
  const dtype = chooseDtype(config.EMBED_DTYPE, local.dtypes);
  if (dtype.fallbackFrom) {
    log.info(
      { modelId, wanted: DTYPE_FILES[dtype.fallbackFrom], using: DTYPE_FILES[dtype.use as ConcreteDtype] },
      `EMBED_DTYPE=${dtype.fallbackFrom} weights are not in ${where}; using ${dtype.use} instead`,
    );
  }
  if (!allowRemote) {
    const missing = [...local.missing, ...(local.dtypes.length === 0 ? [DTYPE_FILES[concrete(config.EMBED_DTYPE)]] : [])];
    if (missing.length > 0) {
      const why = opts.localOnly ? 'downloads are off for this run' : 'EMBED_ALLOW_REMOTE=0';
      return fail(
        `${modelId} is not in ${where} (missing ${missing.join(', ')}) and ${why}: ` +
          `copy the model files there, or set EMBED_ALLOW_REMOTE=1 (in China also HF_ENDPOINT=https://hf-mirror.com)`,
      );
    }
  }

  // 2. Configure transformers.js (a process-wide object) and load, bounded by the timeout.
  let tf: typeof import('@huggingface/transformers');
  try {
    tf = await import('@huggingface/transformers');
  } catch (err) {
    return fail(`cannot load @huggingface/transformers / onnxruntime-node (${firstLine(err)}): run npm ci`, err);
  }
  configureTransformers(tf, { modelDir: config.modelDir, allowRemote, host, cacheDir });
  const abort = new AbortController();

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LoadTimeout(`timed out after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });

  const willDownload = allowRemote && (local.missing.length > 0 || local.dtypes.length === 0);
  if (willDownload) log.info({ modelId, host }, `downloading ${modelId} from ${host} into ${displayDir(cacheDir)}`);

  const work = loadSignal.run(abort.signal, () => openPipeline(tf, { config, log, opts, modelId, dtype: dtype.use, allowRemote, willDownload }));

  try {
    const { embedder } = await Promise.race([work, timeout]);
    log.info(
      { modelId, dim: embedder.dim, maxTokens: embedder.maxTokens, dtype: dtype.use, ms: Date.now() - started },
      'embedding model loaded',
    );
    return { ok: true, embedder };
  } catch (err) {
    abort.abort();
    // If loading finishes after we gave up, free it; if it fails later, that is already reported.
    work.then((w) => w.dispose()).catch(() => undefined);
    return fail(explain(err, { modelId, host, where, allowRemote, timeoutMs }), err);
  } finally {
    clearTimeout(timer);
  }
}

interface LocalState {
  /** Dtypes whose weight file exists in one of the folders. */
  dtypes: ConcreteDtype[];
  /** Required non-weight files found in none of the folders. */
  missing: string[];
}

/** Points transformers.js (a process-wide object) at our model folder, cache and host. */
function configureTransformers(tf: typeof import('@huggingface/transformers'), where: { modelDir: string; allowRemote: boolean; host: string; cacheDir: string }): void {
  const { env } = tf;
  env.logLevel = tf.LogLevel.ERROR; // also lowers ONNX Runtime's global log level
  env.allowLocalModels = true;
  env.localModelPath = where.modelDir;
  env.allowRemoteModels = where.allowRemote;
  // Remote URL = remoteHost + remotePathTemplate('{model}/resolve/{revision}/') + file, slashes normalized.
  env.remoteHost = where.host;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  // The file cache keys on `<model>/<file>`: caching into the model dir means a download lands exactly
  // where the next (offline) start looks for it.
  env.useFSCache = true;
  env.cacheDir = where.cacheDir;
  installAbortableFetch(env);
}

interface PipelineRequest {
  config: Config;
  log: Logger;
  opts: LoadEmbedderOptions;
  modelId: string;
  dtype: Dtype;
  allowRemote: boolean;
  willDownload: boolean;
}

/** The feature-extraction pipeline and our embedder over it; the pipeline is freed if the embedder cannot be made. */
async function openPipeline(tf: typeof import('@huggingface/transformers'), r: PipelineRequest): Promise<{ embedder: Embedder; dispose: () => unknown }> {
  const { config, log, modelId } = r;
  const pipe = (await tf.pipeline('feature-extraction', modelId, {
    dtype: r.dtype,
    device: 'cpu',
    local_files_only: !r.allowRemote,
    session_options: {
      logSeverityLevel: ORT_LOG_ERRORS_ONLY,
      ...(config.EMBED_THREADS > 0 ? { intraOpNumThreads: config.EMBED_THREADS, interOpNumThreads: 1 } : {}),
    },
    ...(r.willDownload ? { progress_callback: downloadLogger(log, modelId) } : {}),
  })) as unknown as FeatureExtractorLike;
  try {
    const preset = resolvePreset(modelId, { ...configOverrides(config), ...r.opts.overrides }, {
      tokenizerMaxLength: pipe.tokenizer.model_max_length,
      maxPositionEmbeddings: pipe.model.config?.max_position_embeddings,
      modelType: pipe.model.config?.model_type,
    });
    if (!preset.known) log.info({ modelId }, `no preset for ${modelId}: ${preset.note}`);
    const embedder = await createPipelineEmbedder(pipe, { modelId, preset, batchSize: config.EMBED_BATCH });
    return { embedder, dispose: () => pipe.dispose?.() };
  } catch (err) {
    await pipe.dispose?.().catch(() => undefined);
    throw err;
  }
}

/** Which files of `modelId` exist under any of `roots` (the local model dir and the download cache). */
export function inspectLocal(roots: string[], modelId: string): LocalState {
  const dirs = [...new Set(roots)].map((r) => path.join(r, modelId));
  const has = (file: string): boolean => dirs.some((d) => existsSync(path.join(d, file)));
  const onnxNames = new Set<string>();
  for (const d of dirs) {
    try {
      for (const f of readdirSync(path.join(d, 'onnx'))) onnxNames.add(`onnx/${f}`);
    } catch {
      // no onnx/ folder here
    }
  }
  return {
    dtypes: DTYPE_FALLBACK_ORDER.filter((t) => onnxNames.has(DTYPE_FILES[t])),
    missing: REQUIRED_FILES.filter((f) => !has(f)),
  };
}

/**
 * The dtype to ask transformers.js for: the requested one if its file is present (or nothing is present,
 * so it will be downloaded), else the best present one. `auto` means the best present one, else q8.
 */
export function chooseDtype(requested: Dtype, present: readonly ConcreteDtype[]): { use: Dtype; fallbackFrom?: ConcreteDtype } {
  if (requested === 'auto') return { use: present[0] ?? 'q8' };
  if (present.length === 0 || present.includes(requested)) return { use: requested };
  return { use: present[0]!, fallbackFrom: requested };
}

function concrete(d: Dtype): ConcreteDtype {
  return d === 'auto' ? 'q8' : d;
}

interface ExplainContext {
  modelId: string;
  host: string;
  where: string;
  allowRemote: boolean;
  timeoutMs: number;
}

/** One line: what went wrong, then how to fix it. */
export function explain(err: unknown, ctx: ExplainContext): string {
  const { modelId, host, where } = ctx;
  const fix =
    `put the model files in ${where} (config.json, tokenizer.json, tokenizer_config.json, onnx/…) ` +
    `or set HF_ENDPOINT to a reachable mirror such as https://hf-mirror.com`;
  const msg = firstLine(err);
  const code = errorCode(err);

  if (err instanceof LoadTimeout) return `loading ${modelId} ${msg} (is ${host} reachable?): ${fix}`;
  if (code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+|CERT_\w+|\w*SSL\w*)$/u.test(code)) {
    return `cannot reach ${host} to download ${modelId} (${code}): ${fix}`;
  }
  if (/fetch failed|network|socket/iu.test(msg)) return `cannot reach ${host} to download ${modelId} (${msg}): ${fix}`;
  const status = /(?:\((\d{3})\)|\b(40[134])\b)/u.exec(msg);
  if (/Could not locate file|Unauthorized access|Forbidden access|ModelFileNotFound/iu.test(`${nameOf(err)} ${msg}`) || status) {
    if (/local_files_only|allowRemoteModels=false/u.test(msg)) return `${modelId}: ${msg}: ${fix}`;
    return `${host} has no ${modelId} or its files (${msg}) — check EMBED_MODEL, or ${fix}`;
  }
  if (/protobuf|onnx|Load model|session|graph|opset/iu.test(msg)) {
    return `the ONNX weights of ${modelId} could not be opened (${msg}); the file is corrupt or incomplete: delete it and ${fix}`;
  }
  if (/JSON|Unexpected token|tokenizer/iu.test(msg)) {
    return `the model files of ${modelId} are unreadable (${msg}): ${fix}`;
  }
  return `loading ${modelId} failed (${msg}): ${fix}`;
}

function downloadLogger(log: Logger, modelId: string): (p: { status?: string; file?: string; progress?: number; total?: number }) => void {
  const reported = new Map<string, number>();
  return (p) => {
    if (p.status !== 'progress' || !p.file || (p.total ?? 0) < 5_000_000) return;
    const step = Math.floor((p.progress ?? 0) / 25) * 25;
    if (step > (reported.get(p.file) ?? -1)) {
      reported.set(p.file, step);
      log.info({ modelId, file: p.file, total: p.total }, `download ${p.file}: ${step}%`);
    }
  };
}

function firstLine(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const line = raw.split('\n').find((l) => l.trim()) ?? raw;
  return line.trim().slice(0, 300);
}

function nameOf(err: unknown): string {
  return err instanceof Error ? err.name : '';
}

/** Node's network errors hide the code in `cause` (fetch) or `cause.cause`. */
function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function displayDir(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return `${rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : dir}${path.sep}`;
}
