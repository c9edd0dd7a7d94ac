// What global-setup.ts (Node) provides; the tests inside workerd and vitest.config.ts inject it.
declare module 'vitest' {
  export interface ProvidedContext {
    simulator: { url: string };
  }
}
export {};
