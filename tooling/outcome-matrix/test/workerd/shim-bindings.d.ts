// This program type-checks the edge's and the shim's Worker sources together, against the edge's
// generated Env (apps/edge/worker-configuration.d.ts). The shim's Worker also names its own usage
// aggregator binding (apps/shim/wrangler.jsonc); declared here as `wrangler types` declares it.
declare namespace Cloudflare {
  interface Env {
    SHIM_USAGE: DurableObjectNamespace<import('../../../../apps/shim/src/worker').UsageAggregator>;
  }
}
