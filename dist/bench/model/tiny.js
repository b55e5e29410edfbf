/**
 * A tiny, deterministic, BERT-shaped embedding model written by the tests themselves, so the real
 * transformers.js `pipeline('feature-extraction')` + onnxruntime path can run offline in CI.
 *
 * Layout (exactly what `models/<org>/<name>/` holds for a downloaded model):
 *
 *   <dir>/<modelId>/config.json            model_type "bert", hidden_size = dim
 *   <dir>/<modelId>/tokenizer.json         BertNormalizer(handle_chinese_chars) + BertPreTokenizer + WordPiece
 *   <dir>/<modelId>/tokenizer_config.json  BertTokenizer, model_max_length 512
 *   <dir>/<modelId>/onnx/model.onnx        (and model_quantized.onnx if asked for)
 *
 * The ONNX graph is `last_hidden_state = (word_emb[input_ids] + type_emb[token_type_ids]) * attention_mask`,
 * with seeded pseudo-random tables. With mean pooling that is a bag-of-tokens embedding: one token per
 * CJK character, so texts sharing characters are similar — enough to test hybrid retrieval end to end.
 *
 * The protobuf is hand-encoded (see onnx.ts), so there is no dependency beyond Node. For a model with
 * the shape (and so the cost) of a real one, see bert.ts.
 *
 * @example
 * const { modelDir, modelId } = await createTinyModel(tmp);
 * const config = loadConfig({ EMBED_LOCAL_DIR: modelDir, EMBED_MODEL: modelId, EMBED_ALLOW_REMOTE: '0' });
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ELEM, GraphBuilder, int64s, leBytes } from './onnx.js';
import { bertConfig, buildVocab, randomTable, scaleRow, SPECIAL_TOKENS, TOKENIZER_CONFIG, tokenizerJson } from './vocab.js';
/** Writes the model files and resolves to where they are. Deterministic in `seed`, `dim` and the seed texts. */
export async function createTinyModel(dir, opts = {}) {
    const dim = opts.dim ?? 64;
    const seed = opts.seed ?? 1;
    const modelId = opts.modelId ?? 'test/tiny-bert';
    const dtypes = opts.dtypes ?? ['fp32'];
    const root = path.join(dir, modelId);
    const vocab = await buildVocab(opts.seedsDir);
    const wordTable = randomTable(vocab.length, dim, seed);
    // Special tokens sit in every text: keep them quiet so the bag of real tokens dominates.
    for (let id = 0; id < SPECIAL_TOKENS.length; id++)
        scaleRow(wordTable, id, dim, 0.05);
    const typeTable = randomTable(2, dim, seed ^ 0x9e3779b9);
    for (let i = 0; i < typeTable.length; i++)
        typeTable[i] *= 0.01;
    await mkdir(path.join(root, 'onnx'), { recursive: true });
    const onnx = encodeModel(vocab.length, dim, wordTable, typeTable);
    await Promise.all([
        writeFile(path.join(root, 'config.json'), JSON.stringify(bertConfig(vocab.length, dim), null, 2)),
        writeFile(path.join(root, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab))),
        writeFile(path.join(root, 'tokenizer_config.json'), JSON.stringify(TOKENIZER_CONFIG, null, 2)),
        ...dtypes.map((d) => writeFile(path.join(root, 'onnx', d === 'q8' ? 'model_quantized.onnx' : 'model.onnx'), onnx)),
    ]);
    return {
        modelDir: dir,
        modelId,
        dim,
        vocab,
        row: (id) => wordTable.slice(id * dim, (id + 1) * dim),
    };
}
function encodeModel(vocabSize, dim, wordTable, typeTable) {
    const dyn = ['batch_size', 'sequence_length'];
    const g = new GraphBuilder('tiny_bert');
    g.node('Gather', ['embeddings.word_embeddings.weight', 'input_ids'], ['word_embeds']);
    g.node('Gather', ['embeddings.token_type_embeddings.weight', 'token_type_ids'], ['type_embeds']);
    g.node('Add', ['word_embeds', 'type_embeds'], ['embeds']);
    g.node('Cast', ['attention_mask'], ['mask_float'], { to: ELEM.FLOAT });
    g.node('Unsqueeze', ['mask_float', 'unsqueeze_axes'], ['mask_3d']);
    g.node('Mul', ['embeds', 'mask_3d'], ['last_hidden_state']);
    g.init('embeddings.word_embeddings.weight', ELEM.FLOAT, [vocabSize, dim], leBytes(wordTable));
    g.init('embeddings.token_type_embeddings.weight', ELEM.FLOAT, [2, dim], leBytes(typeTable));
    g.init('unsqueeze_axes', ELEM.INT64, [1], int64s([2]));
    for (const name of ['input_ids', 'attention_mask', 'token_type_ids'])
        g.input(name, ELEM.INT64, dyn);
    g.output('last_hidden_state', ELEM.FLOAT, [...dyn, dim]);
    return g.model({ producer: 'baowen-tiny-model', opset: 13 });
}
//# sourceMappingURL=tiny.js.map