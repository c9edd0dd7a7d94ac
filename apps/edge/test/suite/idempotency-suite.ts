import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EdgeHarness } from './edge-suite.js';
import { CANARIES, DELTA_LIMIT, TEAM_TOKENS, TIMEOUT_MS } from './fixtures.js';
import { SEED } from './upstream.js';

/**
 * Idempotency keys and the audit trail through the whole edge, run in workerd (the team's Durable
 * Object) and on Node (memory). "Sends nothing" is checked on the simulator's own call log.
 */
export function defineIdempotencySuite(harness: () => EdgeHarness): void {
  const seen: string[] = [];

  async function call(path: string, init: { method?: string; team?: keyof typeof TEAM_TOKENS | null; key?: string; json?: unknown; headers?: Record<string, string> } = {}) {
    const { method = 'GET', team = 'alpha', key, json } = init;
    const headers = new Headers(init.headers);
    if (team) headers.set('authorization', `Bearer ${TEAM_TOKENS[team]}`);
    if (key !== undefined) headers.set('idempotency-key', key);
    if (json !== undefined) headers.set('content-type', 'application/json');
    const response = await harness().request(path, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    const text = await response.text();
    seen.push(text, JSON.stringify([...response.headers]));
    let parsed: Record<string, any> = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      // the assertions say what was expected
    }
    return { status: response.status, headers: response.headers, text, json: parsed };
  }

  const calls = async () => [...(await harness().upstream.calls('basic')), ...(await harness().upstream.calls('token'))].filter((c) => c.version === 'v2');
  const mutations = async () => (await calls()).filter((c) => c.action !== 'get');
  const records = () => harness().upstream.records('basic');
  const newKey = () => crypto.randomUUID();
  let n = 0;
  const freshNumber = () => `73${String(Date.now() % 1e6).padStart(6, '0')}${String(n++ % 100).padStart(2, '0')}`;

  beforeEach(async () => {
    await harness().upstream.reset();
  });

  describe('Idempotency-Key', () => {
    it('a repeat sends nothing to CloudAgent and answers the first status and body, with Idempotent-Replayed', async () => {
      const key = newKey();
      const body = { userName: 'demo', phoneNumber: freshNumber(), phoneName: 'Keyed-create' };
      const first = await call('/phone-numbers', { method: 'POST', key, json: body });
      expect(first.status).toBe(200);
      expect(first.json.outcome).toBe('success');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const again = await Promise.all([1, 2, 3].map(() => call('/phone-numbers', { method: 'POST', key, json: body })));
      for (const replay of again) {
        expect(replay.status).toBe(200);
        expect(replay.text).toBe(first.text);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(replay.headers.get('content-type')).toContain('application/json');
        // Each request still has its own id in the header; the body is the first answer's.
        expect(replay.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
        expect(replay.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
        expect(replay.headers.get('x-content-type-options')).toBe('nosniff');
      }
      expect(await mutations()).toHaveLength(1);
      expect((await records()).filter((r) => r.phoneNumber === body.phoneNumber)).toHaveLength(1);
    });

    it('replays a refusal too (CloudAgent answered: the number exists), and reads the key as an sf-string or bare', async () => {
      const key = newKey();
      const body = { userName: 'demo', phoneNumber: SEED[0]!.phoneNumber, phoneName: 'Duplicate' };
      const first = await call('/phone-numbers', { method: 'POST', key, json: body });
      expect(first.status).toBe(409);
      expect(first.json.type).toBe('urn:cloudagent-phone:problem:conflict');
      const quoted = await call('/phone-numbers', { method: 'POST', key: `"${key}"`, json: body });
      expect(quoted.status).toBe(409);
      expect(quoted.text).toBe(first.text);
      expect(quoted.headers.get('content-type')).toContain('application/problem+json');
      expect(quoted.headers.get('idempotent-replayed')).toBe('true');
      expect(await mutations()).toHaveLength(1);
    });

    it('the same key with a different body, path or method: 422, and nothing sent', async () => {
      const key = newKey();
      const number = SEED[1]!.phoneNumber;
      const first = await call(`/phone-numbers/${number}`, { method: 'PATCH', key, json: { userName: 'demo', phoneName: SEED[1]!.phoneName, phoneNameNew: 'Support-renamed' } });
      expect(first.status).toBe(200);
      const tries = [
        await call(`/phone-numbers/${number}`, { method: 'PATCH', key, json: { userName: 'demo', phoneName: SEED[1]!.phoneName, phoneNameNew: 'Something-else' } }),
        await call(`/phone-numbers/${number}?x=1`, { method: 'PATCH', key, json: { userName: 'demo', phoneName: SEED[1]!.phoneName, phoneNameNew: 'Support-renamed' } }),
        await call(`/phone-numbers/${number}`, { method: 'DELETE', key, json: { userName: 'demo', phoneName: 'Support-renamed' } }),
      ];
      for (const t of tries) {
        expect(t.status).toBe(422);
        expect(t.headers.get('content-type')).toContain('application/problem+json');
        expect(t.json).toMatchObject({ type: 'urn:cloudagent-phone:problem:idempotency-key-reused', status: 422 });
        expect(t.json.detail).toMatch(/new key/);
      }
      expect(await mutations()).toHaveLength(1);
    });

    it('the same key while the first is in flight: 409 with Retry-After 1; afterwards the first answer', async () => {
      const key = newKey();
      const body = { userName: 'demo', phoneNumber: freshNumber(), phoneName: 'Slow-create' };
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'latency', ms: Math.round(TIMEOUT_MS / 2) }] });
      const first = call('/phone-numbers', { method: 'POST', key, json: body });
      await vi.waitFor(async () => expect((await harness().upstream.requests()).length).toBeGreaterThan(0), { timeout: TIMEOUT_MS });
      const during = await call('/phone-numbers', { method: 'POST', key, json: body });
      expect(during.status).toBe(409);
      expect(during.json).toMatchObject({ type: 'urn:cloudagent-phone:problem:idempotency-key-in-flight', status: 409 });
      expect(during.headers.get('retry-after')).toBe('1');
      const done = await first;
      expect(done.status).toBe(200);
      const after = await call('/phone-numbers', { method: 'POST', key, json: body });
      expect(after.text).toBe(done.text);
      expect(after.headers.get('idempotent-replayed')).toBe('true');
      expect(await mutations()).toHaveLength(1);
    });

    it('an unknown first answer is settled on replay by reading back, never by sending again', async () => {
      const key = newKey();
      const body = { userName: 'demo', phoneNumber: freshNumber(), phoneName: 'Dropped-create' };
      // The create lands and the connection drops; a read-back the edge may try at once fails too.
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'drop-after' }, { kind: 'server-error' }] });
      const first = await call('/phone-numbers', { method: 'POST', key, json: body });
      await harness().upstream.setFaults('basic', {});
      expect(first.json.outcome).toBe('unknown');
      expect((await records()).some((r) => r.phoneNumber === body.phoneNumber)).toBe(true);
      const replay = await call('/phone-numbers', { method: 'POST', key, json: body });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await mutations()).toHaveLength(1);
      // Read back: the number is there with the asked-for name, so the create was applied.
      expect(replay.status).toBe(200);
      expect(replay.json.outcome).toBe('success');
      expect(replay.json.message).toMatch(/read/);
      const lookups = (await calls()).filter((c) => c.action === 'get').length;
      expect(lookups).toBeGreaterThanOrEqual(1);
      // The settled answer is what the key keeps now: a third try reads nothing more.
      const third = await call('/phone-numbers', { method: 'POST', key, json: body });
      expect(third.text).toBe(replay.text);
      expect((await calls()).filter((c) => c.action === 'get')).toHaveLength(lookups);
      expect(await mutations()).toHaveLength(1);
    });

    it('a key whose request sent nothing (bad input) is released: the corrected request may use it', async () => {
      const key = newKey();
      const bad = await call('/phone-numbers', { method: 'POST', key, json: { userName: 'demo', phoneName: 'No-number' } });
      expect(bad.status).toBe(400);
      const good = await call('/phone-numbers', { method: 'POST', key, json: { userName: 'demo', phoneNumber: freshNumber(), phoneName: 'Corrected' } });
      expect(good.status).toBe(200);
      expect(good.headers.get('idempotent-replayed')).toBeNull();
      expect(await mutations()).toHaveLength(1);
    });

    it('a malformed key is a 400 naming the header, and nothing is sent', async () => {
      const body = { userName: 'demo', phoneNumber: freshNumber(), phoneName: 'Bad-key' };
      for (const key of ['', 'x'.repeat(256), '"unterminated\\"', 'tab\there']) {
        const answer = await call('/phone-numbers', { method: 'POST', key, json: body });
        expect(answer.status).toBe(400);
        expect(answer.json.type).toBe('urn:cloudagent-phone:problem:invalid-input');
        expect(answer.json.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key', rule: 'idempotency-key' })]);
      }
      expect((await call('/phone-numbers', { method: 'POST', key: 'x'.repeat(255), json: body })).status).toBe(200);
      expect(await mutations()).toHaveLength(1);
    });

    it('requireIdempotencyKey: mutations without the header are 400, with it they pass; replays are not rate-limited', async () => {
      const body = { userName: 'demo', phoneNumber: freshNumber(), phoneName: 'Required-key' };
      const missing = await call('/phone-numbers', { method: 'POST', team: 'delta', json: body });
      expect(missing.status).toBe(400);
      expect(missing.json).toMatchObject({ type: 'urn:cloudagent-phone:problem:idempotency-key-missing', status: 400 });
      expect(missing.json.detail).toMatch(/Idempotency-Key/);
      const missingDelete = await call(`/phone-numbers/${SEED[1]!.phoneNumber}`, { method: 'DELETE', team: 'delta', json: { userName: 'demo', phoneName: SEED[1]!.phoneName } });
      expect(missingDelete.status).toBe(400);
      expect(await mutations()).toHaveLength(0);

      const key = newKey();
      const first = await call('/phone-numbers', { method: 'POST', team: 'delta', key, json: body });
      expect(first.status).toBe(200);
      expect(first.headers.get('ratelimit-remaining')).toBe(String(DELTA_LIMIT - 1));
      // Many replays: none counted, none limited.
      for (let i = 0; i < DELTA_LIMIT + 2; i++) {
        const replay = await call('/phone-numbers', { method: 'POST', team: 'delta', key, json: body });
        expect(replay.status).toBe(200);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(replay.headers.get('ratelimit-remaining')).toBeNull();
      }
      // The rest of the minute's allowance is still there: DELTA_LIMIT - 1 more new requests.
      const statuses = [];
      for (let i = 0; i < DELTA_LIMIT; i++) {
        statuses.push((await call('/phone-numbers', { method: 'POST', team: 'delta', key: newKey(), json: { userName: 'demo' } })).status);
      }
      expect(statuses).toEqual([...Array(DELTA_LIMIT - 1).fill(400), 429]);
      expect(await mutations()).toHaveLength(1);
    });
  });

  describe('audit trail', () => {
    it("GET /audit lists the team's own mutations: account, action, number and name before and after, outcome, request id, time", async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const number = freshNumber();
      const created = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: number, phoneName: 'Audited' } });
      const edited = await call(`/phone-numbers/${number}`, { method: 'PATCH', json: { userName: 'demo', phoneName: 'Audited', phoneNameNew: 'Audited-2' } });
      const deleted = await call(`/phone-numbers/${number}`, { method: 'DELETE', json: { userName: 'demo', phoneName: 'Audited-2' } });
      const refused = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: SEED[0]!.phoneNumber, phoneName: 'Taken' } });
      expect([created.status, edited.status, deleted.status, refused.status]).toEqual([200, 200, 200, 409]);
      // Refused before anything was sent: not a mutation through the edge, not in the trail.
      expect((await call('/phone-numbers', { method: 'POST', json: { userName: 'demo' } })).status).toBe(400);

      const trail = await call(`/audit?since=${encodeURIComponent(since)}`);
      expect(trail.status).toBe(200);
      const mine = trail.json.entries.filter((e: any) => [created, edited, deleted, refused].some((a) => a.json.requestId === e.requestId));
      expect(mine).toHaveLength(4);
      expect(mine.map((e: any) => [e.action, e.before, e.after, e.outcome, e.status])).toEqual([
        ['create', null, { phoneNumber: number, phoneName: 'Audited' }, 'success', 200],
        ['edit', { phoneNumber: number, phoneName: 'Audited' }, { phoneNumber: number, phoneName: 'Audited-2' }, 'success', 200],
        ['delete', { phoneNumber: number, phoneName: 'Audited-2' }, null, 'success', 200],
        ['create', null, { phoneNumber: SEED[0]!.phoneNumber, phoneName: 'Taken' }, 'conflict', 409],
      ]);
      for (const entry of mine) {
        expect(entry).toMatchObject({ team: 'alpha', userName: 'demo' });
        expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(Date.parse(since));
        expect(typeof entry.id).toBe('number');
      }
      expect(trail.json.next).toBeNull();
    });

    it("is readable by that team only: another team sees none of it, and no token sees nothing at all", async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const mine = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: freshNumber(), phoneName: 'Alpha-only' } });
      const theirs = await call(`/audit?since=${encodeURIComponent(since)}`, { team: 'beta' });
      expect(theirs.status).toBe(200);
      expect(theirs.json.entries.some((e: any) => e.requestId === mine.json.requestId)).toBe(false);
      expect(theirs.json.entries.every((e: any) => e.team === 'beta')).toBe(true);
      const anonymous = await call('/audit', { team: null });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    });

    it('pages with limit and next; a bad since, after or limit is a 400 naming the field', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      for (let i = 0; i < 3; i++) await call('/phone-numbers', { method: 'POST', team: 'beta', json: { userName: 'other', phoneNumber: freshNumber(), phoneName: `Beta-${i}` } });
      const page = await call(`/audit?since=${encodeURIComponent(since)}&limit=2`, { team: 'beta' });
      expect(page.json.entries).toHaveLength(2);
      expect(page.json.next).toMatch(/^\/audit\?since=.*&after=\d+&limit=2$/);
      const rest = await call(page.json.next, { team: 'beta' });
      expect(rest.json.entries.length).toBeGreaterThanOrEqual(1);
      expect(rest.json.entries[0].id).toBeGreaterThan(page.json.entries[1].id);
      for (const [query, field] of [['since=yesterday', 'since'], ['limit=0', 'limit'], ['limit=501', 'limit'], ['after=-1', 'after']] as const) {
        const bad = await call(`/audit?${query}`, { team: 'beta' });
        expect(bad.status).toBe(400);
        expect(bad.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      }
      expect((await call('/audit', { method: 'DELETE', team: 'beta' })).headers.get('allow')).toBe('GET');
    });

    it('a replay adds no entry; a replay that settles an unknown answer adds one pointing at the first request', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const key = newKey();
      const body = { userName: 'demo', phoneNumber: freshNumber(), phoneName: 'Audit-replay' };
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'drop-after' }, { kind: 'server-error' }] });
      const first = await call('/phone-numbers', { method: 'POST', key, json: body });
      await harness().upstream.setFaults('basic', {});
      expect(first.json.outcome).toBe('unknown');
      await call('/phone-numbers', { method: 'POST', key, json: body });
      await call('/phone-numbers', { method: 'POST', key, json: body });
      const trail = await call(`/audit?since=${encodeURIComponent(since)}`);
      const entries = trail.json.entries.filter((e: any) => e.after?.phoneNumber === body.phoneNumber);
      expect(entries.map((e: any) => [e.outcome, e.settles])).toEqual([
        ['unknown', undefined],
        ['success', first.json.requestId],
      ]);
    });

    it('holds no secret even when a caller puts an API key into a name: the entry keeps it redacted', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const number = freshNumber();
      const created = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: number, phoneName: CANARIES[0] } });
      expect(created.status).toBe(200);
      const trail = await call(`/audit?since=${encodeURIComponent(since)}`);
      const entry = trail.json.entries.find((e: any) => e.requestId === created.json.requestId);
      expect(entry.after).toEqual({ phoneNumber: number, phoneName: '[REDACTED]' });
      expect(trail.text).not.toContain(CANARIES[0]);
    });

    it('holds no secret: no API key and no team token in any answer, the trail included', async () => {
      const trail = await call('/audit');
      expect(trail.status).toBe(200);
      expect(trail.json.entries.length).toBeGreaterThan(3);
      expect(seen.length).toBeGreaterThan(20);
      for (const text of [...seen, ...harness().logs()]) {
        for (const secret of [...CANARIES, ...Object.values(TEAM_TOKENS)]) expect(text).not.toContain(secret);
      }
    });
  });
}
