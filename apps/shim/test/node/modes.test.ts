// Per-account routing: v1 pass-through, verify, shadow, the kill switch and the rollout, each
// checked against what each host received. A mutation is never sent to both versions.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { configFromEnv } from '../../src/config.js';
import { startShim } from '../../src/node.js';
import { SHIM_MESSAGES } from '../../src/v1-answer.js';
import { ADMIN_TOKEN, KEY, PATH, SEED, SUCCESS, USER } from '../matrix.js';

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  const closing = open;
  open = [];
  await Promise.allSettled(closing.map((s) => s.close()));
});

async function setup(env: Record<string, string>, legacy = true) {
  const v2 = await startSimulator({ userName: USER, apiKey: KEY, records: SEED });
  const v1 = await startSimulator({ userName: USER, apiKey: KEY, records: SEED });
  const logs: string[] = [];
  const shim = await startShim({
    config: configFromEnv({ CLOUDAGENT_BASE_URL: v2.url, ...(legacy ? { SHIM_V1_BASE_URL: v1.url } : {}), SHIM_ADMIN_TOKEN: ADMIN_TOKEN, ...env }),
    log: (l) => logs.push(l),
  });
  open.push(shim, v2, v1);
  return { v2, v1, shim, logs };
}

const v2Mutations = (s: RunningSimulator) => s.control.calls().filter((c) => c.version === 'v2' && c.action !== 'get');
const v1Calls = (s: RunningSimulator) => s.control.calls().filter((c) => c.version === 'v1');
const edit = `action=edit&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B919876543210&phoneName=Support&PhoneNameNew=Helpdesk`;

describe('routing modes', () => {
  it('v1: passes the call through untouched, v1 answers, v2 sees nothing', async () => {
    const { v1, v2, shim, logs } = await setup({ SHIM_ACCOUNT_MODES: `${USER}=v1` });
    const res = await fetch(`${shim.url}${PATH}?${edit}`);
    expect(await res.text()).toBe(SUCCESS);
    expect(res.headers.get('deprecation')).toBe('@1745971200');
    expect(v1Calls(v1)).toHaveLength(1);
    expect(v1Calls(v1)[0]?.params).toMatchObject({ PhoneNameNew: 'Helpdesk' });
    expect(v2.control.calls()).toHaveLength(0);
    expect(shim.metrics.snapshot().calls[0]).toMatchObject({ route: 'v1', outcome: 'success' });
    for (const l of logs) expect(l).not.toContain(KEY);
  });

  it('v1 when the legacy host is gone: falls back to v2, once', async () => {
    const { v1, v2, shim } = await setup({ SHIM_ACCOUNT_MODES: `${USER}=v1` });
    await v1.close();
    open = open.filter((s) => s !== v1);
    const res = await fetch(`${shim.url}${PATH}?${edit}`);
    expect(await res.text()).toBe(SUCCESS);
    expect(v2Mutations(v2)).toHaveLength(1);
    expect(shim.metrics.snapshot().calls[0]).toMatchObject({ route: 'v1-fallback' });
  });

  it('verify: sends once to v2 and records the translation, without the key', async () => {
    const { v2, v1, shim } = await setup({ SHIM_MODE: 'verify' });
    const res = await fetch(`${shim.url}${PATH}?${edit}`);
    expect(await res.text()).toBe(SUCCESS);
    expect(v2Mutations(v2)).toHaveLength(1);
    expect(v1.control.calls()).toHaveLength(0);
    const list = await (await fetch(`${shim.url}/_shim/translations`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    const [record] = JSON.parse(list).translations;
    expect(record).toMatchObject({ account: USER, action: 'edit', v1Params: { PhoneNameNew: 'Helpdesk' }, v2Outcome: 'success', answer: { httpStatus: 200, body: SUCCESS } });
    expect(JSON.parse(record.v2Request.body)).toMatchObject({ action: 'edit', phoneNameNew: 'Helpdesk', phoneNumberNew: '+919876543210' });
    expect(list).not.toContain(KEY);
  });

  it('shadow: v1 applies the mutation; v2 only gets a read, which is compared', async () => {
    const { v2, v1, shim } = await setup({ SHIM_ACCOUNT_MODES: `${USER}=shadow` });
    const res = await fetch(`${shim.url}${PATH}?${edit}`);
    expect(await res.text()).toBe(SUCCESS);
    await shim.idle();
    expect(v1Calls(v1)).toHaveLength(1);
    expect(v2Mutations(v2)).toHaveLength(0);
    expect(v2.control.calls().map((c) => c.action)).toEqual(['get']);
    // Two separate simulators: v2 still has the old name, so the comparison reports a mismatch.
    const snapshot = shim.metrics.snapshot();
    expect(snapshot.calls).toContainEqual({ account: USER, action: 'get', route: 'shadow-read', outcome: 'mismatch', count: 1 });
    expect(snapshot.totals.mismatches['shadow-mismatch']).toBe(1);
  });

  it('kill switch: every account goes to v1; with no legacy host, 503 and nothing sent', async () => {
    const killed = await setup({ SHIM_KILL_SWITCH: '1' });
    await fetch(`${killed.shim.url}${PATH}?${edit}`);
    expect(v1Calls(killed.v1)).toHaveLength(1);
    expect(killed.v2.control.calls()).toHaveLength(0);

    const bare = await setup({ SHIM_KILL_SWITCH: '1' }, false);
    const res = await fetch(`${bare.shim.url}${PATH}?${edit}`);
    expect(res.status).toBe(503);
    expect(JSON.parse(await res.text()).message).toBe(SHIM_MESSAGES.unavailable);
    expect(bare.v2.control.calls()).toHaveLength(0);
  });

  it('rollout 0%: accounts outside it pass through to v1', async () => {
    const { v2, v1, shim } = await setup({ SHIM_ROLLOUT_PERCENT: '0' });
    await fetch(`${shim.url}${PATH}?${edit}`);
    expect(v1Calls(v1)).toHaveLength(1);
    expect(v2.control.calls()).toHaveLength(0);
  });
});
