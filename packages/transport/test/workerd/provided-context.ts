import type { ContractServerAddress } from '../contract-server.js';

// What global-setup.ts (Node) provides and the tests inside workerd inject.
declare module 'vitest' {
  export interface ProvidedContext {
    contractServer: ContractServerAddress;
  }
}
