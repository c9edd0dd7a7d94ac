// The shim's secret (`wrangler secret put SHIM_ADMIN_TOKEN`), merged into the `Env` that
// `wrangler types` generates. Not in wrangler.jsonc's `secrets.required`: the shim runs without it
// (its admin routes answer 404), and `required` would make `wrangler deploy` refuse to deploy.
declare namespace Cloudflare {
  interface Env {
    SHIM_ADMIN_TOKEN?: string;
  }
}
