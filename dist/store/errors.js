/**
 * Typed errors of the index store. Each carries the directory and a message a user can act on,
 * so the CLIs and the bot can print `err.message` as is.
 */
/** Base class: every store error names the index directory it is about. */
export class IndexError extends Error {
    dir;
    name = 'IndexError';
    constructor(message, 
    /** The index directory (`INDEX_DIR`). */
    dir, options) {
        super(message, options);
        this.dir = dir;
    }
}
/**
 * There is no index yet (no `CURRENT` file).
 *
 * @example
 * try { loadIndex(dir) } catch (e) { if (e instanceof IndexNotFoundError) console.error(e.message) }
 * // → "No index in /srv/baowen/index. Run: npm run index"
 */
export class IndexNotFoundError extends IndexError {
    name = 'IndexNotFoundError';
    constructor(dir, options) {
        super(`No index in ${dir}. Run: npm run index`, dir, options);
    }
}
/** The index on disk cannot be used with this code or this configuration; searching it would give wrong results. */
export class IndexMismatchError extends IndexError {
    reason;
    name = 'IndexMismatchError';
    constructor(
    /** What differs, e.g. `built with model A, but EMBED_MODEL is B`. */
    reason, dir) {
        super(`Index in ${dir} ${reason}; re-index: npm run index -- --full`, dir);
        this.reason = reason;
    }
}
/** A generation named by `CURRENT` is missing or unreadable (someone edited the index folder by hand). */
export class IndexCorruptError extends IndexError {
    name = 'IndexCorruptError';
    constructor(detail, dir, options) {
        super(`Index in ${dir} is damaged (${detail}); re-index: npm run index -- --full`, dir, options);
    }
}
/** Another live process holds the writer lock (`<dir>/.lock`). */
export class IndexLockedError extends IndexError {
    pid;
    name = 'IndexLockedError';
    constructor(dir, 
    /** Pid recorded in the lock file. */
    pid) {
        super(`Another indexer (pid ${pid}) is writing ${dir}; try again when it has finished ` +
            `(if no such process is running, delete ${dir}/.lock)`, dir);
        this.pid = pid;
    }
}
//# sourceMappingURL=errors.js.map