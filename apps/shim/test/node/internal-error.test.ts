// A fault inside the shim itself (here a transport that refuses the request as a programmer error):
// the caller still gets v1's envelope and the deprecation headers, and nothing carries the key.
import { UnsupportedRequestError, type Transport } from '@cloudagent-phone/transport';
import { createSimulator } from '@cloudagent-phone/simulator';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { describe, expect, it } from 'vitest';
import { createShim } from '../../src/app.js';
import { configFromEnv } from '../../src/config.js';
import { SHIM_MESSAGES } from '../../src/v1-answer.js';
import { KEY, PATH, SEED, USER } from '../matrix.js';

describe('an unexpected error in the v1 door', () => {
  it('answers 500 in the v1 envelope with the Deprecation, Sunset and Link headers, and logs no key', async () => {
    const logs: string[] = [];
    const failing: Transport = {
      name: 'failing',
      capabilities: { getWithBody: false },
      send: (request) => Promise.reject(new UnsupportedRequestError(`cannot send ${request.url}?apiKey=${KEY}`)),
    };
    const shim = createShim({ config: configFromEnv({ CLOUDAGENT_BASE_URL: 'https://v2.test' }), v2Transport: failing, log: (l) => logs.push(l) });
    const res = await shim.fetch(new Request(`http://shim.test${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000401&phoneName=Desk401`));
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(text).toBe(JSON.stringify({ status: 'error', message: SHIM_MESSAGES.internal }));
    expect(res.headers.get('deprecation')).toBe('@1745971200');
    expect(res.headers.get('sunset')).toBe('Wed, 30 Apr 2025 00:00:00 GMT');
    expect(res.headers.get('link')).toContain('rel="deprecation"');
    expect(logs.some((l) => l.includes('unhandled error'))).toBe(true);
    for (const t of [...logs, text]) expect(t).not.toContain(KEY);
  });

  it('after the call may have reached v2, answers "outcome unknown" (504), never "nothing was changed"', async () => {
    const v2 = createSimulator({ userName: USER, apiKey: KEY, records: SEED });
    const logs: string[] = [];
    let failed = false;
    // The log sink fails once, on the line written after v2 has applied the create.
    const sink = (line: string) => {
      if (!failed && line.includes('"v1 call"')) {
        failed = true;
        throw new Error('log sink is full');
      }
      logs.push(line);
    };
    const shim = createShim({
      config: configFromEnv({ CLOUDAGENT_BASE_URL: 'https://v2.test' }),
      v2Transport: createFetchTransport({ fetch: (input, init) => v2.fetch(new Request(input, init)) }),
      log: sink,
    });
    const res = await shim.fetch(new Request(`http://shim.test${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000402&phoneName=Desk402`));
    const text = await res.text();
    expect(v2.control.calls().filter((c) => c.version === 'v2')).toHaveLength(1);
    expect(v2.control.records().some((r) => r.phoneNumber === '+917000000402')).toBe(true);
    expect(res.status).toBe(504);
    expect(text).toBe(JSON.stringify({ status: 'error', message: SHIM_MESSAGES.outcomeUnknown }));
    expect(res.headers.get('x-shim-outcome')).toBe('unknown');
    expect(res.headers.get('deprecation')).toBe('@1745971200');
    for (const t of [...logs, text]) expect(t).not.toContain(KEY);
  });
});
