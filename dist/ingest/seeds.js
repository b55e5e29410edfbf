/**
 * The I/O edge of ingest: read every page file in a directory and parse it, one bad page never
 * costing the others.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PageParseError, parsePage } from './parse.js';
/**
 * Parses every `*.txt` in `dir`, sorted by name. A malformed, empty or unreadable page is
 * reported in its result's `error` instead of throwing. Throws only when `dir` cannot be listed.
 *
 * @example
 * for (const page of await parseSeedsDir('seeds')) if (page.error) console.error(page.error);
 */
export async function parseSeedsDir(dir) {
    const entries = await readdir(dir, { withFileTypes: true });
    const files = entries
        .filter((e) => e.isFile() && /\.txt$/iu.test(e.name))
        .map((e) => e.name)
        .sort();
    const results = [];
    for (const file of files) {
        try {
            const content = await readFile(path.join(dir, file), 'utf8');
            const { articles, warnings } = parsePage(file, content);
            results.push({ file, articles, warnings });
        }
        catch (err) {
            const message = err instanceof PageParseError ? err.message : `${file}: ${err instanceof Error ? err.message : String(err)}`;
            results.push({ file, articles: [], warnings: [], error: message });
        }
    }
    return results;
}
//# sourceMappingURL=seeds.js.map