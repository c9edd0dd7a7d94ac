// Writes src/openapi.generated.json from the built openapi module (run by `pnpm build`, and by
// wrangler before dev and deploy). Prints whether anything changed.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { buildOpenApiDocument } = await import(join(root, 'dist', 'openapi.js'));
const target = join(root, 'src', 'openapi.generated.json');
const text = `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
let before = '';
try {
  before = readFileSync(target, 'utf8');
} catch {
  // first build
}
if (before !== text) {
  writeFileSync(target, text);
  console.error('[edge] wrote src/openapi.generated.json');
}
