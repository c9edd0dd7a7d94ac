// Core's cost in a bundle: minified + gzip, zod/mini included, as an edge app would ship it.
// Target: under 10 KB.
import { gzipSync } from 'node:zlib';
import { build } from 'rolldown';

const out = await build({
  input: new URL('../dist/index.js', import.meta.url).pathname,
  write: false,
  output: { format: 'esm', minify: true },
  treeshake: true,
  logLevel: 'silent',
});
const code = out.output[0].code;
// Everything exported counts: an app importing core whole pays this at most.
const gz = gzipSync(code, { level: 9 }).length;
console.log(`core bundle: ${(code.length / 1024).toFixed(1)} KB minified, ${(gz / 1024).toFixed(1)} KB gzip (target < 10 KB) ${gz < 10 * 1024 ? 'OK' : 'OVER TARGET'}`);
