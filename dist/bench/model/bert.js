/**
 * A BERT encoder with random weights and the shape of a real embedding model, written as a model
 * folder transformers.js loads like a downloaded one. A model's cost is set by its shape, not its
 * weights, so this runs the real transformers.js + onnxruntime path at the real model's cost, offline.
 *
 * Graph (opset 17), per the BERT paper and what exporters emit:
 *   embeddings   word[input_ids] + position[0..S) + type[token_type_ids] → LayerNorm
 *   N × layer    multi-head self-attention (Q/K/V projections, scaled dot product with the padding
 *                mask as −10000 bias, softmax, output projection) + residual → LayerNorm;
 *                feed-forward (hidden → intermediate, GELU (erf form), → hidden) + residual → LayerNorm
 *   output       last_hidden_state [batch, seq, hidden]
 *
 * Weights are uniform with BERT's initializer standard deviation (0.02), LayerNorm γ = 1, β = 0.
 * The q8 variant (`onnx/model_quantized.onnx`) is what `quantize_dynamic` produces: every MatMul weight
 * int8 (per tensor, symmetric), activations quantized on the fly (DynamicQuantizeLinear →
 * MatMulInteger → rescale), the word-embedding table int8 with a DequantizeLinear after the Gather.
 *
 * The tokenizer is WordPiece over the seed pages' characters (one token per CJK character, like
 * bge-small-zh's), padded with filler tokens to the shape's vocabulary size. e5-small's real tokenizer
 * (SentencePiece, ~1.4 characters per Chinese token) gives somewhat fewer tokens per chunk, so the
 * e5-small shape here is, if anything, slower than the real model.
 *
 * @example
 * const m = await createShapedModel('/tmp/models', { shape: 'bge-small-zh', dtypes: ['fp32', 'q8'] });
 * loadConfig({ EMBED_LOCAL_DIR: m.modelDir, EMBED_MODEL: m.modelId, EMBED_DTYPE: 'q8' });
 */
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ELEM, floats, GraphBuilder, int64s, leBytes } from './onnx.js';
import { bertConfig, buildVocab, TOKENIZER_CONFIG, tokenizerJson } from './vocab.js';
/** Named shapes: the real models' config.json numbers. */
export const MODEL_SHAPES = Object.freeze({
    /** BAAI/bge-small-zh-v1.5: 24 M parameters. */
    'bge-small-zh': { layers: 4, hidden: 512, heads: 8, intermediate: 2048, vocab: 21_128, maxPositions: 512, modelId: 'Xenova/bge-small-zh-v1.5' },
    /** intfloat/multilingual-e5-small: 118 M parameters (96 M of them the embedding table). */
    'e5-small': { layers: 12, hidden: 384, heads: 12, intermediate: 1536, vocab: 250_037, maxPositions: 512, modelId: 'Xenova/multilingual-e5-small' },
});
/** The full shape for `opts` (named shape plus overrides); throws a clear error on a bad one. */
export function resolveShape(opts) {
    const named = opts.shape === undefined ? undefined : MODEL_SHAPES[opts.shape];
    if (opts.shape !== undefined && !named)
        throw new Error(`unknown model shape "${opts.shape}" (known: ${Object.keys(MODEL_SHAPES).join(', ')})`);
    const hidden = opts.hidden ?? named?.hidden ?? 384;
    const heads = opts.heads ?? (opts.hidden !== undefined ? undefined : named?.heads) ?? Math.max(1, Math.floor(hidden / 64));
    if (hidden % heads !== 0)
        throw new Error(`hidden size ${hidden} is not divisible by ${heads} attention heads`);
    const layers = opts.layers ?? named?.layers ?? 4;
    const vocab = opts.vocab ?? named?.vocab ?? 21_128;
    const custom = opts.layers !== undefined || opts.hidden !== undefined || opts.vocab !== undefined || opts.heads !== undefined;
    return {
        layers,
        hidden,
        heads,
        intermediate: opts.intermediate ?? (opts.hidden !== undefined ? undefined : named?.intermediate) ?? hidden * 4,
        vocab,
        maxPositions: named?.maxPositions ?? 512,
        modelId: opts.modelId ?? (named && !custom ? named.modelId : `bench/bert-L${layers}-H${hidden}-V${vocab}`),
    };
}
export function parameterCount(s) {
    const h = s.hidden;
    const embed = (s.vocab + s.maxPositions + 2) * h + 2 * h;
    const layer = 4 * (h * h + h) + 2 * h + (h * s.intermediate + s.intermediate) + (s.intermediate * h + h) + 2 * h;
    return embed + s.layers * layer;
}
/** Writes the model folder (config, tokenizer, weights per dtype) and says where it is. Deterministic in the seed. */
export async function createShapedModel(dir, opts = {}) {
    const shape = resolveShape(opts);
    const dtypes = opts.dtypes ?? ['fp32'];
    const root = path.join(dir, shape.modelId);
    const vocab = await buildVocab(opts.seedsDir, shape.vocab);
    await mkdir(path.join(root, 'onnx'), { recursive: true });
    await Promise.all([
        writeFile(path.join(root, 'config.json'), JSON.stringify(bertConfig(shape.vocab, shape.hidden, shape.layers, shape.heads, shape.intermediate), null, 2)),
        writeFile(path.join(root, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab))),
        writeFile(path.join(root, 'tokenizer_config.json'), JSON.stringify(TOKENIZER_CONFIG, null, 2)),
    ]);
    const weights = new Weights(shape, opts.seed ?? 1);
    const files = {};
    for (const dtype of dtypes) {
        const file = path.join(root, 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
        buildGraph(shape, weights, dtype).writeModel(file, { producer: 'baowen-shaped-bert', opset: 17 });
        files[dtype] = fs.statSync(file).size;
    }
    return { modelDir: dir, modelId: shape.modelId, shape, parameters: parameterCount(shape), files };
}
// ---------------------------------------------------------------------------------------------
// Weights: generated once per model, shared by the fp32 and q8 graphs
const INIT_STD = 0.02;
class Weights {
    shape;
    cache = new Map();
    state;
    constructor(shape, seed) {
        this.shape = shape;
        this.state = (seed * 0x9e3779b1) >>> 0 || 1;
    }
    /** A [rows × cols] table, uniform with standard deviation 0.02 (xorshift32; same seed → same bytes). */
    random(name, size) {
        const hit = this.cache.get(name);
        if (hit)
            return hit;
        const out = new Float32Array(size);
        const a = INIT_STD * Math.sqrt(3);
        const k = (2 * a) / 4294967296;
        let x = this.state;
        for (let i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            out[i] = (x >>> 0) * k - a;
        }
        this.state = x >>> 0 || 1;
        this.cache.set(name, out);
        return out;
    }
}
/** Symmetric per-tensor int8 quantization: q = round(w / scale), scale = max|w| / 127. */
function quantize(w) {
    let max = 0;
    for (let i = 0; i < w.length; i++)
        max = Math.max(max, Math.abs(w[i]));
    const scale = max / 127 || 1;
    const q = new Int8Array(w.length);
    for (let i = 0; i < w.length; i++)
        q[i] = Math.round(w[i] / scale);
    return { q, scale };
}
// ---------------------------------------------------------------------------------------------
// The graph
function buildGraph(s, w, dtype) {
    const g = new GraphBuilder(`bert_L${s.layers}_H${s.hidden}`);
    const H = s.hidden;
    const hd = H / s.heads;
    const dyn = ['batch_size', 'sequence_length'];
    for (const name of ['input_ids', 'attention_mask', 'token_type_ids'])
        g.input(name, ELEM.INT64, dyn);
    const scalarF = (name, v) => g.init(name, ELEM.FLOAT, [], floats([v]));
    const scalarI = (name, v) => g.init(name, ELEM.INT64, [], int64s([v]));
    const ones = (name, n) => g.init(name, ELEM.FLOAT, [n], floats(new Float32Array(n).fill(1)));
    const zeros = (name, n) => g.init(name, ELEM.FLOAT, [n], floats(new Float32Array(n)));
    const layerNorm = (x, prefix) => g.node('LayerNormalization', [x, ones(`${prefix}.weight`, H), zeros(`${prefix}.bias`, H)], [`${prefix}.out`], { axis: -1, epsilon: { f: 1e-12 } });
    /** x [B, S, in] · W [in, out] + b. */
    const linear = (x, name, inDim, outDim) => {
        const weight = w.random(`${name}.weight`, inDim * outDim);
        const bias = zeros(`${name}.bias`, outDim);
        let y;
        if (dtype === 'fp32') {
            y = g.node('MatMul', [x, g.init(`${name}.weight`, ELEM.FLOAT, [inDim, outDim], leBytes(weight))], [`${name}.mm`]);
        }
        else {
            const { q, scale } = quantize(weight);
            const wq = g.init(`${name}.weight_quantized`, ELEM.INT8, [inDim, outDim], leBytes(q));
            const wzp = g.init(`${name}.weight_zero_point`, ELEM.INT8, [], leBytes(new Int8Array(1)));
            const ws = scalarF(`${name}.weight_scale`, scale);
            g.node('DynamicQuantizeLinear', [x], [`${name}.xq`, `${name}.xs`, `${name}.xzp`]);
            g.node('MatMulInteger', [`${name}.xq`, wq, `${name}.xzp`, wzp], [`${name}.mmi`]);
            g.node('Cast', [`${name}.mmi`], [`${name}.mmf`], { to: ELEM.FLOAT });
            g.node('Mul', [`${name}.xs`, ws], [`${name}.scale`]);
            y = g.node('Mul', [`${name}.mmf`, `${name}.scale`], [`${name}.mm`]);
        }
        return g.node('Add', [y, bias], [`${name}.out`]);
    };
    // Embeddings.
    const word = w.random('embeddings.word_embeddings.weight', s.vocab * H);
    let we;
    if (dtype === 'fp32') {
        we = g.node('Gather', [g.init('embeddings.word_embeddings.weight', ELEM.FLOAT, [s.vocab, H], leBytes(word)), 'input_ids'], ['word_embeds']);
    }
    else {
        const { q, scale } = quantize(word);
        const table = g.init('embeddings.word_embeddings.weight_quantized', ELEM.INT8, [s.vocab, H], leBytes(q));
        g.node('Gather', [table, 'input_ids'], ['word_embeds_q']);
        we = g.node('DequantizeLinear', ['word_embeds_q', scalarF('word_scale', scale), g.init('word_zero_point', ELEM.INT8, [], leBytes(new Int8Array(1)))], ['word_embeds']);
    }
    const pos = g.init('embeddings.position_embeddings.weight', ELEM.FLOAT, [s.maxPositions, H], leBytes(w.random('embeddings.position_embeddings.weight', s.maxPositions * H)));
    const type = g.init('embeddings.token_type_embeddings.weight', ELEM.FLOAT, [2, H], leBytes(w.random('embeddings.token_type_embeddings.weight', 2 * H)));
    g.node('Shape', ['input_ids'], ['ids_shape']);
    g.node('Gather', ['ids_shape', scalarI('one_i', 1)], ['seq_len'], { axis: 0 });
    g.node('Range', [scalarI('zero_i', 0), 'seq_len', 'one_i'], ['position_ids']);
    g.node('Gather', [pos, 'position_ids'], ['pos_embeds']);
    g.node('Gather', [type, 'token_type_ids'], ['type_embeds']);
    g.node('Add', [we, 'pos_embeds'], ['embeds_wp']);
    g.node('Add', ['embeds_wp', 'type_embeds'], ['embeds']);
    let x = layerNorm('embeds', 'embeddings.LayerNorm');
    // Padding mask as an additive bias [B, 1, 1, S].
    g.node('Cast', ['attention_mask'], ['mask_f'], { to: ELEM.FLOAT });
    g.node('Unsqueeze', ['mask_f', g.init('mask_axes', ELEM.INT64, [2], int64s([1, 2]))], ['mask_4d']);
    g.node('Sub', [scalarF('one_f', 1), 'mask_4d'], ['mask_inv']);
    g.node('Mul', ['mask_inv', scalarF('mask_neg', -10000)], ['mask_bias']);
    const headsShape = g.init('heads_shape', ELEM.INT64, [4], int64s([0, 0, s.heads, hd]));
    const mergeShape = g.init('merge_shape', ELEM.INT64, [3], int64s([0, 0, H]));
    const sqrtHd = scalarF('sqrt_head_dim', Math.sqrt(hd));
    const sqrt2 = scalarF('sqrt_2', Math.SQRT2);
    const half = scalarF('half', 0.5);
    for (let l = 0; l < s.layers; l++) {
        const p = `encoder.layer.${l}`;
        const split = (name, perm) => {
            const y = linear(x, `${p}.attention.self.${name}`, H, H);
            g.node('Reshape', [y, headsShape], [`${p}.${name}.heads`]);
            return g.node('Transpose', [`${p}.${name}.heads`], [`${p}.${name}.t`], { perm });
        };
        const q = split('query', [0, 2, 1, 3]);
        const k = split('key', [0, 2, 3, 1]);
        const v = split('value', [0, 2, 1, 3]);
        g.node('MatMul', [q, k], [`${p}.scores_raw`]);
        g.node('Div', [`${p}.scores_raw`, sqrtHd], [`${p}.scores_scaled`]);
        g.node('Add', [`${p}.scores_scaled`, 'mask_bias'], [`${p}.scores`]);
        g.node('Softmax', [`${p}.scores`], [`${p}.probs`], { axis: -1 });
        g.node('MatMul', [`${p}.probs`, v], [`${p}.context_heads`]);
        g.node('Transpose', [`${p}.context_heads`], [`${p}.context_t`], { perm: [0, 2, 1, 3] });
        g.node('Reshape', [`${p}.context_t`, mergeShape], [`${p}.context`]);
        const attnOut = linear(`${p}.context`, `${p}.attention.output.dense`, H, H);
        g.node('Add', [attnOut, x], [`${p}.attention.residual`]);
        x = layerNorm(`${p}.attention.residual`, `${p}.attention.output.LayerNorm`);
        const inter = linear(x, `${p}.intermediate.dense`, H, s.intermediate);
        g.node('Div', [inter, sqrt2], [`${p}.gelu.div`]);
        g.node('Erf', [`${p}.gelu.div`], [`${p}.gelu.erf`]);
        g.node('Add', [`${p}.gelu.erf`, 'one_f'], [`${p}.gelu.add`]);
        g.node('Mul', [inter, `${p}.gelu.add`], [`${p}.gelu.mul`]);
        g.node('Mul', [`${p}.gelu.mul`, half], [`${p}.gelu`]);
        const out = linear(`${p}.gelu`, `${p}.output.dense`, s.intermediate, H);
        g.node('Add', [out, x], [`${p}.output.residual`]);
        x = layerNorm(`${p}.output.residual`, `${p}.output.LayerNorm`);
    }
    g.node('Identity', [x], ['last_hidden_state']);
    g.output('last_hidden_state', ELEM.FLOAT, [...dyn, H]);
    return g;
}
//# sourceMappingURL=bert.js.map