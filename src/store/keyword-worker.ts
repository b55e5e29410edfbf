/** Worker thread of {@link buildKeywordIndex}: indexes its shard and posts the index's bytes back. */
import { parentPort, workerData } from 'node:worker_threads';
import { indexShard, unflatten, type ShardInput } from './keyword-build.js';

const buf = indexShard(unflatten(workerData as ShardInput)).toArrayBuffer();
parentPort?.postMessage(buf, [buf]);
