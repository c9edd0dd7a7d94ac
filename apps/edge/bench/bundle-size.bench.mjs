// `pnpm bench`: the deployable edge Worker's size, as `wrangler deploy --dry-run` bundles it
// (wrangler.jsonc: minified), gzip level 9 and wrangler's own figure, and what is in it (minified
// bytes by package). Target: at most 40 KB gzip; test/node/bundle-size.test.ts holds the ceiling.
// Offline: nothing is uploaded. Run after `pnpm build` (turbo's bench task depends on it).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { byPackage, describeBundle, JOBS_WORKER_BUDGET_BYTES, measureWorkerBundle } from '@cloudagent-phone/worker-bundle';

const bundle = await measureWorkerBundle(join(dirname(fileURLToPath(import.meta.url)), '..'));
console.log(describeBundle('edge', bundle));
console.log(`  by input (minified bytes): ${byPackage(bundle.inputs).slice(0, 12).map(({ name, bytes }) => `${name} ${(bytes / 1024).toFixed(1)} KB`).join(', ')}`);
// Issue 14: the bulk-jobs Worker (wrangler.jobs.jsonc), with the Workflow and its Durable Object in it: at most 50 KB gzip.
const jobs = await measureWorkerBundle(join(dirname(fileURLToPath(import.meta.url)), '..'), { configFile: 'wrangler.jobs.jsonc' });
console.log(describeBundle('bulk-jobs', jobs, JOBS_WORKER_BUDGET_BYTES));
console.log(`  by input (minified bytes): ${byPackage(jobs.inputs).slice(0, 12).map(({ name, bytes }) => `${name} ${(bytes / 1024).toFixed(1)} KB`).join(', ')}`);
