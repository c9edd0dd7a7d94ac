import { describe, expect, it } from 'vitest';
import { KEY, USER, makeSimulator, token, v1, v1Params, v2, v2Get, type Reply } from './helpers.js';

const everything = (r: Reply) => `${r.status} ${JSON.stringify([...r.headers])} ${r.text}`;

describe('the API key never leaks', () => {
  it('from answers, headers or the call log, on success and on every failure path', async () => {
    const sim = makeSimulator({ controlRoutes: true });
    const seen: string[] = [];
    seen.push(everything(await v1Params(sim, { action: 'create', phoneNumber: '5551234', phoneName: 'Agent7' })));
    seen.push(everything(await v1Params(sim, { action: 'nope' })));
    seen.push(everything(await v1(sim, `?action=create&apiKey=${KEY}x&userName=${USER}`)));
    seen.push(everything(await v2(sim, { action: 'create', userName: USER, apiKey: KEY, phoneNumber: '5551235', phoneName: 'Agent8' })));
    seen.push(everything(await v2(sim, { action: 'edit', userName: 'x' }, { apiKey: `${KEY}-wrong` })));
    seen.push(everything(await v2Get(sim, { action: 'get', userName: USER, phoneName: KEY })));
    seen.push(everything(await token(sim, { userName: USER })));
    seen.push(everything(await token(sim, { userName: USER }, { apiKey: `${KEY}!` })));
    sim.control.setFaults({ queue: [{ kind: 'garbled' }, { kind: 'html-error' }, { kind: 'server-error' }, { kind: 'rate-limit' }] });
    for (let i = 0; i < 4; i++) seen.push(everything(await v1Params(sim, { action: 'delete', phoneNumber: '5551234', phoneName: 'Agent7' })));
    for (const path of ['calls', 'state', 'faults']) seen.push(await (await sim.fetch(new Request(`http://sim.test/__simulator/${path}`))).text());
    seen.push(JSON.stringify(sim.control.calls()), JSON.stringify(sim.control.applied()));
    expect(sim.control.calls().find((c) => c.action === 'get')?.params.phoneName).toBe('[REDACTED]');
    // Even a name that is the key (a caller's slip) is masked in the call log.
    for (const text of seen) expect(text).not.toContain(KEY);
  });

  it('from the internal error log line (passed through core redact)', async () => {
    const lines: string[] = [];
    let calls = 0;
    const sim = makeSimulator({
      log: (line) => lines.push(line),
      now: () => {
        if (++calls > 0) throw new Error(`clock broke near apiKey=${KEY} and ${KEY}`);
        return 0;
      },
    });
    const r = await v2(sim, { action: 'create', userName: USER, phoneNumber: '5551234', phoneName: 'Agent7' });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ status: 'error', message: 'simulator internal error' });
    expect(r.text).not.toContain(KEY);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('clock broke');
    expect(lines[0]).not.toContain(KEY);
  });
});
