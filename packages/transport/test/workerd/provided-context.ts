// What global-setup.ts (Node) provides and the tests inside workerd inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The transport contract server's URL (startContractServer). */
    contractServerUrl: string;
  }
}

export {};
