/**
 * Where a server started from the command line listens: HOST and PORT, default 127.0.0.1:8787. An
 * empty variable counts as unset (a blank PORT must not become port 0, a random one); a PORT that
 * is no port is an error naming the variable and the rule.
 */
export function listenAddress(env: { HOST?: string | undefined; PORT?: string | undefined }, defaults: { host?: string; port?: number } = {}): { host: string; port: number } {
  const host = env.HOST?.trim() || defaults.host || '127.0.0.1';
  const text = env.PORT?.trim();
  if (!text) return { host, port: defaults.port ?? 8787 };
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new RangeError(`PORT must be a port number from 0 to 65535 (got "${text}")`);
  return { host, port };
}
