// Core's cost in a bundle: minified + gzip, zod/mini included, as an edge app would ship it.
// Target: under 10 KB for the whole package. dist is one module per source file with
// `sideEffects: false`, so an app pays only for what it imports: the lines after the first show
// what some typical imports cost on their own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'rolldown';

const DIST = new URL('../dist/index.js', import.meta.url).pathname;

async function measure(input) {
  const out = await build({ input, write: false, output: { format: 'esm', minify: true }, treeshake: true, logLevel: 'silent' });
  const code = out.output[0].code;
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const kb = (n) => (n / 1024).toFixed(1);
// Everything exported counts: an app importing core whole pays this at most.
const whole = await measure(DIST);
console.log(`core bundle: ${kb(whole.minified)} KB minified, ${kb(whole.gzip)} KB gzip (target < 10 KB) ${whole.gzip < 10 * 1024 ? 'OK' : 'OVER TARGET'}`);

const SUBSETS = [
  ['classify + nextStep + redact (no validation, no zod)', 'classify, nextStep, redact'],
  ['validateOperation (with zod/mini)', 'validateOperation'],
];
const dir = mkdtempSync(join(tmpdir(), 'core-size-'));
try {
  for (const [label, names] of SUBSETS) {
    const entry = join(dir, 'entry.js');
    writeFileSync(entry, `export { ${names} } from ${JSON.stringify(DIST)};\n`);
    const { minified, gzip } = await measure(entry);
    console.log(`  ${label}: ${kb(minified)} KB minified, ${kb(gzip)} KB gzip`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
