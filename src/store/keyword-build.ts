/**
 * Building a keyword index over many chunks at once, with the tokenizer (most of the cost) spread
 * over worker threads: the chunks are cut into contiguous shards, each shard is indexed on its own
 * thread (this one takes the first), and the shards are joined in order with
 * {@link KeywordIndex.concat}, so the result is the index adding them one by one would give — the
 * same short ids, statistics and scores.
 *
 * @example
 * const kw = await buildKeywordIndex(chunks.map((c) => ({ chunk: c, article: articleOf(c) })));
 * kw.search('植树', 5);
 */
import os from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Article, Chunk } from '../types.js';
import { KeywordIndex } from './keyword.js';

export interface KeywordItem {
  chunk: Pick<Chunk, 'id' | 'text'>;
  article: Pick<Article, 'kicker' | 'title'>;
}

/** What a shard worker receives: its chunks, flattened to plain strings. */
export interface ShardInput {
  ids: number[];
  texts: string[];
  kickers: (string | null)[];
  titles: string[];
}

export interface BuildOptions {
  /** Threads in all (this one included). Default: the cores available, at most 4. */
  threads?: number;
  /** Below this many chunks one thread does it all (a worker costs ~50 ms to start). Default 20,000. */
  parallelFrom?: number;
}

export const PARALLEL_FROM = 20_000;
const MAX_THREADS = 4;

/** Threads a build uses by default: the cores available, at most 4. */
export function buildThreads(): number {
  return Math.max(1, Math.min(os.availableParallelism(), MAX_THREADS));
}

/** The keyword index of `items`, in order (see the module comment). */
export async function buildKeywordIndex(items: readonly KeywordItem[], opts: BuildOptions = {}): Promise<KeywordIndex> {
  const threads = opts.threads === undefined ? buildThreads() : Math.max(1, Math.min(opts.threads, MAX_THREADS));
  if (threads === 1 || items.length < (opts.parallelFrom ?? PARALLEL_FROM)) return indexShard(items);
  const size = Math.ceil(items.length / threads);
  const shards: KeywordItem[][] = [];
  for (let i = 0; i < items.length; i += size) shards.push(items.slice(i, i + size));
  const others = shards.slice(1).map((s) => inWorker(flatten(s)));
  const first = indexShard(shards[0] ?? []);
  const rest = (await Promise.all(others)).map((buf) => KeywordIndex.fromArrayBuffer(buf));
  return KeywordIndex.concat([first, ...rest]);
}

/** Indexes one shard here (also what a worker runs). */
export function indexShard(items: readonly KeywordItem[]): KeywordIndex {
  const kw = KeywordIndex.create();
  kw.addAll(items);
  return kw;
}

export function flatten(items: readonly KeywordItem[]): ShardInput {
  return {
    ids: items.map((x) => x.chunk.id),
    texts: items.map((x) => x.chunk.text),
    kickers: items.map((x) => x.article.kicker),
    titles: items.map((x) => x.article.title),
  };
}

export function unflatten(input: ShardInput): KeywordItem[] {
  return input.ids.map((id, i) => ({ chunk: { id, text: input.texts[i] as string }, article: { kicker: input.kickers[i] ?? null, title: input.titles[i] as string } }));
}

/**
 * The worker: the built JS as it is; from source (tsx, vitest) through tsx's loader, registered in
 * the worker itself (loader flags are not passed on to worker threads).
 */
function workerThread(input: ShardInput): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./keyword-worker.js', import.meta.url), { workerData: input });
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  const entry = new URL('./keyword-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: input });
}

/** Runs {@link indexShard} on a worker thread; resolves with the shard's bytes (transferred, not copied). */
function inWorker(input: ShardInput): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const worker = workerThread(input);
    worker.once('message', (buf: ArrayBuffer) => {
      resolve(buf);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`keyword build worker exited with code ${code}`));
    });
  });
}
