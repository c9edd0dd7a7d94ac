import { DurableObject } from 'cloudflare:workers';
import { createTokenHolder, type TokenAnswer, type TokenRequest } from '@cloudagent-phone/transport';
import { createSocketTransport } from '@cloudagent-phone/transport/workers';

/**
 * One per TOKEN_AUTH account (`idFromName(userName)`): holds the account's tokens, per key hash, in
 * its storage, and generates them single-flight over the socket transport, so the shim's isolates
 * never void each other's token or spend the 10-an-hour budget. The edge's AccountTokens is the same
 * holder (`createTokenHolder` from @cloudagent-phone/transport); this class is only its Workers shell.
 */
export class AccountTokens extends DurableObject {
  readonly #holder = createTokenHolder({ storage: this.ctx.storage, transport: createSocketTransport() });

  getToken(request: TokenRequest): Promise<TokenAnswer> {
    return this.#holder.getToken(request);
  }
}
