import { createFetchTransport, type Transport } from '@cloudagent-phone/transport';
import { AccountTokens as SocketAccountTokens } from '../../src/account-tokens-object.js';

/**
 * The Worker the workerd tests run in: the production AccountTokens Durable Object, except that
 * generateToken goes over the runtime's fetch (looked up at each call), which the tests answer
 * with a simulator per case in this same isolate (the object shares it). Bound as ACCOUNT_TOKENS
 * in vitest.config.ts.
 */
export class AccountTokens extends SocketAccountTokens {
  protected override transport(): Transport {
    return createFetchTransport();
  }
}

export default {
  fetch: () => new Response('the server package has no Worker of its own; this one holds AccountTokens for its tests', { status: 404 }),
};
