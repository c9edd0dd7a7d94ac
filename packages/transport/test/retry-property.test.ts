import { isAmbiguous } from '@cloudagent-phone/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { TransportError } from '../src/transport-error.js';
import { CONFLICT, GARBLED, HTML_502, NOT_FOUND, SUCCESS, fakeTransport, record, vendor, type Reply } from './fake-transport.js';

// Every answer a mutation can meet, and whether it proves the server turned the request away.
const ANSWERS: { name: string; reply: () => Reply; refusedAtTheDoor: boolean }[] = [
  { name: 'success', reply: () => SUCCESS, refusedAtTheDoor: false },
  { name: 'conflict', reply: () => CONFLICT, refusedAtTheDoor: false },
  { name: '429', reply: () => vendor('error', 'Max limit exceeded', 429), refusedAtTheDoor: true },
  { name: 'refused', reply: () => new TransportError('connect_failed', 'not_sent', 'refused'), refusedAtTheDoor: true },
  { name: '500', reply: () => vendor('error', 'x', 500), refusedAtTheDoor: false },
  { name: 'html', reply: () => HTML_502, refusedAtTheDoor: false },
  { name: 'garbled', reply: () => GARBLED, refusedAtTheDoor: false },
  { name: 'timeout', reply: () => new TransportError('timeout', 'maybe_sent', 't'), refusedAtTheDoor: false },
  { name: 'reset', reply: () => new TransportError('reset', 'maybe_sent', 'r'), refusedAtTheDoor: false },
  { name: 'unknown', reply: () => vendor('success', 'something new'), refusedAtTheDoor: false },
];
const LOOKUPS: (() => Reply)[] = [() => record('919800000002', 'Sales'), () => NOT_FOUND, () => vendor('e', 'x', 503), () => GARBLED];

describe('property: a mutation is re-sent only after a provable refusal', () => {
  it('holds for any sequence of answers, retry budget and action', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: ANSWERS.length - 1 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: LOOKUPS.length - 1 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('create', 'edit', 'delete'),
        async (answers, lookups, maxRetries, action) => {
          let a = 0;
          let l = 0;
          const fake = fakeTransport((seen) =>
            seen.action === 'get' ? LOOKUPS[lookups[l++ % lookups.length]!]!() : ANSWERS[answers[Math.min(a++, answers.length - 1)]!]!.reply(),
          );
          const c = createClient({ userName: 'acme', apiKey: 'k-123456', transport: fake.transport, maxRetries, sleep: async () => {}, random: () => 0.5 });
          const input =
            action === 'create'
              ? { action, phoneNumber: '919800000002', phoneName: 'Sales' }
              : action === 'edit'
                ? { action, phoneNumber: '919800000001', phoneName: 'Desk', phoneNumberNew: '919800000002', phoneNameNew: 'Sales' }
                : { action, phoneNumber: '919800000001', phoneName: 'Desk' };
          const r = await c.run(input as never);
          const sends = fake.sent(action);
          // every send but the last met an answer that proves nothing was applied
          for (let i = 0; i < sends - 1; i++) expect(ANSWERS[answers[Math.min(i, answers.length - 1)]!]!.refusedAtTheDoor).toBe(true);
          expect(sends).toBeLessThanOrEqual(maxRetries + 1);
          expect(r.attempts).toBe(sends);
          // an ambiguous answer is never reported as a plain failure: either settled, or still flagged
          if (r.outcome.kind === 'success') expect(isAmbiguous(r.outcome)).toBe(false);
          if (r.readBack?.verdict === 'unknown' && r.outcome.kind !== 'conflict' && r.outcome.kind !== 'not_found') expect(isAmbiguous(r.outcome)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
