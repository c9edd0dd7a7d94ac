import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CONTENT_TYPES, DASHBOARD_ASSET_PATH, DASHBOARD_FILES, type DashboardAssets } from './assets.js';

/** This app's `assets/` directory: two levels up from src/dashboard (tests), one from dist (bundled). */
const DEFAULT_DIR = fileURLToPath(new URL(import.meta.url.includes('/src/dashboard/') ? '../../assets/' : '../assets/', import.meta.url));

/**
 * The dashboard's files on Node, read from the same `assets/` directory Workers uploads. Only the
 * known files are served (a fixed list, so no path from a request ever reaches the file system).
 */
export function fileDashboardAssets(dir: string = DEFAULT_DIR): DashboardAssets {
  return {
    async fetch(request) {
      const path = new URL(request.url).pathname;
      const name = DASHBOARD_FILES.find((file) => path === `${DASHBOARD_ASSET_PATH}${file}`);
      if (!name) return new Response('not found', { status: 404 });
      const body = await readFile(`${dir}${DASHBOARD_ASSET_PATH.slice(1)}${name}`);
      return new Response(body, { headers: { 'content-type': CONTENT_TYPES[name.split('.').pop()!]! } });
    },
  };
}

/** The dashboard's static files that anyone may load (no data in them): its styles and its renderer. */
const PUBLIC_FILES = new Set([`${DASHBOARD_ASSET_PATH}dashboard.css`, `${DASHBOARD_ASSET_PATH}dashboard.js`]);

/**
 * On Node, what Workers static assets do before the Worker runs: GET (or HEAD) of the dashboard's
 * styles or script answered from the files; anything else is `undefined`, for the shim to answer.
 */
export async function serveDashboardStatic(request: Request, assets: DashboardAssets): Promise<Response | undefined> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  if (!PUBLIC_FILES.has(new URL(request.url).pathname)) return undefined;
  const res = await assets.fetch(request);
  const headers = new Headers(res.headers);
  headers.set('x-content-type-options', 'nosniff');
  headers.set('cache-control', 'no-cache');
  return new Response(request.method === 'HEAD' ? null : res.body, { status: res.status, headers });
}
