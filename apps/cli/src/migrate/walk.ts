import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { languageOf } from './languages.js';

/** Directories that hold dependencies or build output, not the caller's own code. */
export const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', 'dist', 'build', 'target', '.venv', 'venv', '__pycache__', '.turbo', 'coverage']);

/** Larger files are generated or minified; their lines would not be useful findings. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface SourceFile {
  /** Relative to the scanned root (POSIX separators), or the path as given for a single file. */
  path: string;
  text: string;
}

/** Reads every source file in a language the scanner knows, under `root` (a directory or one file). */
export async function* sourceFiles(root: string): AsyncGenerator<SourceFile> {
  const info = await stat(root);
  if (info.isFile()) {
    if (languageOf(root) && info.size <= MAX_FILE_BYTES) yield { path: root, text: await readFile(root, 'utf8') };
    return;
  }
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(full);
      } else if (entry.isFile() && languageOf(entry.name)) {
        const size = (await stat(full)).size;
        if (size > MAX_FILE_BYTES) continue;
        yield { path: relative(root, full).split(sep).join('/'), text: await readFile(full, 'utf8') };
      }
    }
  }
}
