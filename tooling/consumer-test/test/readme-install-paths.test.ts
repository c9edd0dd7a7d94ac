// npm reads an install argument of the form `dir/file.tgz` as a GitHub shorthand (`owner/repo`) and
// runs `git ls-remote ssh://git@github.com/dir/file.tgz.git`, which fails far from the cause. Only a
// spec that starts like a path (./, ../, /, ~/) is read as a local tarball. The READMEs are copied
// by hand, so every tarball they tell a reader to install must be spelled as a path.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const documents = ['README.md', 'apps/cli/README.md', 'scripts/bootstrap.mjs'];

/** Every tarball argument of every `npm install` / `npm i` command in a text. */
function tarballArguments(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const command = /\bnpm (?:install|i)\b(.*)/.exec(line)?.[1];
    if (command === undefined) continue;
    const code = command.split(/\s#|'\)|`/)[0]!;
    for (const arg of code.trim().split(/\s+/)) if (/\.tgz"?$/.test(arg)) out.push(arg);
  }
  return out;
}

const readsAsPath = (arg: string) => /^(?:\.{1,2}\/|\/|~\/|"\$[A-Z_]+"\/)/.test(arg);

describe('tarballs the READMEs tell a reader to install', () => {
  for (const doc of documents) {
    it(`${doc}: each is spelled as a path npm reads as a file, not a GitHub shorthand`, () => {
      const args = tarballArguments(readFileSync(join(root, doc), 'utf8'));
      expect(args.length).toBeGreaterThan(0);
      expect(args.filter((a) => !readsAsPath(a))).toEqual([]);
    });
  }
});
