import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { createFetchTransport } from '../src/fetch-transport.js';
import { createNodeHttpTransport } from '../src/node-http-transport.js';
import { createOfetchTransport } from '../src/ofetch-transport.js';
import { TokenError, createTokenManager } from '../src/token-manager.js';
import type { Transport } from '../src/transport.js';
import { TransportError } from '../src/transport-error.js';
import { SUCCESS, fakeTransport, json, vendor } from './fake-transport.js';

// Findings of the review of packages/transport, each pinned by a test that failed before its fix.

const CANARY = 'CANARY-KEY-review-4d2e';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJDQU5BUlkiOjF9.CANARY-token-sig';
const edit = { phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Sales' };

/** Everything an error carries that someone might print: message, stack, cause chain, own fields. */
function dump(x: unknown, depth = 0): string {
  if (depth > 6 || x === null || x === undefined) return String(x);
  if (x instanceof Error) {
    const own = Object.fromEntries(Object.entries(x));
    return [x.name, x.message, x.stack, JSON.stringify(own), dump((x as { cause?: unknown }).cause, depth + 1)].join('\n');
  }
  return typeof x === 'string' ? x : JSON.stringify(x);
}

function collectingLogger() {
  const lines: unknown[] = [];
  const push = (...a: unknown[]) => lines.push(a);
  return { lines, logger: { debug: push, info: push, warn: push, error: push } };
}

describe('secrets never reach an error, its cause, a log line or a result', () => {
  it.each([
    ['fetch', () => createFetchTransport()],
    ['ofetch', () => createOfetchTransport()],
    ['node-http', () => createNodeHttpTransport()],
  ])('%s: an unparseable v1 URL gives a TransportError without the key in its message or cause', async (_name, factory) => {
    const transport = factory();
    const url = `http://exa mple.invalid/CAServices/PhoneManageV2.php?action=delete&apiKey=${CANARY}&userName=u`;
    const error = await transport.send({ method: 'GET', url, headers: {} }, new AbortController().signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(dump(error)).not.toContain('CANARY');
  });

  it('a TransportError built by a custom transport from an error quoting the URL keeps no key', () => {
    const cause = new TypeError(`Failed to parse URL from https://h/CAServices/PhoneManageV2.php?action=edit&apiKey=${CANARY}`);
    const error = new TransportError('network', 'maybe_sent', `GET https://h/p?apiKey=${CANARY} failed`, { cause });
    expect(dump(error)).not.toContain('CANARY');
    expect((error.cause as Error).message).toContain('apiKey=[REDACTED]');
  });

  it('a token endpoint that echoes the key: the TokenError and its outcome do not', async () => {
    const fake = fakeTransport(() => json({ status: 'false', message: `Invalid userName or apiKey ${CANARY}`, data: null }));
    const manager = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: fake.transport });
    const error = await manager.getToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).outcome.vendorMessage).toContain('[REDACTED]');
    expect(dump(error) + JSON.stringify((error as TokenError).outcome)).not.toContain('CANARY');
  });

  it('a server that echoes the key and the token in its message, headers and body: the result and the log keep neither', async () => {
    const fake = fakeTransport((seen) => {
      if (seen.action === 'token') return json({ token: TOKEN, message: '' });
      return vendor('error', `Token Expired for ${seen.request.headers.Authorization} and ${CANARY}`, 401, { 'x-echo': TOKEN });
    });
    const { lines, logger } = collectingLogger();
    const c = createClient({ userName: 'acme', apiKey: CANARY, auth: 'token', transport: fake.transport, logger, sleep: async () => {} });
    const r = await c.editPhoneNumber(edit);
    expect(r.outcome.kind).toBe('auth_error');
    expect(JSON.stringify([r, lines])).not.toContain('CANARY');
  });
});

describe('a logger that throws', () => {
  it('does not lose the outcome of a sent mutation (the caller would resend it)', async () => {
    const fake = fakeTransport(() => SUCCESS);
    const boom = () => {
      throw new Error('logger down');
    };
    const c = createClient({ userName: 'acme', apiKey: CANARY, transport: fake.transport, logger: { debug: boom, info: boom, warn: boom, error: boom } });
    const r = await c.editPhoneNumber(edit);
    expect(r.outcome.kind).toBe('success');
    expect(fake.sent('edit')).toBe(1);
  });
});

describe('a transport that ignores its signal', () => {
  const deaf = (onSend: () => void): Transport => ({
    name: 'deaf',
    capabilities: { getWithBody: true },
    send: () => {
      onSend();
      return new Promise(() => {}); // never settles, never looks at the signal
    },
  });

  it('cannot hold a call past its timeout; the mutation is reported ambiguous and not re-sent', async () => {
    let sends = 0;
    const c = createClient({ userName: 'acme', apiKey: CANARY, transport: deaf(() => sends++), timeoutMs: 40, maxRetries: 3, readBack: false });
    const r = await c.editPhoneNumber(edit);
    expect(r.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown', cause: 'timeout' });
    expect(r.attempts).toBe(1);
    expect(sends).toBe(1);
  });

  it("cannot hold a call past the caller's abort", async () => {
    const controller = new AbortController();
    const c = createClient({ userName: 'acme', apiKey: CANARY, transport: deaf(() => setTimeout(() => controller.abort(), 5)), timeoutMs: 60_000 });
    const r = await c.createPhoneNumber({ phoneNumber: '919800000009', phoneName: 'Nine' }, { signal: controller.signal });
    expect(r.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown', cause: 'aborted' });
  });

  it('cannot wedge the token manager: the generation times out and the next call generates again', async () => {
    let calls = 0;
    const transport: Transport = {
      name: 'deaf-once',
      capabilities: { getWithBody: true },
      send: () => (++calls === 1 ? new Promise(() => {}) : Promise.resolve(json({ token: 'tok-2', message: '' }))),
    };
    const manager = createTokenManager({ userName: 'acme', apiKey: CANARY, transport, timeoutMs: 40 });
    await expect(manager.getToken()).rejects.toBeInstanceOf(TokenError);
    await expect(manager.getToken()).resolves.toBe('tok-2');
  });
});

describe('a custom transport that is not async', () => {
  it('may return a plain response instead of a promise', async () => {
    const transport = { name: 'sync', capabilities: { getWithBody: false }, send: () => SUCCESS } as unknown as Transport;
    const r = await createClient({ userName: 'acme', apiKey: CANARY, transport }).editPhoneNumber(edit);
    expect(r.outcome.kind).toBe('success');
  });

  it('may throw synchronously: a mutation is then treated as possibly sent, never re-sent', async () => {
    let sends = 0;
    const transport: Transport = {
      name: 'sync-throw',
      capabilities: { getWithBody: false },
      send: () => {
        sends++;
        throw new Error('socket exploded');
      },
    };
    const r = await createClient({ userName: 'acme', apiKey: CANARY, transport, maxRetries: 3 }).editPhoneNumber(edit);
    expect(r.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown' });
    expect(sends).toBe(1);
  });
});

describe('requests', () => {
  it('sends the user name as checked (trimmed)', async () => {
    const fake = fakeTransport(() => SUCCESS);
    const c = createClient({ userName: '  acme  ', apiKey: CANARY, transport: fake.transport });
    await c.deletePhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk' });
    expect(fake.seen[0]!.body?.userName).toBe('acme');
  });

  it('reads back a get record whose number is a JSON number', async () => {
    const fake = fakeTransport((seen) =>
      seen.action === 'get' ? { status: 200, headers: {}, body: '{"phoneNumber":919800000001,"phoneName":"Sales"}' } : { status: 502, headers: {}, body: 'bad gateway' },
    );
    const c = createClient({ userName: 'acme', apiKey: CANARY, transport: fake.transport });
    const r = await c.editPhoneNumber(edit);
    expect(r.readBack?.verdict).toBe('applied');
    expect(r.outcome.kind).toBe('success');
    expect(fake.sent('edit')).toBe(1);
  });

  it('never sends an empty skill list', async () => {
    const fake = fakeTransport(() => SUCCESS);
    const c = createClient({ userName: 'acme', apiKey: CANARY, transport: fake.transport });
    await c.editPhoneNumber({ ...edit, assignSkill: [], unAssignSkill: '' as never });
    expect(fake.seen).toHaveLength(0); // '' is an empty skill name: refused before sending
    await c.editPhoneNumber({ ...edit, assignSkill: [] });
    expect(fake.seen[0]!.body).not.toHaveProperty('assignSkill');
  });

  it('an edit answered by a redirect is not a CloudAgent answer: ambiguous, never re-sent, and the message points at baseUrl', async () => {
    const fake = fakeTransport(() => ({ status: 301, headers: { location: 'https://elsewhere.example/' }, body: '' }));
    const c = createClient({ userName: 'acme', apiKey: CANARY, transport: fake.transport, maxRetries: 3, readBack: false });
    const r = await c.editPhoneNumber(edit);
    expect(r.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown', cause: 'redirect', retryable: false });
    expect(r.outcome.message).toContain('baseUrl');
    expect(fake.seen).toHaveLength(1);
  });
});

describe('node-http', () => {
  it('refuses a non-http URL before sending, as not_sent, quoting no key', async () => {
    const error = await createNodeHttpTransport()
      .send({ method: 'GET', url: `ftp://127.0.0.1/x?apiKey=${CANARY}`, headers: {} }, new AbortController().signal)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ delivery: 'not_sent' });
    expect(dump(error)).not.toContain('CANARY');
  });
});
