import { checkConfig, wholeNumberRule, type ConfigIssue, type ConfigRule } from '@cloudagent-phone/core';
import { jobRateFrom, type JobRateEnv } from './job-rate-config.js';

/** Connections kept to CloudAgent when UPSTREAM_CONNECTIONS is unset. */
export const DEFAULT_UPSTREAM_CONNECTIONS = 32;

/** The variables only the Node edge reads (besides HOST, PORT and EDGE_DATA_DIR). */
export interface NodeEdgeEnv extends JobRateEnv {
  /** Connections kept to CloudAgent, 1 to 1024 (default 32). */
  UPSTREAM_CONNECTIONS?: string | undefined;
}

/**
 * Their rules: core's checkConfig, as config.ts checks the variables both runtimes read. Here, not
 * in config.ts, so that none of it is in the Worker bundle (the Worker opens a socket per call, and
 * its bulk jobs read their rate in the jobs Worker).
 */
const NODE_RULES: Record<string, ConfigRule> = {
  UPSTREAM_CONNECTIONS: wholeNumberRule(1, 1024),
};

export interface NodeEdgeConfig {
  /**
   * Connections kept to CloudAgent, shared by the teams' interactive calls and the bulk jobs'
   * requests (each on a connection of its own, never pipelined). The team limiter and CloudAgent's
   * own rate limits keep real concurrency far below; beyond it a request waits for a free one.
   */
  upstreamConnections: number;
  /** BULK_JOB_RATE_PER_MINUTE when set. */
  bulkJobRatePerMinute?: number;
}

export type NodeConfigResult = { ok: true; config: NodeEdgeConfig } | { ok: false; issues: ConfigIssue[] };

/** The Node edge's own variables, checked: every issue names the variable and its rule, never the value. */
export function parseNodeConfig(env: NodeEdgeEnv): NodeConfigResult {
  // The job rate by the rule the bulk-jobs Worker reads it with (job-rate-config.ts).
  const rate = jobRateFrom(env);
  const issues = [...checkConfig(env as Readonly<Record<string, unknown>>, NODE_RULES), ...(rate.ok ? [] : rate.issues)];
  if (!rate.ok || issues.length > 0) return { ok: false, issues };
  const connections = env.UPSTREAM_CONNECTIONS?.trim();
  return {
    ok: true,
    config: { upstreamConnections: connections ? Number(connections) : DEFAULT_UPSTREAM_CONNECTIONS, ...(rate.ratePerMinute !== undefined ? { bulkJobRatePerMinute: rate.ratePerMinute } : {}) },
  };
}
