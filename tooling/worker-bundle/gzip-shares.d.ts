import type { WorkerBundleInput } from './index.js';

export interface GzipShares {
  /** gzip -9 of the whole bundle as esbuild minifies it here (within a few dozen bytes of wrangler's). */
  totalGzipBytes: number;
  /** Each input's share (`bytes` are gzip -9 bytes, its deletion's difference), largest first. */
  shares: WorkerBundleInput[];
}

export declare function gzipShares(appDir: string, options?: { configFile?: string }): Promise<GzipShares>;
