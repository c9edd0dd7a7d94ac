import { TEAM_TOKEN_HASHES, edgeEnv } from '../suite/fixtures.js';

/** Numbers seeded in the simulator: the big job edits 10,000 of them, the smaller tests the rest. */
export const JOB_SEED_ROWS = 12_000;
export const jobNumber = (i: number) => `+9172${String(i).padStart(8, '0')}`;
export const jobSeed = (count: number) => Array.from({ length: count }, (_, i) => ({ phoneNumber: jobNumber(i), phoneName: `Line${i}` }));

/** alpha's rate is high enough that only the job's own pace counts; gamma's is small, to see its share. */
export const ALPHA_LIMIT = 600_000;
export const GAMMA_JOB_LIMIT = 8;

/** The bulk-jobs Worker's bindings: the edge's, with the teams above. */
export function jobsEnv(simulatorUrl: string): Record<string, string> {
  return {
    ...edgeEnv(simulatorUrl),
    TEAMS: JSON.stringify([
      { name: 'alpha', tokenSha256: TEAM_TOKEN_HASHES.alpha, userNames: ['demo'], rateLimitPerMinute: ALPHA_LIMIT },
      { name: 'beta', tokenSha256: TEAM_TOKEN_HASHES.beta, userNames: ['other'], rateLimitPerMinute: 10_000 },
      { name: 'gamma', tokenSha256: TEAM_TOKEN_HASHES.gamma, userNames: ['demo'], rateLimitPerMinute: GAMMA_JOB_LIMIT },
    ]),
  };
}
