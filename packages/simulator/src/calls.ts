import { REDACTED } from '@cloudagent-phone/core';
import type { FaultKind, FaultRoute } from './faults.js';

/** One request the simulator received, without any credential. */
export interface CallRecord {
  /** Increases by one per request; `AppliedMutation.callId` points here. */
  id: number;
  at: number;
  version: FaultRoute;
  method: string;
  path: string;
  /** The action as sent (`token` for generateToken). */
  action?: string;
  /** The parameters read (v1: the merged query and form body; v2: the JSON body), credentials removed. */
  params: Record<string, string>;
  /** How the caller authenticated (never the secret itself). */
  auth: 'apiKey' | 'bearer' | 'none';
  /** The caller's `x-request-id` or `idempotency-key` header. */
  requestId?: string;
  fault?: FaultKind;
  /** Filled in once answered; absent when the connection was dropped without an answer. */
  httpStatus?: number;
  message?: string;
  dropped?: boolean;
  /** An abortable latency fault saw the caller give up, and nothing was applied. */
  aborted?: boolean;
}

const CREDENTIAL = /^(api[-_]?key|token|authorization|password)$/i;

/** Drops credential fields, and masks the account's key wherever else a caller put it (a name, say). */
export function withoutCredentials(params: Record<string, unknown>, secret: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(params)) {
    if (CREDENTIAL.test(k) || v === undefined) continue;
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    out[k] = secret !== '' && text.includes(secret) ? text.split(secret).join(REDACTED) : text;
  }
  return out;
}

export class CallLog {
  #calls: CallRecord[] = [];
  #nextId = 1;
  constructor(private readonly limit: number) {}

  open(call: Omit<CallRecord, 'id'>): CallRecord {
    const record: CallRecord = { id: this.#nextId++, ...call };
    this.#calls.push(record);
    if (this.#calls.length > this.limit) this.#calls.splice(0, this.#calls.length - this.limit);
    return record;
  }

  list(): CallRecord[] {
    return this.#calls.map((c) => ({ ...c, params: { ...c.params } }));
  }

  clear(): void {
    this.#calls = [];
  }
}
