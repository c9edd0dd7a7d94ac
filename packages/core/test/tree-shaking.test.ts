// Core's dist is one module per source file and package.json says `sideEffects: false`, so a bundler
// keeps only the modules (and top-level tables) an app uses. Checked on the built dist with esbuild
// at the version wrangler 4.86 bundles Workers with, minified: a Worker that takes one helper does
// not pay for zod/mini, the schemas or the classifier's tables. Runs after the build (turbo's test
// task depends on it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Bundle {
  code: string;
  warnings: string[];
}

/** What a Worker that imports `names` from core and uses them would ship. */
async function bundleOf(names: readonly string[]): Promise<Bundle> {
  if (!existsSync(DIST)) throw new Error('dist/index.js is missing: run `pnpm build` in packages/core first');
  const result = await build({
    stdin: { contents: `export { ${names.join(', ')} } from ${JSON.stringify(DIST)};`, resolveDir: PACKAGE_DIR, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    write: false,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, warnings: result.warnings.map((w) => w.text) };
}

// Strings that only come with one part of core: zod/mini's internals, a rule message (rules.ts),
// a vendor message from the classifier's table, a redaction pattern.
const ZOD = '_zod';
const RULE_TEXT = 'put numbers in quotes';
const CLASSIFIER_TABLE = 'phonename should be between';
const REDACTION_PATTERN = 'proxy-authorization';

describe('core tree-shakes in a Worker bundle', () => {
  it('a lone helper costs its own few bytes', async () => {
    const { code, warnings } = await bundleOf(['isMutation']);
    expect(warnings).toEqual([]);
    expect(code.length, `${code.length} bytes: ${code.slice(0, 200)}...`).toBeLessThan(200);
    expect(code).not.toContain(ZOD);
  });

  it.each([
    [['redact'], [ZOD, RULE_TEXT, CLASSIFIER_TABLE]],
    [['classify'], [ZOD, RULE_TEXT, REDACTION_PATTERN]],
    [['nextStep', 'createOutcome'], [ZOD, RULE_TEXT, CLASSIFIER_TABLE, REDACTION_PATTERN]],
    [['normalizeMessage', 'parseRetryAfter'], [ZOD, CLASSIFIER_TABLE]],
    [['formatIssues'], [ZOD, RULE_TEXT]],
    [['encodeV2', 'checkBaseUrl'], [ZOD, RULE_TEXT, CLASSIFIER_TABLE, REDACTION_PATTERN]],
  ] as const)('%j leaves out what it does not use', async (names, absent) => {
    const { code, warnings } = await bundleOf(names);
    expect(warnings).toEqual([]);
    for (const text of absent) expect(code, `${names.join(', ')} should not bring "${text}"`).not.toContain(text);
  });

  // Validation runs the rules of field-rules.ts itself; only the exported schemas are zod's.
  it('validation brings the rules and no zod/mini; a schema brings zod/mini', async () => {
    const { code, warnings } = await bundleOf(['validateOperation', 'validateCredentials']);
    expect(warnings).toEqual([]);
    expect(code).toContain(RULE_TEXT);
    expect(code).not.toContain(ZOD);
  });

  it('the schemas bring zod/mini and the rules with them (so the checks above can fail)', async () => {
    const { code } = await bundleOf(['userNameSchema', 'operationSchemas']);
    expect(code).toContain(ZOD);
    expect(code).toContain(RULE_TEXT);
    const classifier = await bundleOf(['classify']);
    expect(classifier.code).toContain(CLASSIFIER_TABLE);
    const redaction = await bundleOf(['redact']);
    expect(redaction.code).toContain(REDACTION_PATTERN);
  });

  it('what is bundled still works', async () => {
    const { code } = await bundleOf(['classify', 'isMutation']);
    const bundled = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as typeof import('../src/index.js');
    expect(bundled.isMutation('edit')).toBe(true);
    expect(bundled.classify({ status: 200, body: '{"status":"success","message":"record inserted successfully"}' }, 'create').kind).toBe('success');
  });
});
