import { describe, expect, it } from 'vitest';
import { ShimConfigError, configFromEnv } from './config.js';
import { DEFAULT_UPSTREAM_CONNECTIONS, nodeConfigFromEnv } from './node-config.js';

function issuesOf(env: Record<string, string | undefined>): ShimConfigError['issues'] {
  try {
    nodeConfigFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ShimConfigError);
    return (error as ShimConfigError).issues;
  }
  throw new Error('expected a ShimConfigError');
}

describe('nodeConfigFromEnv', () => {
  it('is configFromEnv plus the Node server\'s connection count, 32 by default', () => {
    const env = { CLOUDAGENT_BASE_URL: 'https://v2.test', SHIM_TIMEOUT_MS: '5000' };
    const config = nodeConfigFromEnv(env);
    expect(DEFAULT_UPSTREAM_CONNECTIONS).toBe(32);
    expect(config.upstreamConnections).toBe(32);
    expect(config).toMatchObject({ v2BaseUrl: 'https://v2.test', timeoutMs: 5000 });
    const { upstreamConnections: _, ...rest } = config;
    expect(rest).toEqual(configFromEnv(env));
    expect(nodeConfigFromEnv({ SHIM_UPSTREAM_CONNECTIONS: '  ' }).upstreamConnections).toBe(32);
  });

  it('reads SHIM_UPSTREAM_CONNECTIONS from 1 to 1024', () => {
    expect(nodeConfigFromEnv({ SHIM_UPSTREAM_CONNECTIONS: '1' }).upstreamConnections).toBe(1);
    expect(nodeConfigFromEnv({ SHIM_UPSTREAM_CONNECTIONS: ' 64 ' }).upstreamConnections).toBe(64);
    expect(nodeConfigFromEnv({ SHIM_UPSTREAM_CONNECTIONS: '1024' }).upstreamConnections).toBe(1024);
  });

  // The whole message is the rule's: it quotes no value.
  it.each(['0', '1025', 'many', '2.5', '-3', '0x10', '1e3'])('refuses SHIM_UPSTREAM_CONNECTIONS=%s naming the variable and its rule, never the value', (value) => {
    const issues = issuesOf({ SHIM_UPSTREAM_CONNECTIONS: value });
    expect(issues).toEqual([{ variable: 'SHIM_UPSTREAM_CONNECTIONS', rule: 'whole-number', message: 'SHIM_UPSTREAM_CONNECTIONS must be a whole number from 1 to 1024' }]);
  });

  it('names every bad variable at once: the shared ones and the Node server\'s own', () => {
    const issues = issuesOf({ SHIM_TIMEOUT_MS: 'soon', SHIM_UPSTREAM_CONNECTIONS: '0', SHIM_MODE: 'v9' });
    expect(issues.map((i) => `${i.variable}:${i.rule}`)).toEqual(['SHIM_MODE:one-of', 'SHIM_TIMEOUT_MS:whole-number', 'SHIM_UPSTREAM_CONNECTIONS:whole-number']);
  });
});
