/** Content hashes of page files (the cheap first step of every run); the folder is listed by ingest's `listPages`. */
import { createHash } from 'node:crypto';

export { listPages } from '../ingest/index.js';

/** sha256 hex of a page file's bytes. */
export function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
