import { causeOf, isAmbiguous } from '@cloudagent-phone/core';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import type { CallResult, EditInput } from '../src/client-types.js';
import { createKeepAliveTransport } from '../src/keep-alive-transport.js';
import { createNodeHttpTransport } from '../src/node-http-transport.js';
import type { Transport } from '../src/transport.js';

/**
 * The chaos test: 2,000 edits through the client against the simulator with faults on half of all
 * requests (edits and the read-backs alike), of every kind. Each record is edited once, so the
 * simulator's applied log says exactly what happened to each edit. Asserts:
 * - no edit was applied twice, and none was sent again once it may have reached the server;
 * - a success was applied exactly once; a definite failure was applied zero times;
 * - `unknown` (ambiguous) only where the edit's request met a fault that hides the answer and the
 *   read-back could not tell either.
 * Over node:http, and over the keep-alive transport (its default 8 connections for 16 callers, so
 * requests also wait for a connection, and the simulator's drops end kept connections).
 */
const EDITS = 2000;
const CONCURRENCY = 16;
const CANARY = 'CANARY-KEY-chaos-0b7e';
const numberOf = (i: number) => `91990${String(i).padStart(7, '0')}`;
const movedNumberOf = (i: number) => `91880${String(i).padStart(7, '0')}`;

const transports: [string, () => Transport][] = [
  ['node-http', () => createNodeHttpTransport()],
  ['keep-alive', () => createKeepAliveTransport()],
];

describe.each(transports)('chaos: 2,000 edits under injected faults, over %s', (_name, makeTransport) => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      userName: 'chaos',
      apiKey: CANARY,
      phoneNumberLimit: EDITS + 10,
      records: Array.from({ length: EDITS }, (_, i) => ({ phoneNumber: numberOf(i), phoneName: `Rec${i}` })),
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('applies no edit twice and loses none silently', async () => {
    sim.control.setFaults({
      seed: 20261127,
      routes: ['v2'],
      rates: {
        latency: 0.08,
        'server-error': 0.07,
        'html-error': 0.06,
        'rate-limit': 0.08,
        'drop-before': 0.07,
        'drop-after': 0.08,
        garbled: 0.06,
      },
      settings: {
        latency: { ms: 5 },
        // 5xx after applying (the ambiguous kind), HTML pages before (a gateway that turned it away)
        'server-error': { afterApplying: true },
        'html-error': { afterApplying: false },
        'rate-limit': { retryAfterSeconds: 0 },
      },
    });
    const lines: unknown[] = [];
    const client = createClient({
      userName: 'chaos',
      apiKey: CANARY,
      baseUrl: sim.url,
      transport: makeTransport(),
      timeoutMs: 3000,
      maxRetries: 4,
      retryDelay: { baseMs: 1, maxMs: 5 },
      logger: { warn: (...a) => lines.push(a), info: (...a) => lines.push(a) },
    });

    const inputs: EditInput[] = Array.from({ length: EDITS }, (_, i) =>
      i % 2 === 0
        ? { phoneNumber: numberOf(i), phoneName: `Rec${i}`, phoneNameNew: `Ren${i}` }
        : { phoneNumber: numberOf(i), phoneName: `rec${i}`, phoneNumberNew: movedNumberOf(i), phoneNameNew: `Mov${i}` },
    );
    const results: CallResult[] = new Array(EDITS);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < EDITS) {
          const i = next++;
          results[i] = await client.editPhoneNumber(inputs[i]!);
        }
      }),
    );
    const elapsed = Date.now() - started;

    // The simulator's complete counts per (action, number): exact however long the run.
    const applied = sim.control.appliedCounts();
    const calls = sim.control.calls();
    expect(applied.every((c) => c.action === 'edit')).toBe(true);
    const appliedByNumber = new Map(applied.map((c) => [c.phoneNumber, c.count]));
    const editCallsByNumber = new Map<string, typeof calls>();
    for (const call of calls) {
      if (call.action !== 'edit') continue;
      const key = call.params.phoneNumber!;
      editCallsByNumber.set(key, [...(editCallsByNumber.get(key) ?? []), call]);
    }

    const counts: Record<string, number> = {};
    const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
    // An HTML 502 from a gateway may come after the change was made, so it hides the answer too.
    const hidesTheAnswer = new Set(['server-error', 'html-error', 'drop-before', 'drop-after', 'garbled']);
    const records = new Map(sim.control.records().map((r) => [r.phoneNumber, r]));

    for (let i = 0; i < EDITS; i++) {
      const r = results[i]!;
      const input = inputs[i]!;
      const n = appliedByNumber.get(input.phoneNumber) ?? 0;
      const sentCalls = editCallsByNumber.get(input.phoneNumber) ?? [];
      // never applied twice
      expect(n, `edit ${i} applied ${n} times`).toBeLessThanOrEqual(1);
      // never sent again once it may have arrived: every call before the last was turned away by a 429
      // (or a refused connection, which never shows up here)
      expect(sentCalls.slice(0, -1).every((call) => call.fault === 'rate-limit'), `edit ${i} re-sent after it may have arrived`).toBe(true);
      const after = records.get(input.phoneNumberNew ?? input.phoneNumber);
      if (r.outcome.kind === 'success') {
        expect(n, `edit ${i} reported success but applied ${n} times`).toBe(1);
        expect(after?.phoneName).toBe(input.phoneNameNew);
        count(r.readBack ? `success (read back after: ${r.outcome.httpStatus ?? 'no answer'})` : 'success');
      } else if (!isAmbiguous(r.outcome)) {
        expect(n, `edit ${i} reported a definite ${r.outcome.kind} but was applied`).toBe(0);
        expect(records.get(input.phoneNumber)?.phoneName.toLowerCase()).toBe(`rec${i}`);
        count(`definite failure: ${r.outcome.kind}${r.readBack ? ' (read back: not applied)' : ''}${r.outcome.retryable ? ', retryable' : ''}`);
      } else {
        // truly ambiguous: its request met a fault that hides the answer, and reading back could not
        // tell. A timeout hides the answer whatever the fault (on a loaded machine even a slow one):
        // then "not there yet" is no proof either, since the edit may still land.
        const timedOut = causeOf(r.outcome) === 'timeout';
        const verdict = r.readBack?.verdict;
        expect(verdict === 'unknown' || (timedOut && verdict === 'not_applied'), `edit ${i} ambiguous after a read-back that could tell (${verdict})`).toBe(true);
        expect(timedOut || hidesTheAnswer.has(sentCalls.at(-1)?.fault ?? ''), `edit ${i} ambiguous without a hiding fault`).toBe(true);
        count(`unknown (ambiguous, applied ${n}x in truth)`);
      }
    }

    const summary = {
      edits: EDITS,
      elapsedMs: elapsed,
      requestsSeen: calls.length,
      editsApplied: sim.control.applyCount(),
      faultsInjected: sim.control.faults().stats.injected,
      outcomes: counts,
    };
    console.log(`chaos summary\n${JSON.stringify(summary, null, 2)}`);
    const injected = summary.faultsInjected;
    for (const kind of ['latency', 'server-error', 'html-error', 'rate-limit', 'drop-before', 'drop-after', 'garbled'] as const) {
      expect(injected[kind], `no ${kind} fault was injected`).toBeGreaterThan(20);
    }
    expect(Object.values(injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(EDITS * 0.4);
    expect(JSON.stringify([results, lines])).not.toContain(CANARY);
  }, 120_000);
});
