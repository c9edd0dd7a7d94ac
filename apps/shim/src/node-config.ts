import { checkConfig, wholeNumberRule, type ConfigRule } from '@cloudagent-phone/core';
import { configFromEnv, ShimConfigError, type ConfigOptions, type ShimConfig } from './config.js';

/** Connections the Node server keeps to each upstream host when SHIM_UPSTREAM_CONNECTIONS is unset. */
export const DEFAULT_UPSTREAM_CONNECTIONS = 32;

/**
 * The variables only the Node server reads, with the same rules as the rest (core's checkConfig).
 * Kept out of config.ts so that the Worker, which opens a socket per call and reads none of them,
 * neither carries nor checks them.
 */
const NODE_RULES: Record<string, ConfigRule> = {
  SHIM_UPSTREAM_CONNECTIONS: wholeNumberRule(1, 1024),
};

/** The shim's configuration on Node: everything the Worker reads, and the Node server's own. */
export interface NodeShimConfig extends ShimConfig {
  /**
   * Connections kept open to each upstream host (v2, and the legacy host for pass-through calls),
   * each carrying one request at a time; a call beyond waits for a free one, within its timeout.
   * `SHIM_UPSTREAM_CONNECTIONS`, 1 to 1024, default 32.
   */
  upstreamConnections: number;
}

/**
 * configFromEnv and the Node server's own variables, checked together: one ShimConfigError names
 * every bad variable of both, each with its rule and never its value.
 */
export function nodeConfigFromEnv(env: Readonly<Record<string, string | undefined>>, options: ConfigOptions = {}): NodeShimConfig {
  const nodeIssues = checkConfig(env, NODE_RULES);
  let config: ShimConfig;
  try {
    config = configFromEnv(env, options);
  } catch (error) {
    throw error instanceof ShimConfigError ? new ShimConfigError([...error.issues, ...nodeIssues]) : error;
  }
  if (nodeIssues.length > 0) throw new ShimConfigError(nodeIssues);
  const connections = env.SHIM_UPSTREAM_CONNECTIONS?.trim();
  return { ...config, upstreamConnections: connections ? Number(connections) : DEFAULT_UPSTREAM_CONNECTIONS };
}
