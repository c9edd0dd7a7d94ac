import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isStateSnapshot, type StateSnapshot } from './store.js';

let sequence = 0;

/**
 * Writes the whole state to a temp file in the same directory, fsyncs it, renames it over the
 * target and fsyncs the directory: a crash at any point leaves either the old file or the new one,
 * never a torn one. Temp files a crash leaves behind are never read.
 */
export function writeStateFile(file: string, snapshot: StateSnapshot): void {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${++sequence}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(snapshot));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  try {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Some platforms cannot open or fsync a directory; the rename itself is still atomic.
  }
}

/** The saved state, or undefined when there is no file yet. A file that is not a state file is an error, not a reset. */
export function readStateFile(file: string): StateSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed: unknown = JSON.parse(text);
  if (!isStateSnapshot(parsed)) throw new Error(`simulator: ${file} is not a simulator state file (delete it to start empty)`);
  return parsed;
}
