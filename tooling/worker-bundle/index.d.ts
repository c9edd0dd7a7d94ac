/** Issues 11 and 13: each Worker at most 40 KB gzip (KiB, as wrangler prints it). */
export declare const WORKER_BUDGET_BYTES: number;
/** Issue 14: the bulk-jobs Worker (the Workflow, its Durable Object, the routes) at most 50 KB gzip. */
export declare const JOBS_WORKER_BUDGET_BYTES: number;

export interface WorkerBundleInput {
  /** The input's path, shortened (`hono/dist/context.js`, `packages/core/dist/index.js`, `src/app.ts`). */
  input: string;
  /** Minified bytes it contributes to worker.js. */
  bytes: number;
}

export interface WorkerBundle {
  minifiedBytes: number;
  /** gzip level 9 of the script (worker.js, or named after the config's main). */
  gzipBytes: number;
  /** The gzip size wrangler prints ("Total Upload: … / gzip: … KiB"), when it printed one. */
  wranglerGzipBytes: number | undefined;
  /** Largest first. */
  inputs: WorkerBundleInput[];
}

export declare function measureWorkerBundle(appDir: string, options?: { configFile?: string }): Promise<WorkerBundle>;
export declare function byPackage(inputs: readonly WorkerBundleInput[]): { name: string; bytes: number }[];
export declare function describeBundle(name: string, bundle: WorkerBundle, budgetBytes?: number): string;
