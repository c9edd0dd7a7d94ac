// Over a fetch-based transport (no GET with a body) an ambiguous mutation cannot be read back: the caller
// is told the outcome is unknown (504), never success, and the mutation is not re-sent.
import { describe, expect, it } from 'vitest';
import { SHIM_MESSAGES } from '../../src/v1-answer.js';
import { KEY, USER, makeHarness } from '../matrix.js';

const create = `?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000401&phoneName=Desk401`;

describe('ambiguous outcomes without read-back', () => {
  it('connection dropped after v2 applied the change: 504 "outcome unknown", sent once', async () => {
    const h = makeHarness();
    h.v2.control.setFaults({ queue: [{ kind: 'drop-after' }] });
    const res = await h.send({ query: create });
    expect(res.status).toBe(504);
    expect(res.headers.get('x-shim-outcome')).toBe('unknown');
    expect(JSON.parse(res.body)).toEqual({ status: 'error', message: SHIM_MESSAGES.outcomeUnknown });
    expect(h.v2Mutations()).toHaveLength(1);
    expect(h.v2.control.applyCount()).toBe(1);
    expect(h.shim.metrics.snapshot().calls[0]).toMatchObject({ outcome: 'outcome-unknown' });
    for (const l of h.logs) expect(l).not.toContain(KEY);
  });

  it('an HTML 502 page after applying: 504 as well, never success', async () => {
    const h = makeHarness();
    h.v2.control.setFaults({ queue: [{ kind: 'html-error', afterApplying: true }] });
    const res = await h.send({ query: create });
    expect(res.status).toBe(504);
    expect(h.v2Mutations()).toHaveLength(1);
  });
});
