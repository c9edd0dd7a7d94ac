// `pnpm bench`: the deployable edge Worker's size, as `wrangler deploy --dry-run` bundles it
// (wrangler.jsonc: minified), gzip level 9 and wrangler's own figure, and what is in it (minified
// bytes by package, then gzip bytes by input and package: tooling/worker-bundle/gzip-shares.js, a few
// seconds more). Target: at most 40 KB gzip; test/node/bundle-size.test.ts holds the ceiling.
// Offline: nothing is uploaded. Run after `pnpm build` (turbo's bench task depends on it).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { byPackage, describeBundle, JOBS_WORKER_BUDGET_BYTES, measureWorkerBundle } from '@cloudagent-phone/worker-bundle';
import { gzipShares } from '@cloudagent-phone/worker-bundle/gzip-shares';

const bundle = await measureWorkerBundle(join(dirname(fileURLToPath(import.meta.url)), '..'));
console.log(describeBundle('edge', bundle));
console.log(`  by input (minified bytes): ${byPackage(bundle.inputs).slice(0, 12).map(({ name, bytes }) => `${name} ${(bytes / 1024).toFixed(1)} KB`).join(', ')}`);
// What each input costs in gzip bytes (by deletion; docs/decisions.md "Worker bundles"), and by group.
const { shares } = await gzipShares(join(dirname(fileURLToPath(import.meta.url)), '..'));
console.log(`  by input (gzip bytes): ${shares.slice(0, 12).map(({ input, bytes }) => `${input} ${bytes}`).join(', ')}`);
console.log(`  by package (gzip bytes): ${byPackage(shares).slice(0, 12).map(({ name, bytes }) => `${name} ${bytes}`).join(', ')}`);
// Issue 14: the bulk-jobs Worker (wrangler.jobs.jsonc), with the Workflow and its Durable Object in it: at most 50 KB gzip.
const jobs = await measureWorkerBundle(join(dirname(fileURLToPath(import.meta.url)), '..'), { configFile: 'wrangler.jobs.jsonc' });
console.log(describeBundle('bulk-jobs', jobs, JOBS_WORKER_BUDGET_BYTES));
console.log(`  by input (minified bytes): ${byPackage(jobs.inputs).slice(0, 12).map(({ name, bytes }) => `${name} ${(bytes / 1024).toFixed(1)} KB`).join(', ')}`);
