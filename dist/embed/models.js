/**
 * What each embedding model expects around the text: prefixes, pooling, normalization and length.
 * Getting these wrong does not fail loudly — it silently degrades retrieval — so they live in one table.
 *
 * @example
 * const p = resolvePreset('Xenova/multilingual-e5-small');
 * p.queryPrefix; // 'query: '
 */
const E5 = { queryPrefix: 'query: ', passagePrefix: 'passage: ', pooling: 'mean', normalize: true, maxTokens: 512 };
const BGE_ZH = {
    queryPrefix: '为这个句子生成表示以用于检索相关文章：',
    passagePrefix: '',
    pooling: 'cls',
    normalize: true,
    maxTokens: 512,
};
/** Known models, keyed by Hugging Face id. */
export const MODEL_PRESETS = Object.freeze({
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
export const DEFAULT_PRESET = Object.freeze({
    queryPrefix: '',
    passagePrefix: '',
    pooling: 'mean',
    normalize: true,
    note: 'unknown model: mean pooling, normalized, no prefixes',
});
const FALLBACK_MAX_TOKENS = 512;
/** The preset for an id: exact id first, then the same model name under another org (`intfloat/…`, `onnx-community/…`). */
export function findPreset(modelId) {
    const exact = Object.hasOwn(MODEL_PRESETS, modelId) ? MODEL_PRESETS[modelId] : undefined;
    if (exact)
        return exact;
    const name = baseName(modelId);
    for (const [id, preset] of Object.entries(MODEL_PRESETS))
        if (baseName(id) === name)
            return preset;
    return undefined;
}
/**
 * Decides every embedding setting for `modelId`: overrides > preset > what the model says > 512.
 * `maxTokens` never exceeds the tokenizer's own `model_max_length`, since that is where it truncates.
 */
export function resolvePreset(modelId, overrides = {}, hints = {}) {
    const found = findPreset(modelId);
    const base = found ?? DEFAULT_PRESET;
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    const merged = { ...base, ...defined };
    const tokLimit = sane(hints.tokenizerMaxLength);
    const posLimit = sane(hints.maxPositionEmbeddings);
    const fromModel = tokLimit ?? (posLimit !== undefined ? posLimit - (/roberta/iu.test(hints.modelType ?? '') ? 2 : 0) : undefined);
    let maxTokens = merged.maxTokens ?? fromModel ?? FALLBACK_MAX_TOKENS;
    if (tokLimit !== undefined)
        maxTokens = Math.min(maxTokens, tokLimit);
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
function baseName(id) {
    return (id.split('/').pop() ?? id).toLowerCase();
}
/** A usable length: tokenizers write 1e30 (or nothing) when they mean "unbounded". */
function sane(n) {
    return n !== undefined && Number.isFinite(n) && n > 0 && n <= 1_000_000 ? n : undefined;
}
//# sourceMappingURL=models.js.map