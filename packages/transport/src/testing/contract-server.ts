/** A request as the contract server saw it (JSON-safe: it travels over the control routes). */
export interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: string;
  /** Which connection it came on: 1, 2, ... in the order the server accepted them. */
  connection: number;
}

/**
 * Where the contract server's own control routes live. Requests under it are never recorded, so
 * driving the server does not show up in what the transport under test sent.
 */
export const CONTRACT_CONTROL_PATH = '/__contract';

/**
 * The contract server as the suite drives it: over HTTP, through its control routes, so the same
 * suite runs beside the server (Node) and where no server can be started (inside workerd, against
 * a server a global setup started). Runtime-neutral: fetch only.
 */
export interface ContractServer {
  /** Where the transport sends requests: `http://127.0.0.1:<port>`. */
  readonly url: string;
  reset(): Promise<void>;
  received(): Promise<Received[]>;
  /** Paths of the /slow requests whose client closed the connection before an answer. */
  closedWhileWaiting(): Promise<string[]>;
  /** Resolves when the server saw a client close a /slow request; rejects after a generous wait. */
  waitForClose(): Promise<void>;
  /** Requests fully arrived since the server started (never reset). */
  arrivals(): Promise<number>;
  waitForArrivals(count: number): Promise<void>;
  /** Idle connections the server closed after a /close-idle answer since it started (never reset). */
  idleCloses(): Promise<number>;
  waitForIdleCloses(count: number): Promise<void>;
  /** A loopback port nothing listens on. */
  closedPort(): Promise<number>;
}

/**
 * The contract server at `url` (what `startContractServer` from `@cloudagent-phone/transport/testing/node`
 * returns), driven through its control routes. For cases of your own beside the contract's.
 */
export function contractServerAt(url: string): ContractServer {
  const base = url.replace(/\/+$/, '');
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(`${base}${CONTRACT_CONTROL_PATH}${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`contract server ${CONTRACT_CONTROL_PATH}${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    url: base,
    reset: () => call<void>('/reset', { method: 'POST' }),
    received: () => call<Received[]>('/received'),
    closedWhileWaiting: () => call<string[]>('/closed-while-waiting'),
    waitForClose: () => call<void>('/wait-close'),
    arrivals: () => call<number>('/arrivals'),
    waitForArrivals: (count) => call<void>(`/wait-arrivals?count=${count}`),
    idleCloses: () => call<number>('/idle-closes'),
    waitForIdleCloses: (count) => call<void>(`/wait-idle-closes?count=${count}`),
    closedPort: () => call<number>('/closed-port'),
  };
}
