// Writes what the edge serves as static files (Workers static assets; the same files on Node):
// public/openapi.json from the built openapi module, and the reference page's renderer (Swagger UI)
// copied from swagger-ui-dist into public/docs/ (not committed). Run by `pnpm build`, and by
// wrangler before dev and deploy. Prints what changed.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const publicDir = join(root, 'public');

const { buildOpenApiDocument } = await import(join(root, 'dist', 'openapi.js'));
const target = join(publicDir, 'openapi.json');
const text = `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
let before = '';
try {
  before = readFileSync(target, 'utf8');
} catch {
  // first build
}
if (before !== text) {
  // The committed file is what other packages build from (the typed client): in CI a stale one
  // is an error, not something to fix silently on the build machine.
  if (process.env.CI === 'true') {
    console.error('[edge] public/openapi.json is not what the code builds: run `pnpm build` in apps/edge and commit public/openapi.json');
    process.exit(1);
  }
  writeFileSync(target, text);
  console.error('[edge] wrote public/openapi.json');
}

// Only the two files the page loads: the bundle (no CDN, no source map) and its style sheet.
const swaggerUi = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
mkdirSync(join(publicDir, 'docs'), { recursive: true });
for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) copyFileSync(join(swaggerUi, file), join(publicDir, 'docs', file));
