/**
 * Wraps a loaded pipeline. The dimension is learned by embedding a probe string, so a wrong or corrupt
 * model fails here (at load time), not halfway through indexing.
 */
export async function createPipelineEmbedder(pipe, opts) {
    const { preset, modelId } = opts;
    const batchSize = Math.max(1, Math.floor(opts.batchSize));
    const { tokenizer } = pipe;
    const embedBatch = async (texts) => {
        const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: preset.maxTokens });
        const outputs = await pipe.model(inputs);
        try {
            const hidden = outputs.last_hidden_state ?? outputs.token_embeddings ?? outputs.logits;
            if (!hidden)
                throw new Error(`model outputs ${Object.keys(outputs).join(', ')}, expected last_hidden_state`);
            const mask = inputs.attention_mask;
            if (!mask)
                throw new Error('tokenizer returned no attention_mask');
            return pool(hidden, mask, preset.pooling, preset.normalize);
        }
        finally {
            for (const t of Object.values(outputs))
                t?.dispose?.();
        }
    };
    const probe = await embedBatch([`${preset.passagePrefix}probe 探测`]);
    const dim = probe[0]?.length ?? 0;
    if (dim === 0 || !probe[0].every(Number.isFinite)) {
        throw new Error(`model produced ${dim === 0 ? 'an empty' : 'a non-finite'} embedding for a probe text`);
    }
    return {
        modelId,
        dim,
        maxTokens: preset.maxTokens,
        countTokens(text) {
            return tokenizer.encode(preset.passagePrefix + text).length;
        },
        async embedPassages(texts, onProgress) {
            const out = new Array(texts.length);
            // Similar lengths share a batch, so little is spent on padding; results go back in input order.
            const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
            for (let start = 0; start < order.length; start += batchSize) {
                const idx = order.slice(start, start + batchSize);
                const vecs = await embedBatch(idx.map((i) => preset.passagePrefix + texts[i]));
                idx.forEach((i, k) => (out[i] = vecs[k]));
                onProgress?.(Math.min(start + batchSize, texts.length), texts.length);
            }
            return out;
        },
        async embedQuery(text) {
            const [v] = await embedBatch([preset.queryPrefix + text]);
            return v;
        },
    };
}
/** [batch, seq, dim] hidden states → one (optionally L2-normalized) vector per row, copied out of the tensor. */
export function pool(hidden, mask, pooling, normalize) {
    const h = hidden.type === 'float32' || !hidden.to ? hidden : hidden.to('float32');
    const [batch, seq, dim] = h.dims;
    if (batch === undefined || seq === undefined || dim === undefined || h.dims.length !== 3) {
        throw new Error(`expected hidden states [batch, seq, dim], got [${h.dims.join(', ')}]`);
    }
    const data = h.data;
    const m = mask.data;
    const out = [];
    for (let b = 0; b < batch; b++) {
        const v = new Float32Array(dim);
        if (pooling === 'cls') {
            const base = b * seq * dim;
            for (let d = 0; d < dim; d++)
                v[d] = data[base + d];
        }
        else {
            let count = 0;
            for (let s = 0; s < seq; s++) {
                if (Number(m[b * seq + s]) === 0)
                    continue;
                count++;
                const base = (b * seq + s) * dim;
                for (let d = 0; d < dim; d++)
                    v[d] += data[base + d];
            }
            if (count > 0)
                for (let d = 0; d < dim; d++)
                    v[d] /= count;
        }
        if (normalize) {
            let norm = 0;
            for (let d = 0; d < dim; d++)
                norm += v[d] * v[d];
            norm = Math.sqrt(norm);
            if (norm > 0)
                for (let d = 0; d < dim; d++)
                    v[d] /= norm;
        }
        out.push(v);
    }
    return out;
}
//# sourceMappingURL=embedder.js.map