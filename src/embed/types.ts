/** The seam between indexing/search and the embedding model. Implementations live beside this file. */

export interface Embedder {
  /** Model id as configured, e.g. `Xenova/multilingual-e5-small` (recorded in the index manifest). */
  readonly modelId: string;
  /** Output dimension (384 for e5-small / bge-small). */
  readonly dim: number;
  /** Largest passage the model accepts, in its own tokens, prefix and special tokens included. */
  readonly maxTokens: number;
  /** Tokens a passage costs, prefix and special tokens included (synchronous: the tokenizer is local). */
  countTokens(text: string): number;
  /** L2-normalized passage vectors, batched internally; `onProgress(done, total)` after each batch. */
  embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]>;
  /** L2-normalized query vector (with the model's query prefix). */
  embedQuery(text: string): Promise<Float32Array>;
}

/** Loading never throws: without a model the app runs keyword-only and says why. */
export type EmbedderLoad = { ok: true; embedder: Embedder } | { ok: false; modelId: string; reason: string };
