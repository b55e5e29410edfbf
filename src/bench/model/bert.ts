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

export interface ModelShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocab: number;
  /** Position-embedding rows (the longest input). */
  maxPositions: number;
  /** The real model whose shape this is: its folder name, so its preset (prefixes, pooling) applies. */
  modelId: string;
}

/** Named shapes: the real models' config.json numbers. */
export const MODEL_SHAPES: Readonly<Record<string, ModelShape>> = Object.freeze({
  /** BAAI/bge-small-zh-v1.5: 24 M parameters. */
  'bge-small-zh': { layers: 4, hidden: 512, heads: 8, intermediate: 2048, vocab: 21_128, maxPositions: 512, modelId: 'Xenova/bge-small-zh-v1.5' },
  /** intfloat/multilingual-e5-small: 118 M parameters (96 M of them the embedding table). */
  'e5-small': { layers: 12, hidden: 384, heads: 12, intermediate: 1536, vocab: 250_037, maxPositions: 512, modelId: 'Xenova/multilingual-e5-small' },
});

export type ShapeDtype = 'fp32' | 'q8';

export interface ShapedModelOptions {
  /** A named shape (see {@link MODEL_SHAPES}); the other fields override it. */
  shape?: string;
  layers?: number;
  hidden?: number;
  /** Attention heads; default hidden / 64 (at least 1). */
  heads?: number;
  intermediate?: number;
  vocab?: number;
  /** Folder under `dir`; default the named shape's real model id, else `bench/bert-L<l>-H<h>-V<v>`. */
  modelId?: string;
  dtypes?: ShapeDtype[];
  seed?: number;
  seedsDir?: string;
}

export interface ShapedModel {
  /** Pass as EMBED_LOCAL_DIR. */
  modelDir: string;
  modelId: string;
  shape: ModelShape;
  parameters: number;
  /** Bytes per written weight file. */
  files: Partial<Record<ShapeDtype, number>>;
}

/** The full shape for `opts` (named shape plus overrides); throws a clear error on a bad one. */
export function resolveShape(opts: ShapedModelOptions): ModelShape {
  const named = opts.shape === undefined ? undefined : MODEL_SHAPES[opts.shape];
  if (opts.shape !== undefined && !named) throw new Error(`unknown model shape "${opts.shape}" (known: ${Object.keys(MODEL_SHAPES).join(', ')})`);
  const hidden = opts.hidden ?? named?.hidden ?? 384;
  const heads = opts.heads ?? (opts.hidden !== undefined ? undefined : named?.heads) ?? Math.max(1, Math.floor(hidden / 64));
  if (hidden % heads !== 0) throw new Error(`hidden size ${hidden} is not divisible by ${heads} attention heads`);
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

export function parameterCount(s: ModelShape): number {
  const h = s.hidden;
  const embed = (s.vocab + s.maxPositions + 2) * h + 2 * h;
  const layer = 4 * (h * h + h) + 2 * h + (h * s.intermediate + s.intermediate) + (s.intermediate * h + h) + 2 * h;
  return embed + s.layers * layer;
}

/** Writes the model folder (config, tokenizer, weights per dtype) and says where it is. Deterministic in the seed. */
export async function createShapedModel(dir: string, opts: ShapedModelOptions = {}): Promise<ShapedModel> {
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
  const files: ShapedModel['files'] = {};
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
  private readonly cache = new Map<string, Float32Array>();
  private state: number;

  constructor(
    readonly shape: ModelShape,
    seed: number,
  ) {
    this.state = (seed * 0x9e3779b1) >>> 0 || 1;
  }

  /** A [rows × cols] table, uniform with standard deviation 0.02 (xorshift32; same seed → same bytes). */
  random(name: string, size: number): Float32Array {
    const hit = this.cache.get(name);
    if (hit) return hit;
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
function quantize(w: Float32Array): { q: Int8Array; scale: number } {
  let max = 0;
  for (let i = 0; i < w.length; i++) max = Math.max(max, Math.abs(w[i] as number));
  const scale = max / 127 || 1;
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.round((w[i] as number) / scale);
  return { q, scale };
}

// ---------------------------------------------------------------------------------------------
// The graph

/** Builds the graph: the three inputs, the embeddings, the padding mask, N layers, last_hidden_state. */
function buildGraph(s: ModelShape, w: Weights, dtype: ShapeDtype): GraphBuilder {
  const b = new BertGraph(s, w, dtype);
  const dyn = ['batch_size', 'sequence_length'];
  for (const name of ['input_ids', 'attention_mask', 'token_type_ids']) b.g.input(name, ELEM.INT64, dyn);
  let x = b.embeddings();
  b.maskBias();
  const shared = b.layerConstants();
  for (let l = 0; l < s.layers; l++) {
    const p = `encoder.layer.${l}`;
    x = b.attention(p, x, shared);
    x = b.feedForward(p, x, shared);
  }
  b.g.node('Identity', [x], ['last_hidden_state']);
  b.g.output('last_hidden_state', ELEM.FLOAT, [...dyn, s.hidden]);
  return b.g;
}

/** Initializers every layer shares (created once, after the mask, in this order). */
interface LayerConstants {
  headsShape: string;
  mergeShape: string;
  sqrtHd: string;
  sqrt2: string;
  half: string;
}

/**
 * The graph's parts over one GraphBuilder. Node and initializer order is the file's byte order and the
 * weights are drawn in call order, so the methods run in the order buildGraph calls them.
 */
class BertGraph {
  readonly g: GraphBuilder;
  private readonly H: number;

  constructor(
    private readonly s: ModelShape,
    private readonly w: Weights,
    private readonly dtype: ShapeDtype,
  ) {
    this.g = new GraphBuilder(`bert_L${s.layers}_H${s.hidden}`);
    this.H = s.hidden;
  }

  scalarF(name: string, v: number): string {
    return this.g.init(name, ELEM.FLOAT, [], floats([v]));
  }

  scalarI(name: string, v: number): string {
    return this.g.init(name, ELEM.INT64, [], int64s([v]));
  }

  private zeros(name: string, n: number): string {
    return this.g.init(name, ELEM.FLOAT, [n], floats(new Float32Array(n)));
  }

  private layerNorm(x: string, prefix: string): string {
    const ones = this.g.init(`${prefix}.weight`, ELEM.FLOAT, [this.H], floats(new Float32Array(this.H).fill(1)));
    return this.g.node('LayerNormalization', [x, ones, this.zeros(`${prefix}.bias`, this.H)], [`${prefix}.out`], { axis: -1, epsilon: { f: 1e-12 } });
  }

  /** x [B, S, in] · W [in, out] + b; in q8, MatMulInteger on the dynamically quantized input. */
  private linear(x: string, name: string, inDim: number, outDim: number): string {
    const g = this.g;
    const weight = this.w.random(`${name}.weight`, inDim * outDim);
    const bias = this.zeros(`${name}.bias`, outDim);
    let y: string;
    if (this.dtype === 'fp32') {
      y = g.node('MatMul', [x, g.init(`${name}.weight`, ELEM.FLOAT, [inDim, outDim], leBytes(weight))], [`${name}.mm`]);
    } else {
      const { q, scale } = quantize(weight);
      const wq = g.init(`${name}.weight_quantized`, ELEM.INT8, [inDim, outDim], leBytes(q));
      const wzp = g.init(`${name}.weight_zero_point`, ELEM.INT8, [], leBytes(new Int8Array(1)));
      const ws = this.scalarF(`${name}.weight_scale`, scale);
      g.node('DynamicQuantizeLinear', [x], [`${name}.xq`, `${name}.xs`, `${name}.xzp`]);
      g.node('MatMulInteger', [`${name}.xq`, wq, `${name}.xzp`, wzp], [`${name}.mmi`]);
      g.node('Cast', [`${name}.mmi`], [`${name}.mmf`], { to: ELEM.FLOAT });
      g.node('Mul', [`${name}.xs`, ws], [`${name}.scale`]);
      y = g.node('Mul', [`${name}.mmf`, `${name}.scale`], [`${name}.mm`]);
    }
    return g.node('Add', [y, bias], [`${name}.out`]);
  }

  /** word[input_ids] (int8 table + DequantizeLinear in q8) + position[0..S) + type[token_type_ids] → LayerNorm. */
  embeddings(): string {
    const { g, s, H } = this;
    const word = this.w.random('embeddings.word_embeddings.weight', s.vocab * H);
    let we: string;
    if (this.dtype === 'fp32') {
      we = g.node('Gather', [g.init('embeddings.word_embeddings.weight', ELEM.FLOAT, [s.vocab, H], leBytes(word)), 'input_ids'], ['word_embeds']);
    } else {
      const { q, scale } = quantize(word);
      const table = g.init('embeddings.word_embeddings.weight_quantized', ELEM.INT8, [s.vocab, H], leBytes(q));
      g.node('Gather', [table, 'input_ids'], ['word_embeds_q']);
      we = g.node('DequantizeLinear', ['word_embeds_q', this.scalarF('word_scale', scale), g.init('word_zero_point', ELEM.INT8, [], leBytes(new Int8Array(1)))], ['word_embeds']);
    }
    const pos = g.init('embeddings.position_embeddings.weight', ELEM.FLOAT, [s.maxPositions, H], leBytes(this.w.random('embeddings.position_embeddings.weight', s.maxPositions * H)));
    const type = g.init('embeddings.token_type_embeddings.weight', ELEM.FLOAT, [2, H], leBytes(this.w.random('embeddings.token_type_embeddings.weight', 2 * H)));
    g.node('Shape', ['input_ids'], ['ids_shape']);
    g.node('Gather', ['ids_shape', this.scalarI('one_i', 1)], ['seq_len'], { axis: 0 });
    g.node('Range', [this.scalarI('zero_i', 0), 'seq_len', 'one_i'], ['position_ids']);
    g.node('Gather', [pos, 'position_ids'], ['pos_embeds']);
    g.node('Gather', [type, 'token_type_ids'], ['type_embeds']);
    g.node('Add', [we, 'pos_embeds'], ['embeds_wp']);
    g.node('Add', ['embeds_wp', 'type_embeds'], ['embeds']);
    return this.layerNorm('embeds', 'embeddings.LayerNorm');
  }

  /** The padding mask as an additive bias [B, 1, 1, S] (`mask_bias`); also defines `one_f`. */
  maskBias(): void {
    const g = this.g;
    g.node('Cast', ['attention_mask'], ['mask_f'], { to: ELEM.FLOAT });
    g.node('Unsqueeze', ['mask_f', g.init('mask_axes', ELEM.INT64, [2], int64s([1, 2]))], ['mask_4d']);
    g.node('Sub', [this.scalarF('one_f', 1), 'mask_4d'], ['mask_inv']);
    g.node('Mul', ['mask_inv', this.scalarF('mask_neg', -10000)], ['mask_bias']);
  }

  layerConstants(): LayerConstants {
    const { g, s, H } = this;
    const hd = H / s.heads;
    return {
      headsShape: g.init('heads_shape', ELEM.INT64, [4], int64s([0, 0, s.heads, hd])),
      mergeShape: g.init('merge_shape', ELEM.INT64, [3], int64s([0, 0, H])),
      sqrtHd: this.scalarF('sqrt_head_dim', Math.sqrt(hd)),
      sqrt2: this.scalarF('sqrt_2', Math.SQRT2),
      half: this.scalarF('half', 0.5),
    };
  }

  /** Multi-head self-attention (scaled dot product + mask bias, softmax), output projection, residual → LayerNorm. */
  attention(p: string, x: string, c: LayerConstants): string {
    const { g, H } = this;
    const split = (name: string, perm: number[]): string => {
      const y = this.linear(x, `${p}.attention.self.${name}`, H, H);
      g.node('Reshape', [y, c.headsShape], [`${p}.${name}.heads`]);
      return g.node('Transpose', [`${p}.${name}.heads`], [`${p}.${name}.t`], { perm });
    };
    const q = split('query', [0, 2, 1, 3]);
    const k = split('key', [0, 2, 3, 1]);
    const v = split('value', [0, 2, 1, 3]);
    g.node('MatMul', [q, k], [`${p}.scores_raw`]);
    g.node('Div', [`${p}.scores_raw`, c.sqrtHd], [`${p}.scores_scaled`]);
    g.node('Add', [`${p}.scores_scaled`, 'mask_bias'], [`${p}.scores`]);
    g.node('Softmax', [`${p}.scores`], [`${p}.probs`], { axis: -1 });
    g.node('MatMul', [`${p}.probs`, v], [`${p}.context_heads`]);
    g.node('Transpose', [`${p}.context_heads`], [`${p}.context_t`], { perm: [0, 2, 1, 3] });
    g.node('Reshape', [`${p}.context_t`, c.mergeShape], [`${p}.context`]);
    const attnOut = this.linear(`${p}.context`, `${p}.attention.output.dense`, H, H);
    g.node('Add', [attnOut, x], [`${p}.attention.residual`]);
    return this.layerNorm(`${p}.attention.residual`, `${p}.attention.output.LayerNorm`);
  }

  /** hidden → intermediate, GELU (erf form), → hidden, residual → LayerNorm. */
  feedForward(p: string, x: string, c: LayerConstants): string {
    const { g, s, H } = this;
    const inter = this.linear(x, `${p}.intermediate.dense`, H, s.intermediate);
    g.node('Div', [inter, c.sqrt2], [`${p}.gelu.div`]);
    g.node('Erf', [`${p}.gelu.div`], [`${p}.gelu.erf`]);
    g.node('Add', [`${p}.gelu.erf`, 'one_f'], [`${p}.gelu.add`]);
    g.node('Mul', [inter, `${p}.gelu.add`], [`${p}.gelu.mul`]);
    g.node('Mul', [`${p}.gelu.mul`, c.half], [`${p}.gelu`]);
    const out = this.linear(`${p}.gelu`, `${p}.output.dense`, s.intermediate, H);
    g.node('Add', [out, x], [`${p}.output.residual`]);
    return this.layerNorm(`${p}.output.residual`, `${p}.output.LayerNorm`);
  }
}
