// Issue 13's budget as a test, not a timed one: the deployable edge Worker, bundled by
// `wrangler deploy --dry-run` from wrangler.jsonc (minified), measured in gzip bytes (gzip -9 of
// worker.js and wrangler's own figure). A byte ceiling, so weight cannot come back silently;
// `pnpm bench` prints the same figure. Runs after the build (turbo's test task depends on it) and
// bundles once, without building again.
//
// The target is 40 KB (WORKER_BUDGET_BYTES). It was met (39.0 KB) until the hostile-input work
// (issue 9) added about 1.6 KB (40.6 KB); CORS and the body limit written out took it back to
// 40.1 KB, and the transport's client split (issue 12) added about 0.15 KB. Cuts in the shared
// packages (core tree-shaken and ordered, no v1 in createClientWithTransport, the token holder
// without a memory default) brought it to 39.9 KB: 40,865 bytes gzip -9, wrangler 40,888. Putting
// Hono's modules first in the bundle (app.ts's imports: what gzip's window sees together) took it to
// 39.67 KB: 40,588 bytes gzip -9, wrangler 40,622 (40,843 and 40,868 just before). The lookup by
// name (GET /phone-numbers?phoneName=, the by-number handler reused) added about 50 bytes: 40,644
// and 40,673; with the bulk-jobs forward to the jobs Worker (about 90 bytes) 40,732 and 40,755; at
// 40,752 and 40,776 the ceiling was 39.84 KB (40,796 bytes). Two correctness fixes in the shared
// transport took it to 40,810 and 40,837 (+61 bytes, wrangler's figure): `CallResult.sent` false
// when nothing left (a refused connection), and token generations in one millisecond counted
// apart (docs/decisions.md). Correctness over 60 bytes: the ceiling was raised for them, to what
// wrangler measured plus 19 bytes, still below the 40 KB budget. The edge's configuration on core's
// checkConfig (issue 12's one config style: about 0.7 KB as first written, 0.55 KB once core's rules
// used plain zod check functions instead of z.refine) was paid for by cuts of the same size in the
// edge (docs/decisions.md "Edge headroom"): a router of its own for Hono (0.14 KB), the transport's
// untilAborted and GET_WITH_BODY_FIX instead of copies, core's nextStep for the timeout answer, one
// cache less, the audit query on core's rules, a shorter duplicate-key scan, the one-of message of
// core: 40,812 bytes gzip -9, wrangler 40,837, the size before. The shared HTTP/1.1 codec learning
// keep-alive framing (issue 16's keep-alive transport on Node; the socket transport here uses the
// same parser) was paid for inside the codec and the socket transport: 40,810 and 40,827 (2 and 10
// bytes less). Lower it as weight goes, never
// raise it without saying why, and make room in the Worker before adding to it (docs/decisions.md
// "Worker bundles", README "Tests").
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { byPackage, JOBS_WORKER_BUDGET_BYTES, measureWorkerBundle, WORKER_BUDGET_BYTES } from '@cloudagent-phone/worker-bundle';

const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));
// Session 5 raised it, on purpose, by 600 B (40,154 B measured): the HTTP/1.1 response parser became
// a class that parses an answer where it arrived (+564 B gzip; 3.0 -> 1.3 us an answer, the socket
// transport's on Workers too) and validateOperation remembers what it returned (+113 B). Still
// 800 B under the 40 KB budget.
const EDGE_CEILING_BYTES = Math.min(WORKER_BUDGET_BYTES, 40_300); // session 5: 40,154 B by wrangler
// Issue 14's budget for the Worker with the Workflow in it: 50 KB. It measured 42.6 KB (43,592
// bytes, wrangler's figure; 43,817 where the edge-config branch began) until the edge's
// configuration went onto core's checkConfig (issue 12, one config style: its rules and zod's
// unknown type, about 0.45 KB here, where the edge Worker's cuts in app.ts do not reach): 44,268
// bytes. The ceiling holds it just above, not at the budget, so weight shows.
const JOBS_CEILING_BYTES = Math.min(JOBS_WORKER_BUDGET_BYTES, 43.5 * 1024); // 43,162 B in session 4

describe('the edge Worker bundle', () => {
  it('stays within 40 KB gzip as wrangler deploy --dry-run bundles it', { timeout: 300_000 }, async () => {
    const bundle = await measureWorkerBundle(APP_DIR);
    // What is in it, for whoever has to make room (largest first).
    const breakdown = byPackage(bundle.inputs).map(({ name, bytes }) => `${name} ${bytes}`).join(', ');
    expect(bundle.inputs.length, 'the metafile lists the inputs').toBeGreaterThan(10);
    expect(bundle.gzipBytes, `gzip -9 of worker.js; minified bytes by input: ${breakdown}`).toBeLessThanOrEqual(EDGE_CEILING_BYTES);
    expect(bundle.wranglerGzipBytes, 'the gzip size wrangler itself reports').toBeDefined();
    expect(bundle.wranglerGzipBytes!, `wrangler's gzip figure; minified bytes by input: ${breakdown}`).toBeLessThanOrEqual(EDGE_CEILING_BYTES);
  });
});

describe('the bulk-jobs Worker bundle (wrangler.jobs.jsonc: the Workflow, the BulkJob object, the routes)', () => {
  it('stays under its ceiling, within issue 14\'s 50 KB gzip, as wrangler deploy --dry-run bundles it', { timeout: 300_000 }, async () => {
    const bundle = await measureWorkerBundle(APP_DIR, { configFile: 'wrangler.jobs.jsonc' });
    const breakdown = byPackage(bundle.inputs).map(({ name, bytes }) => `${name} ${bytes}`).join(', ');
    // The Workflow and its object are in it (not only the routes).
    expect(bundle.inputs.map((i) => i.input)).toEqual(expect.arrayContaining(['src/bulk-jobs/workers/workflow.ts', 'src/bulk-jobs/workers/job-object.ts']));
    expect(bundle.gzipBytes, `gzip -9 of the script; minified bytes by input: ${breakdown}`).toBeLessThanOrEqual(JOBS_CEILING_BYTES);
    expect(bundle.wranglerGzipBytes!, `wrangler's gzip figure; minified bytes by input: ${breakdown}`).toBeLessThanOrEqual(JOBS_CEILING_BYTES);
  });
});
