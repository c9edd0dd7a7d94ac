// What global-setup.ts (Node) provides to the tests inside workerd.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URLs of the v2, legacy v1 and token-auth v2 simulators on loopback. */
    simulators: { v2: string; v1: string; token: string };
  }
}
export {};
