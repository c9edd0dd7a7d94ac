/**
 * Where the control room's static files come from: `assets/_shim/dashboard/` in this app. On
 * Workers that directory is the Worker's static assets (the `ASSETS` binding), so the markup,
 * styles and the renderer are not Worker script; on Node the same files are read from disk
 * (`fileDashboardAssets`). Either way it is this one shape, a fetch of a path.
 */
export interface DashboardAssets {
  fetch(request: Request): Promise<Response>;
}

/** Every file the dashboard serves; nothing else is ever asked of the assets. */
export const DASHBOARD_FILES = ['index.html', 'sign-in.html', 'dashboard.css', 'dashboard.js'] as const;
export type DashboardFile = (typeof DASHBOARD_FILES)[number];

export const DASHBOARD_ASSET_PATH = '/_shim/dashboard/';

export const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

/** The text of one dashboard file. Its absence is a deployment error (assets not uploaded or not found). */
export async function dashboardFile(assets: DashboardAssets, name: DashboardFile): Promise<string> {
  const res = await assets.fetch(new Request(`https://assets.invalid${DASHBOARD_ASSET_PATH}${name}`));
  if (!res.ok) throw new Error(`dashboard asset ${name}: ${res.status} (is assets/_shim/dashboard deployed with the shim?)`);
  return res.text();
}
