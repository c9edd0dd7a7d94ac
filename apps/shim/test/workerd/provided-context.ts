// What global-setup.ts (Node) provides to the tests inside workerd.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URLs of the v2 and legacy v1 simulators on loopback, and of a TOKEN_AUTH account's v2. */
    simulators: { v2: string; v1: string; token: string };
  }
}
export {};
