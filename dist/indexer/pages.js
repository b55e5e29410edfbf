/** Page files of the seeds folder and their content hashes (the cheap first step of every run). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
/** Page file names (`*.txt`) in `dir`, sorted. Throws a clear error when the folder is missing. */
export function listPages(dir) {
    let entries;
    try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
    }
    catch (e) {
        const code = e.code;
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
/** sha256 hex of a page file's bytes. */
export function hashBytes(bytes) {
    return createHash('sha256').update(bytes).digest('hex');
}
//# sourceMappingURL=pages.js.map