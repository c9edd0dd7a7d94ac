// The faults of the matrix, shared by its Node run (test/fault-matrix.test.ts) and its runs with the
// edge and the shim inside workerd (test/workerd/*.test.ts). Runtime-neutral.
import type { Fault } from '@cloudagent-phone/simulator';

/**
 * What a gateway in front of CloudAgent can do to one mutation, beyond the simulator's own faults:
 * - `html404-before`: answers an HTML 404 page itself; nothing reaches CloudAgent;
 * - `html404-after`: passes the request on, then answers an HTML 404 page instead of CloudAgent's answer;
 * - `truncated-after`: passes it on, then sends the first half of CloudAgent's answer (a complete
 *   HTTP response whose JSON is cut);
 * - `refusal`: answers a well-formed CloudAgent-style refusal in words no page documents, itself.
 */
export type ProxyFault = 'html404-before' | 'html404-after' | 'truncated-after' | 'refusal';

export const USER = 'matrix_user';
export const KEY = 'CANARY-KEY-matrix-5e1d9b';
export const TEAM_TOKEN = 'matrix-team-token-8Jw2';

export interface FaultCase {
  name: string;
  sim?: Fault;
  proxy?: ProxyFault;
  /** Whether CloudAgent (the simulator) applies the edit under this fault. */
  applies: boolean;
}

export const FAULTS: FaultCase[] = [
  { name: 'no fault', applies: true },
  { name: 'drop before applying', sim: { kind: 'drop-before' }, applies: false },
  { name: 'drop after applying', sim: { kind: 'drop-after' }, applies: true },
  { name: '5xx before applying', sim: { kind: 'server-error', status: 500 }, applies: false },
  { name: '5xx after applying', sim: { kind: 'server-error', status: 502, format: 'text', afterApplying: true }, applies: true },
  { name: 'HTML 404 before (proxy)', proxy: 'html404-before', applies: false },
  { name: 'HTML 404 after (proxy)', proxy: 'html404-after', applies: true },
  { name: 'truncated body after (proxy)', proxy: 'truncated-after', applies: true },
  { name: 'refusal in unfamiliar words (proxy)', proxy: 'refusal', applies: false },
];

export type Claim = 'yes' | 'no' | 'unknown';

/** The number case n edits (each case its own, seeded as `Old_<n>`). */
export const numberOf = (n: number): string => `+9172000${String(n).padStart(5, '0')}`;
