// A reader branches on `outcome.kind` with the list the README gives them; a kind missing from
// that list is a case their code never handles. Each documented list must name every kind core has.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OUTCOME_KINDS } from '@cloudagent-phone/core';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('the outcome kinds the READMEs list', () => {
  it('README.md, the library snippet: every kind in the `// outcome.kind:` comment', () => {
    const readme = read('README.md');
    const comment = /\/\/ outcome\.kind:([^\n]*(?:\n\/\/[^\n]*)*)/.exec(readme)?.[1];
    expect(comment).toBeDefined();
    const listed = comment!.split(/[|\s]+/).filter((w) => /^[a-z_]+$/.test(w));
    expect(OUTCOME_KINDS.filter((k) => !listed.includes(k))).toEqual([]);
  });

  it('apps/cli/README.md, the JSON envelope: every kind in the `outcome` entry', () => {
    const entry = /- `outcome`: core's outcome kind \(([^)]*)\)/.exec(read('apps/cli/README.md'))?.[1];
    expect(entry).toBeDefined();
    const listed = [...entry!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    expect(OUTCOME_KINDS.filter((k) => !listed.includes(k))).toEqual([]);
  });
});
