import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS } from '../../src/idempotency/store.js';
import { TEAM_TOKENS } from '../suite/fixtures.js';
import { useNodeEdge } from './node-edge.js';

// The Node edge with an injected clock: a key is kept 24 hours, then it is a new key.
let clock = Date.now();
const { upstream, edge } = useNodeEdge({ now: () => clock });

const post = (key: string, phoneName: string, phoneNumber: string) =>
  fetch(`${edge().url}/phone-numbers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEAM_TOKENS.alpha}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ userName: 'demo', phoneNumber, phoneName }),
  });

describe('idempotency key expiry (injected clock)', () => {
  it('answers the first answer for 24 hours, and after that treats the key as new', async () => {
    const creates = () => upstream.basic.control.calls().filter((c) => c.version === 'v2' && c.action === 'create');
    expect((await post('expiring-key', 'Day-one', '7400000001')).status).toBe(200);
    clock += IDEMPOTENCY_TTL_MS - 1;
    const sameDay = await post('expiring-key', 'Day-two', '7400000002');
    expect(sameDay.status).toBe(422);
    const replay = await post('expiring-key', 'Day-one', '7400000001');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(creates()).toHaveLength(1);
    // (The demo account holds one number past its seed: start it afresh for the next day's create.)
    upstream.reset();
    clock += 1;
    const nextDay = await post('expiring-key', 'Day-two', '7400000002');
    expect(nextDay.status).toBe(200);
    expect(nextDay.headers.get('idempotent-replayed')).toBeNull();
    expect(creates()).toHaveLength(1);
    expect(upstream.basic.control.records().map((r) => r.phoneName)).toContain('Day-two');
  });
});
