/** A request as the contract server saw it (JSON-safe: it also travels over the control API). */
export interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: string;
}

/**
 * The server the transport contract talks to, as the suite sees it: asynchronous, so the same suite
 * drives a server in its own process (Node) or one in another process through its control API (the
 * run inside workerd, where no server can be started). Runtime-neutral: fetch only.
 */
export interface ContractServer {
  /** Where the transport sends requests: `http://127.0.0.1:<port>`. */
  readonly url: string;
  reset(): Promise<void>;
  received(): Promise<Received[]>;
  closedWhileWaiting(): Promise<string[]>;
  /** Resolves when the server saw a client close a /slow request; rejects after a generous wait. */
  waitForClose(): Promise<void>;
  /** Requests fully arrived since the server started (never reset). */
  arrivals(): Promise<number>;
  waitForArrivals(count: number): Promise<void>;
  /** A loopback port nothing listens on. */
  closedPort(): Promise<number>;
}

/** What a global setup passes to tests that cannot start a server themselves (vitest `provide`). */
export interface ContractServerAddress {
  url: string;
  controlUrl: string;
}

/** A ContractServer in another process, driven over its control API (see startContractControl). */
export function remoteContractServer(address: ContractServerAddress): ContractServer {
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(`${address.controlUrl}${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`contract control ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    url: address.url,
    reset: () => call<void>('/reset', { method: 'POST' }),
    received: () => call<Received[]>('/received'),
    closedWhileWaiting: () => call<string[]>('/closed-while-waiting'),
    waitForClose: () => call<void>('/wait-close'),
    arrivals: () => call<number>('/arrivals'),
    waitForArrivals: (count) => call<void>(`/wait-arrivals?count=${count}`),
    closedPort: () => call<number>('/closed-port'),
  };
}
