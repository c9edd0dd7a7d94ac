import { checkConfig, wholeNumberRule, type ConfigIssue, type ConfigRule } from '@cloudagent-phone/core';

/** The variable both runtimes' bulk jobs read: the rows a minute of a job that asks for none. */
export interface JobRateEnv {
  /** Rows a minute for a bulk job that asks for none (default 30), capped at half the team's rate. */
  BULK_JOB_RATE_PER_MINUTE?: string | undefined;
}

const JOB_RATE_RULES: Readonly<Record<string, ConfigRule>> = {
  BULK_JOB_RATE_PER_MINUTE: wholeNumberRule(1),
};

/**
 * BULK_JOB_RATE_PER_MINUTE, checked by core's checkConfig (the variable and its rule, never the
 * value): read by the Node edge (node-config.ts) and by the bulk-jobs Worker, so a bad value is a
 * misconfigured edge on both, never a silent fallback to the default.
 */
export function jobRateFrom(env: JobRateEnv): { ok: true; ratePerMinute?: number } | { ok: false; issues: ConfigIssue[] } {
  const issues = checkConfig(env as Readonly<Record<string, unknown>>, JOB_RATE_RULES);
  if (issues.length > 0) return { ok: false, issues };
  const text = env.BULK_JOB_RATE_PER_MINUTE;
  return text === undefined || text.trim() === '' ? { ok: true } : { ok: true, ratePerMinute: Number(text) };
}
