/**
 * Typed errors of the index store. Each carries the directory and a message a user can act on,
 * so the CLIs and the bot can print `err.message` as is.
 */

/** Base class: every store error names the index directory it is about. */
export class IndexError extends Error {
  override name = 'IndexError';
  constructor(
    message: string,
    /** The index directory (`INDEX_DIR`). */
    readonly dir: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
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
  override name = 'IndexNotFoundError';
  constructor(dir: string, options?: ErrorOptions) {
    super(`No index in ${dir}. Run: npm run index`, dir, options);
  }
}

/** The index on disk cannot be used with this code or this configuration; searching it would give wrong results. */
export class IndexMismatchError extends IndexError {
  override name = 'IndexMismatchError';
  constructor(
    /** What differs, e.g. `built with model A, but EMBED_MODEL is B`. */
    readonly reason: string,
    dir: string,
  ) {
    super(`Index in ${dir} ${reason}; re-index: npm run index -- --full`, dir);
  }
}

/** A generation named by `CURRENT` is missing or unreadable (someone edited the index folder by hand). */
export class IndexCorruptError extends IndexError {
  override name = 'IndexCorruptError';
  constructor(detail: string, dir: string, options?: ErrorOptions) {
    super(`Index in ${dir} is damaged (${detail}); re-index: npm run index -- --full`, dir, options);
  }
}

/** Another live process holds the writer lock (`<dir>/.lock`). */
export class IndexLockedError extends IndexError {
  override name = 'IndexLockedError';
  constructor(
    dir: string,
    /** Pid recorded in the lock file. */
    readonly pid: number,
  ) {
    super(
      `Another indexer (pid ${pid}) is writing ${dir}; try again when it has finished ` +
        `(if no such process is running, delete ${dir}/.lock)`,
      dir,
    );
  }
}
