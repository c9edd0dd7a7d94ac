import type { AccountTokens } from './worker.js';

// The bindings vitest.config.ts gives the test Worker (`env` from cloudflare:workers).
declare global {
  namespace Cloudflare {
    interface Env {
      ACCOUNT_TOKENS: DurableObjectNamespace<AccountTokens>;
    }
  }
}
