import { describe, expect, it } from 'vitest';
import { KEY, USER, makeSimulator, ok, token, v2, v2Get } from './helpers.js';

const MINUTE = 60_000;

function clock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const edit = { action: 'edit', userName: USER, phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543210', PhoneNameNew: 'Desk2' };
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const envelope = (message: string) => ({ status: 'false', message, data: null });

async function newToken(sim: ReturnType<typeof makeSimulator>): Promise<string> {
  const r = await token(sim);
  expect(r.status).toBe(200);
  return (r.json as { token: string }).token;
}

describe('token auth (TOKEN_AUTH accounts)', () => {
  it('a token works for 60 minutes and then answers "Token Expired"', async () => {
    const c = clock();
    const sim = makeSimulator({ auth: 'token', now: c.now });
    const t = await newToken(sim);
    expect((await v2(sim, edit, bearer(t))).json).toEqual(ok);
    c.advance(60 * MINUTE - 1);
    expect((await v2Get(sim, { action: 'get', userName: USER, phoneNumber: '9876543210' }, bearer(t))).json).toEqual({ phoneNumber: '9876543210', phoneName: 'Desk2' });
    c.advance(1);
    const expired = await v2(sim, { ...edit, phoneName: 'Desk2', PhoneNameNew: 'Desk3' }, bearer(t));
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual(envelope('Token Expired'));
    expect(sim.state.byNumber('9876543210')?.phoneName).toBe('Desk2');
  });

  it('generating a new token invalidates every earlier one', async () => {
    const sim = makeSimulator({ auth: 'token' });
    const first = await newToken(sim);
    const second = await newToken(sim);
    expect(second).not.toBe(first);
    const r = await v2(sim, edit, bearer(first));
    expect(r.status).toBe(401);
    expect(r.json).toEqual(envelope('Invalid Token'));
    expect((await v2(sim, edit, bearer(second))).json).toEqual(ok);
  });

  it('at most 10 tokens an hour; the 11th is refused with 429 and Retry-After, and the live token survives', async () => {
    const c = clock();
    const sim = makeSimulator({ auth: 'token', now: c.now });
    let last = '';
    for (let i = 0; i < 10; i++) {
      last = await newToken(sim);
      c.advance(MINUTE);
    }
    const refused = await token(sim);
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ status: 'error', message: 'Max limit exceeded' });
    // The first of the ten was generated 10 minutes ago: it leaves the window in 50 minutes.
    expect(refused.headers.get('retry-after')).toBe(String(50 * 60));
    expect((await v2(sim, edit, bearer(last))).json).toEqual(ok);
    c.advance(50 * MINUTE);
    expect((await token(sim)).status).toBe(200);
  });

  it('unknown token: "Invalid Token"; empty or missing: "Token Should Not be Null or Empty."', async () => {
    const sim = makeSimulator({ auth: 'token' });
    await newToken(sim);
    expect((await v2(sim, edit, bearer('eyJnot.a.token'))).json).toEqual(envelope('Invalid Token'));
    const empty = await v2(sim, edit, { authorization: 'Bearer ' });
    expect(empty.status).toBe(401);
    expect(empty.json).toEqual(envelope('Token Should Not be Null or Empty.'));
    expect((await v2(sim, edit, {})).json).toEqual(envelope('Token Should Not be Null or Empty.'));
    // A token account does not take the API key header instead.
    expect((await v2(sim, edit, { apiKey: KEY })).json).toEqual(envelope('Token Should Not be Null or Empty.'));
    expect(sim.control.applyCount()).toBe(0);
  });

  it('accepts the raw token in Authorization too (one public client sends it so)', async () => {
    const sim = makeSimulator({ auth: 'token' });
    const t = await newToken(sim);
    expect((await v2(sim, edit, { authorization: t })).json).toEqual(ok);
  });

  it('a valid token with another user name in the body: "userName or apiKey not valid"', async () => {
    const sim = makeSimulator({ auth: 'token' });
    const t = await newToken(sim);
    expect((await v2(sim, { ...edit, userName: 'other' }, bearer(t))).json).toEqual({ status: 'error', message: 'userName or apiKey not valid' });
  });

  it('a basic-auth account ignores a bearer token and wants the apiKey header', async () => {
    const sim = makeSimulator({ auth: 'basic' });
    const t = await newToken(sim);
    const r = await v2(sim, edit, bearer(t));
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ status: 'false', message: 'Missing userName or apiKey' });
  });

  it('generateToken answers 405 to anything but POST', async () => {
    const sim = makeSimulator();
    const r = await sim.fetch(new Request('http://sim.test/ca_apis/CAToken/generateToken', { headers: { apiKey: KEY } }));
    expect(r.status).toBe(405);
  });
});
