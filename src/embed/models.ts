/**
 * What each embedding model expects around the text: prefixes, pooling, normalization and length.
 * Getting these wrong does not fail loudly — it silently degrades retrieval — so they live in one table.
 *
 * @example
 * const p = resolvePreset('Xenova/multilingual-e5-small');
 * p.queryPrefix; // 'query: '
 */

export type Pooling = 'mean' | 'cls';

export interface ModelPreset {
  /** Prepended to questions (e5: `query: `, bge-zh: the retrieval instruction). */
  queryPrefix: string;
  /** Prepended to indexed passages (e5: `passage: `). */
  passagePrefix: string;
  /** How token vectors become one vector: masked mean, or the first ([CLS]) token. */
  pooling: Pooling;
  /** L2-normalize the pooled vector (all presets do; cosine = dot product then). */
  normalize: boolean;
  /** Largest input in the model's own tokens, prefix and specials included. Absent: read from the model. */
  maxTokens?: number;
  /** One line for /status and docs. */
  note: string;
}

/** A preset with every field decided, as the embedder uses it. */
export interface ResolvedPreset extends Required<Omit<ModelPreset, 'note'>> {
  note: string;
  /** False when `modelId` matched no preset and defaults were used. */
  known: boolean;
}

/** Explicit settings that win over the preset (for models not in the table, or experiments). */
export type PresetOverrides = Partial<Omit<ModelPreset, 'note'>>;

/** Facts read from the loaded model, used when neither preset nor overrides give `maxTokens`. */
export interface ModelHints {
  /** tokenizer_config.json `model_max_length` (often absent or a 1e30 sentinel). */
  tokenizerMaxLength?: number;
  /** config.json `max_position_embeddings`. */
  maxPositionEmbeddings?: number;
  /** config.json `model_type` (RoBERTa-family models reserve 2 positions for padding offsets). */
  modelType?: string;
}

const E5 = { queryPrefix: 'query: ', passagePrefix: 'passage: ', pooling: 'mean', normalize: true, maxTokens: 512 } as const;
const BGE_ZH = {
  queryPrefix: '为这个句子生成表示以用于检索相关文章：',
  passagePrefix: '',
  pooling: 'cls',
  normalize: true,
  maxTokens: 512,
} as const;

/** Known models, keyed by Hugging Face id. */
export const MODEL_PRESETS: Readonly<Record<string, ModelPreset>> = Object.freeze({
  'Xenova/multilingual-e5-small': { ...E5, note: 'default; 384-d, Chinese and English' },
  'Xenova/multilingual-e5-base': { ...E5, note: '768-d, Chinese and English, ~2.5x slower than small' },
  'Xenova/multilingual-e5-large': { ...E5, note: '1024-d, Chinese and English, slow on CPU' },
  'Xenova/bge-small-zh-v1.5': { ...BGE_ZH, note: '512-d, Chinese only, fastest' },
  'Xenova/bge-base-zh-v1.5': { ...BGE_ZH, note: '768-d, Chinese only' },
  'Xenova/bge-m3': {
    queryPrefix: '',
    passagePrefix: '',
    pooling: 'cls',
    normalize: true,
    maxTokens: 8192,
    note: '1024-d, multilingual, long inputs, slow on CPU',
  },
  'Xenova/paraphrase-multilingual-MiniLM-L12-v2': {
    queryPrefix: '',
    passagePrefix: '',
    pooling: 'mean',
    normalize: true,
    maxTokens: 128,
    note: '384-d, multilingual, short inputs only',
  },
});

/** Used for ids not in the table: what most sentence-embedding exports expect. */
export const DEFAULT_PRESET: ModelPreset = Object.freeze({
  queryPrefix: '',
  passagePrefix: '',
  pooling: 'mean',
  normalize: true,
  note: 'unknown model: mean pooling, normalized, no prefixes',
});

const FALLBACK_MAX_TOKENS = 512;

/** The preset for an id: exact id first, then the same model name under another org (`intfloat/…`, `onnx-community/…`). */
export function findPreset(modelId: string): ModelPreset | undefined {
  const exact = Object.hasOwn(MODEL_PRESETS, modelId) ? MODEL_PRESETS[modelId] : undefined;
  if (exact) return exact;
  const name = baseName(modelId);
  for (const [id, preset] of Object.entries(MODEL_PRESETS)) if (baseName(id) === name) return preset;
  return undefined;
}

/**
 * Decides every embedding setting for `modelId`: overrides > preset > what the model says > 512.
 * `maxTokens` never exceeds the tokenizer's own `model_max_length`, since that is where it truncates.
 */
export function resolvePreset(modelId: string, overrides: PresetOverrides = {}, hints: ModelHints = {}): ResolvedPreset {
  const found = findPreset(modelId);
  const base = found ?? DEFAULT_PRESET;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as PresetOverrides;
  const merged = { ...base, ...defined };

  const tokLimit = sane(hints.tokenizerMaxLength);
  const posLimit = sane(hints.maxPositionEmbeddings);
  const fromModel =
    tokLimit ?? (posLimit !== undefined ? posLimit - (/roberta/iu.test(hints.modelType ?? '') ? 2 : 0) : undefined);
  let maxTokens = merged.maxTokens ?? fromModel ?? FALLBACK_MAX_TOKENS;
  if (tokLimit !== undefined) maxTokens = Math.min(maxTokens, tokLimit);

  return {
    queryPrefix: merged.queryPrefix,
    passagePrefix: merged.passagePrefix,
    pooling: merged.pooling,
    normalize: merged.normalize,
    maxTokens: Math.max(1, Math.floor(maxTokens)),
    note: merged.note,
    known: found !== undefined,
  };
}

function baseName(id: string): string {
  return (id.split('/').pop() ?? id).toLowerCase();
}

/** A usable length: tokenizers write 1e30 (or nothing) when they mean "unbounded". */
function sane(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n > 0 && n <= 1_000_000 ? n : undefined;
}
