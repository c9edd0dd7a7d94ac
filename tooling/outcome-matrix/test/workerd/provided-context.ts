// What global-setup.ts (Node) provides to the runs inside workerd.
declare module 'vitest' {
  export interface ProvidedContext {
    matrix: { simulatorUrl: string; proxyUrl: string };
  }
}
export {};
