import { isAmbiguous } from '@cloudagent-phone/core';
import { describe, expect, it, vi } from 'vitest';
import { createClient, createClientWithTransport } from '../src/client.js';
import type { ClientOptions } from '../src/client-types.js';
import { TransportError, UnsupportedRequestError } from '../src/transport-error.js';
import {
  CONFLICT,
  GARBLED,
  HTML_502,
  NOT_FOUND,
  REFUSED,
  RESET,
  SUCCESS,
  TIMEOUT,
  fakeTransport,
  record,
  script,
  vendor,
  type Reply,
} from './fake-transport.js';

const CANARY = 'CANARY-KEY-client-91c2';
const edit = { phoneNumber: '919800000001', phoneName: 'Desk', phoneNumberNew: '919800000002', phoneNameNew: 'Sales' };

function client(transport: ClientOptions['transport'], extra: Partial<ClientOptions> = {}) {
  const sleeps: number[] = [];
  const lines: unknown[][] = [];
  const logger = {
    debug: (...a: unknown[]) => lines.push(['debug', ...a]),
    info: (...a: unknown[]) => lines.push(['info', ...a]),
    warn: (...a: unknown[]) => lines.push(['warn', ...a]),
    error: (...a: unknown[]) => lines.push(['error', ...a]),
  };
  const c = createClient({
    userName: 'acme',
    apiKey: CANARY,
    baseUrl: 'https://cloudagent.test',
    transport,
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    logger,
    ...extra,
  });
  return { c, sleeps, lines };
}

describe('validation', () => {
  it('stops a bad operation before anything is sent, naming the field and the rule', async () => {
    const fake = fakeTransport(() => SUCCESS);
    const { c } = client(fake.transport);
    const r = await c.editPhoneNumber({ ...edit, phoneNumberNew: '12-34' });
    expect(r.sent).toBe(false);
    expect(r.attempts).toBe(0);
    expect(r.outcome).toMatchObject({ kind: 'validation_error', field: 'phoneNumberNew', retryable: false });
    expect(r.outcome.message).toContain('nothing was sent');
    expect(r.issues?.[0]).toMatchObject({ field: 'phoneNumberNew', rule: 'phone-number-format' });
    expect(fake.seen).toHaveLength(0);
  });

  it('stops a key that cannot travel in a header before anything is built: not sent, never ambiguous', async () => {
    const fake = fakeTransport(() => SUCCESS);
    const { c } = client(fake.transport, { apiKey: `${CANARY}\u0000` });
    const r = await c.editPhoneNumber(edit);
    expect(r.sent).toBe(false);
    expect(r.outcome).toMatchObject({ kind: 'validation_error', field: 'apiKey', applied: 'no' });
    expect(fake.seen).toHaveLength(0);
  });

  it('a token that cannot travel in a header is refused by the transport as not sent, and the mutation is not ambiguous', async () => {
    const calls: unknown[] = [];
    const { createFetchTransport } = await import('../src/fetch-transport.js');
    const transport = createFetchTransport({ fetch: async (...args) => (calls.push(args), new Response('{}')) });
    const { c } = client(transport, { auth: 'token', tokenProvider: { getToken: async () => 'tok\u20ac' } });
    const r = await c.editPhoneNumber(edit);
    expect(calls).toHaveLength(0);
    expect(r.outcome).toMatchObject({ kind: 'server_error', applied: 'no', retryable: false, cause: 'invalid_request' });
  });

  it('stops missing credentials without throwing', async () => {
    const fake = fakeTransport(() => SUCCESS);
    const { c } = client(fake.transport, { apiKey: undefined });
    const r = await c.deletePhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk' });
    expect(r.outcome).toMatchObject({ kind: 'validation_error', field: 'apiKey' });
    expect(fake.seen).toHaveLength(0);
  });

  it('rejects an unknown action given to run', async () => {
    const fake = fakeTransport(() => SUCCESS);
    const { c } = client(fake.transport);
    const r = await c.run({ action: 'list' } as never);
    expect(r.outcome).toMatchObject({ kind: 'validation_error', field: 'action' });
    expect(fake.seen).toHaveLength(0);
  });
});

describe('requests', () => {
  it('sends a v2 edit once and returns the outcome, the redacted request and timing', async () => {
    const fake = fakeTransport(() => SUCCESS);
    const { c } = client(fake.transport);
    const r = await c.editPhoneNumber({ ...edit, assignSkill: 'General, QA' });
    expect(r.outcome.kind).toBe('success');
    expect(r).toMatchObject({ sent: true, attempts: 1 });
    expect(fake.seen[0]!.request).toMatchObject({ method: 'POST', url: 'https://cloudagent.test/ca_apis/PhoneManageV2' });
    expect(fake.seen[0]!.request.headers.apiKey).toBe(CANARY);
    expect(fake.seen[0]!.body).toMatchObject({ action: 'edit', userName: 'acme', phoneNumberNew: '919800000002', assignSkill: 'General,QA' });
    expect(r.request?.headers.apiKey).toBe('[REDACTED]');
    expect(JSON.stringify(r)).not.toContain(CANARY);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses getPhoneNumber over a transport without getWithBody, naming the fix', async () => {
    const fake = fakeTransport(() => record('1', 'x'), false);
    const { c } = client(fake.transport);
    await expect(c.getPhoneNumber({ phoneNumber: '919800000001' })).rejects.toThrow(UnsupportedRequestError);
    await expect(c.getPhoneNumber({ phoneNumber: '919800000001' })).rejects.toThrow('use createKeepAliveTransport (or createNodeHttpTransport) from @cloudagent-phone/transport/node');
    expect(fake.seen).toHaveLength(0);
  });

  it('returns the record a get finds', async () => {
    const fake = fakeTransport(() => record('919800000001', 'Desk'));
    const { c } = client(fake.transport);
    const r = await c.getPhoneNumber({ phoneName: 'desk' });
    expect(r.outcome).toMatchObject({ kind: 'success', data: { phoneNumber: '919800000001', phoneName: 'Desk' } });
    expect(fake.seen[0]!.request.method).toBe('GET');
    expect(fake.seen[0]!.body).toEqual({ action: 'get', userName: 'acme', phoneName: 'desk' });
  });

  it('createClientWithTransport sends through the given transport and never falls back to fetch', async () => {
    const fake = fakeTransport(() => SUCCESS);
    const client = createClientWithTransport({ userName: 'acme', apiKey: 'k', transport: fake.transport });
    expect((await client.editPhoneNumber(edit)).outcome.kind).toBe('success');
    expect(fake.seen).toHaveLength(1);
    expect(() => createClientWithTransport({ userName: 'acme', apiKey: 'k' } as never)).toThrow(/transport must be/);
  });

  it('createClientWithTransport speaks v2 only: apiVersion v1 is a TypeError that points at createClient, and nothing is sent or logged', () => {
    const fake = fakeTransport(() => SUCCESS);
    const warn = vi.fn();
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (const auth of ['basic', 'token'] as const) {
        const make = () => createClientWithTransport({ userName: 'acme', apiKey: 'k', auth, apiVersion: 'v1', transport: fake.transport, logger: { warn } });
        expect(make).toThrow(TypeError);
        expect(make).toThrow("createClientWithTransport speaks v2 only: use createClient for apiVersion 'v1'");
      }
      // The option checks keep their order: a wrong apiVersion is still named first.
      expect(() => createClientWithTransport({ userName: 'acme', apiKey: 'k', apiVersion: 'v3' as never, transport: fake.transport })).toThrow(/apiVersion must be/);
      expect(fake.seen).toHaveLength(0);
      expect(warn).not.toHaveBeenCalled();
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('throws for programmer errors in the options', () => {
    const fake = fakeTransport(() => SUCCESS);
    expect(() => createClient({ userName: 'a', apiKey: 'k', transport: {} as never })).toThrow(/transport must be/);
    expect(() => createClient({ userName: 'a', apiKey: 'k', transport: fake.transport, baseUrl: 'in1-ccaas-api.ozonetel.com' })).toThrow(/baseUrl/);
    expect(() => createClient({ userName: 'a', apiKey: 'k', transport: fake.transport, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createClient({ userName: 'a', apiKey: 'k', auth: 'token', apiVersion: 'v1', transport: fake.transport })).toThrow(/v1 has no token/);
    expect(() => createClient({ userName: 'a', auth: 'token', transport: fake.transport })).toThrow(/needs apiKey/);
  });
});

describe('v1', () => {
  it('sends a GET with everything in the query, warns once per client, and needs a getWithBody transport to look up', async () => {
    const fake = fakeTransport(() => SUCCESS, false);
    const { c, lines } = client(fake.transport, { apiVersion: 'v1' });
    await c.editPhoneNumber({ ...edit, phoneNumber: '+919800000001' });
    await c.deletePhoneNumber({ phoneNumber: '919800000002', phoneName: 'Sales' });
    const url = fake.seen[0]!.request.url;
    expect(fake.seen[0]!.request.method).toBe('GET');
    expect(url).toContain('/CAServices/PhoneManageV2.php?action=edit');
    expect(url).toContain('phoneNumber=%2B919800000001');
    expect(url).toContain('PhoneNameNew=Sales');
    const warnings = lines.filter((l) => l[0] === 'warn' && String(l[1]).includes('deprecation'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]![1])).toContain('30 April 2025');
    await expect(c.getPhoneNumber({ phoneNumber: '1' })).rejects.toThrow(/cannot send/);
  });

  it('warns through console.warn when no logger is given', () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      createClient({ userName: 'a', apiKey: 'k', apiVersion: 'v1', transport: fakeTransport(() => SUCCESS).transport });
      createClient({ userName: 'a', apiKey: 'k', transport: fakeTransport(() => SUCCESS).transport });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]![0])).toContain("apiVersion 'v2'");
    } finally {
      spy.mockRestore();
    }
  });
});

describe('retries follow core policy', () => {
  // [failure, retried for get, retried for a mutation]
  const failures: [string, () => Reply, boolean, boolean][] = [
    ['429', () => vendor('error', 'Max limit exceeded', 429), true, true],
    ['refused (not_sent)', REFUSED, true, true],
    ['500', () => vendor('error', 'oops', 500), true, false],
    ['502 html', () => HTML_502, true, false],
    ['timeout (maybe_sent)', TIMEOUT, true, false],
    ['reset (maybe_sent)', RESET, true, false],
    ['garbled 200', () => GARBLED, true, false],
    ['definite error', () => vendor('error', 'phoneNumber must be numeric'), false, false],
  ];
  const inputs = {
    create: { phoneNumber: '919800000003', phoneName: 'New' },
    edit,
    delete: { phoneNumber: '919800000001', phoneName: 'Desk' },
    get: { phoneNumber: '919800000001' },
  } as const;

  for (const action of ['create', 'edit', 'delete', 'get'] as const) {
    for (const [name, failure, readRetried, mutationRetried] of failures) {
      const retried = action === 'get' ? readRetried : mutationRetried;
      it(`${action} after ${name}: ${retried ? 'retried' : 'sent once'}`, async () => {
        const fake = fakeTransport(() => failure());
        const { c, sleeps } = client(fake.transport, { maxRetries: 2, readBack: false });
        const r = await c.run({ action, ...inputs[action] } as never);
        expect(fake.sent(action)).toBe(retried ? 3 : 1);
        expect(r.attempts).toBe(retried ? 3 : 1);
        expect(sleeps).toHaveLength(retried ? 2 : 0);
        if (action !== 'get' && !retried && name !== 'definite error' && name !== 'garbled 200') expect(isAmbiguous(r.outcome)).toBe(true);
      });
    }
  }

  it('sent says whether the request may have reached the server: not on a refused connection, yes once one may have left', async () => {
    const refused = await client(fakeTransport(() => REFUSED()).transport, { maxRetries: 2, readBack: false }).c.editPhoneNumber(edit);
    expect(refused).toMatchObject({ sent: false, attempts: 3 });
    expect(refused.outcome.applied).toBe('no');
    // Refused twice, then the third attempt leaves and its answer is lost: it may have reached.
    let n = 0;
    const thenReset = await client(fakeTransport(() => (++n < 3 ? REFUSED() : RESET())).transport, { maxRetries: 2, readBack: false }).c.editPhoneNumber(edit);
    expect(thenReset).toMatchObject({ sent: true, attempts: 3 });
    expect(isAmbiguous(thenReset.outcome)).toBe(true);
    const answered = await client(fakeTransport(() => vendor('error', 'phoneNumber must be numeric')).transport).c.editPhoneNumber(edit);
    expect(answered).toMatchObject({ sent: true, attempts: 1 });
  });

  it('stops retrying as soon as an attempt succeeds', async () => {
    const fake = fakeTransport(script({ get: [vendor('e', 'x', 503), record('919800000001', 'Desk')] }));
    const { c } = client(fake.transport);
    const r = await c.getPhoneNumber({ phoneNumber: '919800000001' });
    expect(r.outcome.kind).toBe('success');
    expect(r.attempts).toBe(2);
  });

  it('backs off exponentially with jitter', async () => {
    const fake = fakeTransport(() => vendor('e', 'x', 503));
    const low = client(fake.transport, { maxRetries: 3, random: () => 0 });
    await low.c.getPhoneNumber({ phoneNumber: '1234' });
    expect(low.sleeps).toEqual([250, 500, 1000]);
    const high = client(fake.transport, { maxRetries: 3, random: () => 0.999, retryDelay: { baseMs: 100, maxMs: 300 } });
    await high.c.getPhoneNumber({ phoneNumber: '1234' });
    expect(high.sleeps).toEqual([100, 200, 300]);
  });

  it('honours Retry-After, capped at maxMs', async () => {
    const fake = fakeTransport(script({ create: [vendor('error', 'Max limit exceeded', 429, { 'retry-after': '7' }), vendor('error', 'Max limit exceeded', 429, { 'retry-after': '120' }), SUCCESS] }));
    const { c, sleeps } = client(fake.transport);
    const r = await c.createPhoneNumber({ phoneNumber: '919800000003', phoneName: 'New' });
    expect(r.outcome.kind).toBe('success');
    expect(sleeps).toEqual([7000, 30_000]);
  });
});

describe('timeouts and cancellation', () => {
  const hang = (): Reply => (_req, signal) =>
    new Promise((_, reject) => signal.addEventListener('abort', () => reject(new TransportError(signal.reason?.name === 'TimeoutError' ? 'timeout' : 'aborted', 'maybe_sent', 'x'))));

  it('aborts each attempt at timeoutMs through the signal the transport receives', async () => {
    const signals: AbortSignal[] = [];
    const fake = fakeTransport(() => (req, signal) => {
      signals.push(signal);
      return (hang() as (r: typeof req, s: AbortSignal) => Promise<never>)(req, signal);
    });
    const { c } = client(fake.transport, { timeoutMs: 30, maxRetries: 1 });
    const r = await c.getPhoneNumber({ phoneNumber: '1234' });
    expect(r.outcome).toMatchObject({ kind: 'server_error', cause: 'timeout' });
    expect(r.attempts).toBe(2);
    expect(signals.every((s) => s.aborted && s.reason.name === 'TimeoutError')).toBe(true);
  });

  it("stops at the caller's abort: no retry, no read-back", async () => {
    const controller = new AbortController();
    const fake = fakeTransport(() => {
      setTimeout(() => controller.abort(), 5);
      return hang();
    });
    const { c } = client(fake.transport, { timeoutMs: 5000 });
    const r = await c.editPhoneNumber(edit, { signal: controller.signal });
    expect(r.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown', cause: 'aborted' });
    expect(fake.seen).toHaveLength(1);
    expect(r.readBack).toBeUndefined();
  });
});

describe('ambiguous mutations are read back, never re-sent', () => {
  const after = record('919800000002', 'Sales');
  const before = record('919800000001', 'Desk');

  it.each([
    ['500', vendor('e', 'x', 500)],
    ['timeout', TIMEOUT()],
    ['reset', RESET()],
    ['html', HTML_502],
    ['garbled', GARBLED],
  ])('after %s, a read-back that shows the edit makes it a success', async (_name, failure) => {
    const fake = fakeTransport(script({ edit: [failure], get: [after, NOT_FOUND] }));
    const { c } = client(fake.transport);
    const r = await c.editPhoneNumber(edit);
    expect(fake.sent('edit')).toBe(1);
    expect(fake.seen.filter((s) => s.action === 'get').map((s) => s.body?.phoneNumber)).toEqual(['919800000002', '919800000001']);
    expect(r.readBack).toMatchObject({ verdict: 'applied', skillsUnverified: false, lookups: 2 });
    expect(r.outcome).toMatchObject({ kind: 'success', retryable: false });
  });

  it('not applied after a dropped connection: a definite failure, safe to send again', async () => {
    const fake = fakeTransport(script({ edit: [RESET()], get: [NOT_FOUND, before] }));
    const { c } = client(fake.transport);
    const r = await c.editPhoneNumber(edit);
    expect(r.readBack?.verdict).toBe('not_applied');
    expect(r.outcome).toMatchObject({ kind: 'server_error', retryable: true, cause: 'reset' });
    expect(fake.sent('edit')).toBe(1);
  });

  it('not applied after a timeout: "not yet" stays ambiguous, never called safe to resend', async () => {
    const fake = fakeTransport(script({ edit: [TIMEOUT()], get: [NOT_FOUND, before] }));
    const { c } = client(fake.transport);
    const r = await c.editPhoneNumber(edit);
    expect(r.readBack?.verdict).toBe('not_applied');
    expect(r.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown', retryable: false, cause: 'timeout' });
    expect(fake.sent('edit')).toBe(1);
    expect(r.outcome.message).toContain('read back again');
  });

  it('stays ambiguous when the read-back cannot tell', async () => {
    const fake = fakeTransport(script({ edit: [vendor('e', 'x', 500)], get: [vendor('e', 'x', 503)] }));
    const { c } = client(fake.transport, { maxRetries: 1 });
    const r = await c.editPhoneNumber(edit);
    expect(r.readBack?.verdict).toBe('unknown');
    expect(r.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown' });
    expect(fake.sent('edit')).toBe(1);
  });

  it('keeps skill changes marked unverified', async () => {
    const fake = fakeTransport(script({ create: [RESET()], get: [record('919800000003', 'new')] }));
    const { c } = client(fake.transport);
    const r = await c.createPhoneNumber({ phoneNumber: '919800000003', phoneName: 'New', skill: ['General'] });
    expect(r.readBack).toMatchObject({ verdict: 'applied', skillsUnverified: true, lookups: 1 });
    expect(r.outcome.kind).toBe('success');
    expect(r.outcome.message).toContain('unverified');
  });

  it('settles a delete', async () => {
    const fake = fakeTransport(script({ delete: [RESET()], get: [NOT_FOUND] }));
    const { c } = client(fake.transport);
    const r = await c.deletePhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk' });
    expect(r.outcome.kind).toBe('success');
    expect(fake.sent('delete')).toBe(1);
  });

  it('leaves it ambiguous, and sends no get, over a transport that cannot read back', async () => {
    const fake = fakeTransport(script({ edit: [RESET()] }), false);
    const { c } = client(fake.transport);
    const r = await c.editPhoneNumber(edit);
    expect(r.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown' });
    expect(r.readBack).toBeUndefined();
    expect(fake.seen).toHaveLength(1);
  });

  it('does not read back when readBack is false', async () => {
    const fake = fakeTransport(script({ edit: [RESET()] }));
    const { c } = client(fake.transport, { readBack: false });
    const r = await c.editPhoneNumber(edit);
    expect(isAmbiguous(r.outcome)).toBe(true);
    expect(fake.seen).toHaveLength(1);
  });
});

describe('"already exist" after an earlier attempt landed', () => {
  it('is recognised as done when the state is what the edit asked for', async () => {
    const fake = fakeTransport(script({ edit: [CONFLICT], get: [record('919800000002', 'SALES'), NOT_FOUND] }));
    const { c } = client(fake.transport);
    const r = await c.editPhoneNumber(edit);
    expect(r.outcome).toMatchObject({ kind: 'success' });
    expect(r.outcome.message).toContain('already done');
    expect(r.readBack?.verdict).toBe('applied');
  });

  it('stays a conflict when the number belongs to something else', async () => {
    const fake = fakeTransport(script({ edit: [CONFLICT], get: [record('919800000002', 'Other'), before()] }));
    const { c } = client(fake.transport);
    const r = await c.editPhoneNumber(edit);
    expect(r.outcome.kind).toBe('conflict');
    expect(fake.sent('edit')).toBe(1);
  });

  it('recognises a create that already landed', async () => {
    const fake = fakeTransport(script({ create: [CONFLICT], get: [record('919800000003', 'New')] }));
    const { c } = client(fake.transport);
    const r = await c.createPhoneNumber({ phoneNumber: '919800000003', phoneName: 'New' });
    expect(r.outcome.kind).toBe('success');
  });
  function before() {
    return record('919800000001', 'Desk');
  }
});

describe('secrets', () => {
  it('never lets the API key reach a log line or a result', async () => {
    const fake = fakeTransport(script({ edit: [RESET()], get: [vendor('e', `echo ${CANARY}`, 503)] }));
    const { c, lines } = client(fake.transport, { maxRetries: 1, apiVersion: 'v2' });
    const results = [await c.editPhoneNumber(edit), await c.editPhoneNumber({ ...edit, phoneNumberNew: 'bad' })];
    const v1 = client(fakeTransport(() => vendor('error', `userName or apiKey not valid ${CANARY}`), false).transport, { apiVersion: 'v1' });
    results.push(await v1.c.deletePhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk' }));
    expect(lines.length + v1.lines.length).toBeGreaterThan(3);
    const everything = JSON.stringify([lines, v1.lines, results]);
    expect(everything).not.toContain(CANARY);
    expect(results[2]!.request?.url).toContain('apiKey=[REDACTED]');
  });
});
