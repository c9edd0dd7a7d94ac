/**
 * What @hono/node-server passes as `c.env`, described structurally so the runtime-neutral entry
 * imports nothing from node: the raw request (to read a GET body, which the standard Request drops)
 * and its socket (to drop the connection for a fault).
 */
export interface NodeIncomingLike extends AsyncIterable<Uint8Array | string> {
  socket?: { destroy(error?: Error): void } | null;
}

export interface SimulatorBindings {
  incoming?: NodeIncomingLike;
}

export type SimulatorEnv = { Bindings: SimulatorBindings | undefined };
