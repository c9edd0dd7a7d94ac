import { judgeReadBack, readBackLookups, type PhoneOperation } from '@cloudagent-phone/core';
import type { ReadBackResult } from './client-types.js';
import type { Send } from './send-loop.js';

/**
 * Reads back a mutation whose answer did not settle it: core's lookups (v2 gets, never the
 * mutation itself), each through the send loop, then core's judgement of what they found.
 */
export async function readBack(send: Send, op: PhoneOperation, signal: AbortSignal | undefined, perAttemptMs: number): Promise<ReadBackResult> {
  const outcomes = [];
  let lookups = 0;
  for (const lookup of readBackLookups(op)) {
    const looked = await send(lookup, signal, perAttemptMs);
    lookups += looked.attempts;
    outcomes.push(looked.outcome);
  }
  return { ...judgeReadBack(op, outcomes), lookups };
}
