/**
 * What @hono/node-server passes as `c.env`, described structurally so the runtime-neutral entry
 * imports nothing from node: the raw request (to read a GET body, which the standard Request drops)
 * and its socket (to drop the connection for a fault).
 */
export interface NodeIncomingLike extends AsyncIterable<Uint8Array | string> {
  socket?: { destroy(error?: Error): void } | null;
}

/** The parts of Node's ServerResponse a cut-off body needs. */
export interface NodeOutgoingLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string, callback: () => void): unknown;
}

export interface SimulatorBindings {
  /**
   * Under @hono/node-server, Node's request. Elsewhere a test may pass any async iterable of the
   * body here to send the v2 `get` (a GET with a JSON body), which a standard Request cannot carry.
   */
  incoming?: NodeIncomingLike;
  outgoing?: NodeOutgoingLike;
}

export type SimulatorEnv = { Bindings: SimulatorBindings | undefined };
