/**
 * On-disk layout and crash-safe saving.
 *
 * ```
 * index/
 *   CURRENT                      one line: the live generation, e.g. `gen-20240501T080000123Z-3f9a1c`
 *   .lock                        writer lock (see lock.ts)
 *   gen-20240501T080000123Z-3f9a1c/
 *     manifest.json  docs-*.ndjson  keyword.bin  [keyword-delta.bin]
 *     [vectors.hnsw  sentences.ndjson  sentvec-*.f32  passages.ndjson  passvec-*.f32]
 *   gen-<previous>/              kept one save longer, then deleted
 * ```
 *
 * A save writes every file of a NEW generation directory and fsyncs it, then switches `CURRENT` by
 * writing a temp file, fsyncing it and renaming it over `CURRENT` (atomic on POSIX), then fsyncs the
 * folder. A crash before the rename leaves `CURRENT` on the previous, complete generation; a crash
 * after it leaves the new one. Stray generations and temp files are removed by the next save.
 * Readers only ever follow `CURRENT`, so they never see a half-written generation.
 *
 * Files a save did not change are hard links to the previous generation's (segments, the keyword
 * base, the HNSW graph; see memory.ts): deleting a generation deletes its names, not data another
 * generation still links.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const CURRENT_FILE = 'CURRENT';
const CURRENT_TMP_PREFIX = 'CURRENT.tmp-';
const GEN_RE = /^gen-[0-9A-Za-z-]+$/u;

/** File names inside a generation directory. */
export const GEN_FILES = {
  manifest: 'manifest.json',
  keyword: 'keyword.bin',
  /** Keyword changes since keyword.bin was written (see keyword.ts `writeDelta`). */
  keywordDelta: 'keyword-delta.bin',
  vectors: 'vectors.hnsw',
} as const;

/**
 * The live generation name from `<dir>/CURRENT`, or null when there is no index.
 * One small read: cheap enough for the bot to poll every few seconds.
 *
 * @example
 * const gen = currentGeneration(config.indexDir); if (gen !== loadedGen) reload();
 */
export function currentGeneration(dir: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, CURRENT_FILE), 'utf8');
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return null;
    throw e;
  }
  const gen = text.trim();
  return GEN_RE.test(gen) ? gen : null;
}

export function generationDir(dir: string, gen: string): string {
  return path.join(dir, gen);
}

/** One file of a generation: its content, or a function that writes it to the given path (for native writers). */
export interface GenerationFile {
  name: string;
  write: string | Buffer | ((file: string) => void);
}

/** Points in a save where a test may inject a crash (by throwing or killing the process). */
export type SaveStep = `write:${string}` | 'sync' | 'switch' | 'cleanup';

export interface SaveHooks {
  /** Called before each step; throwing aborts the save exactly there, as a crash would. */
  onStep?: (step: SaveStep) => void;
}

/**
 * Writes `files` as a new generation under `dir`, switches `CURRENT` to it atomically, and deletes
 * generations older than the previous one. Returns the new generation name.
 * The caller must hold the writer lock ({@link acquireLock}).
 */
export function saveGeneration(dir: string, files: GenerationFile[], hooks: SaveHooks = {}): string {
  const step = hooks.onStep ?? (() => {});
  fs.mkdirSync(dir, { recursive: true });
  const previous = currentGeneration(dir);
  const stamp = new Date().toISOString().replace(/[-:.]/gu, '');
  const gen = `gen-${stamp}-${randomBytes(3).toString('hex')}`;
  const genDir = generationDir(dir, gen);
  fs.mkdirSync(genDir);

  for (const f of files) {
    step(`write:${f.name}`);
    const file = path.join(genDir, f.name);
    if (typeof f.write === 'function') {
      f.write(file);
      fsyncFile(file);
    } else {
      writeFileSynced(file, f.write);
    }
  }
  step('sync');
  fsyncDir(genDir);
  fsyncDir(dir);

  step('switch');
  const tmp = path.join(dir, `${CURRENT_TMP_PREFIX}${randomBytes(4).toString('hex')}`);
  writeFileSynced(tmp, `${gen}\n`);
  fs.renameSync(tmp, path.join(dir, CURRENT_FILE));
  fsyncDir(dir);

  step('cleanup');
  removeStale(dir, new Set([gen, ...(previous ? [previous] : [])]));
  return gen;
}

/** Deletes generation folders not in `keep` and leftover `CURRENT.tmp-*` files (best effort). */
export function removeStale(dir: string, keep: ReadonlySet<string>): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const stale = (GEN_RE.test(name) && !keep.has(name)) || name.startsWith(CURRENT_TMP_PREFIX);
    if (!stale) continue;
    try {
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // A reader on Windows may still have a file open; the next save tries again.
    }
  }
  return removed;
}

/** Writes and fsyncs one file. */
export function writeFileSynced(file: string, data: string | Buffer): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a file piece by piece (for outputs too large for one JavaScript string) and fsyncs it.
 * `pieces` yields strings; they are buffered into ~1 MiB writes.
 */
export function writeLinesSynced(file: string, pieces: Iterable<string>): void {
  const fd = fs.openSync(file, 'w');
  try {
    let buf: string[] = [];
    let size = 0;
    for (const p of pieces) {
      buf.push(p);
      size += p.length;
      if (size >= 1 << 20) {
        fs.writeFileSync(fd, buf.join(''));
        buf = [];
        size = 0;
      }
    }
    if (buf.length) fs.writeFileSync(fd, buf.join(''));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Lines of a (possibly very large) UTF-8 file (or its bytes), decoded one by one so no single string gets huge. */
export function* readLines(file: string | Buffer): Generator<string> {
  const buf = typeof file === 'string' ? fs.readFileSync(file) : file;
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    if (end === -1) end = buf.length;
    if (end > start) yield buf.toString('utf8', start, end);
    start = end + 1;
  }
}

/** Hard-links `from` as `to` (an unchanged file into a new generation); copies when linking fails. */
export function linkOrCopy(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync of a directory makes renames and new entries durable (POSIX); not supported on Windows. */
function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // EISDIR/EPERM on platforms without directory fsync.
  } finally {
    fs.closeSync(fd);
  }
}

/** Closes a reader's file descriptors once the object holding them is garbage (the bot replaced the index). */
export const closeWhenCollected = new FinalizationRegistry<number[]>((fds) => {
  for (const fd of fds) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
  }
});

export function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}
