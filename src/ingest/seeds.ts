/**
 * The I/O edge of ingest: read every page file in a directory and parse it, one bad page never
 * costing the others.
 */
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../types.js';
import { PageParseError, parsePage } from './parse.js';

export interface PageResult {
  /** Page file name (no directory). */
  file: string;
  /** Empty when the page failed. */
  articles: Article[];
  warnings: string[];
  /** Why the page yielded nothing (message names the file); absent on success. */
  error?: string;
}

/**
 * Page file names (`*.txt`) in `dir`, sorted: the one way the page folder is read (the indexer and
 * {@link parseSeedsDir}). Throws a clear error when the folder is missing.
 */
export function listPages(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new Error(`Seeds folder ${dir} not found: put the page files (*.txt) there or set SEEDS_DIR`, { cause: e });
    }
    throw e;
  }
  return entries
    .filter((e) => e.isFile() && /\.txt$/iu.test(e.name))
    .map((e) => e.name)
    .sort();
}

/**
 * Parses every `*.txt` in `dir`, sorted by name. A malformed, empty or unreadable page is
 * reported in its result's `error` instead of throwing. Throws only when `dir` cannot be listed.
 *
 * @example
 * for (const page of await parseSeedsDir('seeds')) if (page.error) console.error(page.error);
 */
export async function parseSeedsDir(dir: string): Promise<PageResult[]> {
  const files = listPages(dir);
  const results: PageResult[] = [];
  for (const file of files) {
    try {
      const content = await readFile(path.join(dir, file), 'utf8');
      const { articles, warnings } = parsePage(file, content);
      results.push({ file, articles, warnings });
    } catch (err) {
      const message =
        err instanceof PageParseError ? err.message : `${file}: ${err instanceof Error ? err.message : String(err)}`;
      results.push({ file, articles: [], warnings: [], error: message });
    }
  }
  return results;
}
