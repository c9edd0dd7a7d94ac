// Token accounts (SHIM_TOKEN_ACCOUNTS), runtime-neutral so the same cases run on Node (node:http,
// the in-memory holder) and inside workerd (fetch, the AccountTokens Durable Object). Each case gets
// its own account and simulator (auth 'token'), so no token or refusal carries over between cases.
import { VENDOR_MESSAGES } from '@cloudagent-phone/core';
import type { Simulator } from '@cloudagent-phone/simulator';
import { describe, expect, it } from 'vitest';

export const TOKEN_KEY = 'CANARY-KEY-token-3b9e1d7a';
export const WRONG_KEY = 'CANARY-WRONG-token-8c2f4e6a';
export const PATH = '/CAServices/PhoneManageV2.php';
/** The token account of the simulator on loopback that the workerd tests reach over sockets. */
export const TOKEN_SOCKET_USER = 'tokensock';
const SUCCESS = JSON.stringify({ status: 'success', message: VENDOR_MESSAGES.success });
const NOT_VALID = JSON.stringify({ status: 'error', message: VENDOR_MESSAGES.authInvalid });

export interface TokenHarness {
  user: string;
  simulator: Simulator;
  /** Every line the shim logged. */
  logs: string[];
  send(query: string): Promise<{ status: number; body: string; headers: Headers }>;
}

/** `clock`: the simulator's clock (token expiry, its hourly cap). */
export type MakeTokenHarness = (options?: { clock?: () => number }) => Promise<TokenHarness>;

const generations = (h: TokenHarness) => h.simulator.control.calls().filter((c) => c.action === 'token').length;
const mutationsSent = (h: TokenHarness) => h.simulator.control.calls().filter((c) => c.version === 'v2' && c.action !== 'get').length;
const create = (h: TokenHarness, key: string, n: number) =>
  `action=create&apiKey=${encodeURIComponent(key)}&userName=${h.user}&phoneNumber=%2B91700000${String(4000 + n)}&phoneName=Tok${n}`;

function expectNoSecrets(h: TokenHarness, answers: string[]) {
  expect(h.logs.length).toBeGreaterThan(0);
  const everything = [...h.logs, ...answers].join('\n');
  expect(everything).not.toContain('CANARY');
  const token = h.simulator.state.tokens.current?.token;
  if (token) expect(everything).not.toContain(token);
}

export function defineTokenAccountCases(make: MakeTokenHarness) {
  describe('token accounts (SHIM_TOKEN_ACCOUNTS)', () => {
    it('12 concurrent callers share one generated token, each mutation sent once with it', async () => {
      const h = await make();
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => h.send(create(h, TOKEN_KEY, i))));
      for (const a of answers) expect(a.body).toBe(SUCCESS);
      expect(generations(h)).toBe(1);
      expect(h.simulator.state.tokens.generatedAt).toHaveLength(1);
      expect(mutationsSent(h)).toBe(12);
      expect(h.simulator.control.calls().filter((c) => c.version === 'v2').every((c) => c.auth === 'bearer')).toBe(true);
      expect(h.simulator.control.applyCount()).toBe(12);
      expectNoSecrets(h, answers.map((a) => a.body));
    });

    it("refuses a wrong key with v1's words while a valid token is held; nothing applied, the token untouched", async () => {
      const h = await make();
      const first = await h.send(create(h, TOKEN_KEY, 1));
      expect(first.body).toBe(SUCCESS);
      const token = h.simulator.state.tokens.current?.token;
      const wrong = await h.send(create(h, WRONG_KEY, 2));
      expect(wrong.status).toBe(200);
      expect(wrong.body).toBe(NOT_VALID);
      expect(mutationsSent(h)).toBe(1);
      expect(h.simulator.control.applyCount()).toBe(1);
      // The wrong key was checked once with generateToken, which refused it and voided nothing.
      expect(generations(h)).toBe(2);
      expect(h.simulator.state.tokens.current?.token).toBe(token);
      const again = await h.send(create(h, TOKEN_KEY, 3));
      expect(again.body).toBe(SUCCESS);
      expect(generations(h)).toBe(2);
      expectNoSecrets(h, [first.body, wrong.body, again.body]);
    });

    it('remembers a refused key: repeated and concurrent wrong-key calls do not reach generateToken again', async () => {
      const h = await make();
      const answers = [await h.send(create(h, WRONG_KEY, 1))];
      answers.push(...(await Promise.all(Array.from({ length: 12 }, (_, i) => h.send(create(h, WRONG_KEY, 10 + i))))));
      for (const a of answers) expect(a.body).toBe(NOT_VALID);
      expect(generations(h)).toBe(1);
      expect(mutationsSent(h)).toBe(0);
      expectNoSecrets(h, answers.map((a) => a.body));
    });

    it('caps checks of unrecognised keys per account (Max limit exceeded, Retry-After); the proven key carries on', async () => {
      const h = await make();
      const answers = [await h.send(create(h, TOKEN_KEY, 1))]; // proves the right key: 1 of 5 checks
      for (let i = 0; i < 4; i++) answers.push(await h.send(create(h, `${WRONG_KEY}-${i}`, 10 + i)));
      expect(generations(h)).toBe(5);
      const capped = await h.send(create(h, `${WRONG_KEY}-x`, 20));
      expect(JSON.parse(capped.body)).toEqual({ status: 'error', message: VENDOR_MESSAGES.rateLimited });
      expect(Number(capped.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(generations(h)).toBe(5);
      const proven = await h.send(create(h, TOKEN_KEY, 2));
      expect(proven.body).toBe(SUCCESS);
      expect(generations(h)).toBe(5);
      expect(h.simulator.control.applyCount()).toBe(2);
      expectNoSecrets(h, [...answers.map((a) => a.body), capped.body, proven.body]);
    });

    it("generateToken failing (a 500): the shim's 502, nothing sent to PhoneManageV2; the next call gets its token", async () => {
      const h = await make();
      h.simulator.control.setFaults({ queue: [{ kind: 'server-error' }], routes: ['token'] });
      const failed = await h.send(create(h, TOKEN_KEY, 1));
      expect(failed.status).toBe(502);
      expect(failed.headers.get('x-shim-outcome')).toBe('not-applied');
      expect(mutationsSent(h)).toBe(0);
      const next = await h.send(create(h, TOKEN_KEY, 1));
      expect(next.body).toBe(SUCCESS);
      expect(generations(h)).toBe(2);
      expect(h.simulator.control.applyCount()).toBe(1);
      expectNoSecrets(h, [failed.body, next.body]);
    });

    it('Token Expired: a new token once, the mutation sent again and applied once', async () => {
      let clock = Date.UTC(2026, 5, 1, 9);
      const h = await make({ clock: () => clock });
      expect((await h.send(create(h, TOKEN_KEY, 1))).body).toBe(SUCCESS);
      clock += 61 * 60 * 1000; // CloudAgent's 60 minutes are up; the shim's holder does not know yet
      const after = await h.send(create(h, TOKEN_KEY, 2));
      expect(after.body).toBe(SUCCESS);
      expect(generations(h)).toBe(2);
      const sent = h.simulator.control.calls().filter((c) => c.version === 'v2' && c.params.phoneNumber === '+917000004002');
      expect(sent.map((c) => c.httpStatus)).toEqual([401, 200]);
      expect(h.simulator.control.timesApplied('create', '+917000004002')).toBe(1);
      expectNoSecrets(h, [after.body]);
    });

    it('Token Expired again after the refresh: no second refresh, nothing applied, no loop', async () => {
      // Every read of this clock is 61 minutes later: each token is expired when it is checked.
      let reads = 0;
      const base = Date.UTC(2026, 5, 1, 9);
      const h = await make({ clock: () => base + reads++ * 61 * 60 * 1000 });
      const answer = await h.send(create(h, TOKEN_KEY, 1));
      expect(answer.body).toBe(NOT_VALID);
      expect(generations(h)).toBe(2);
      expect(mutationsSent(h)).toBe(2);
      expect(h.simulator.control.applyCount()).toBe(0);
      expectNoSecrets(h, [answer.body]);
    });

    it('never asks for an 11th token in an hour: Max limit exceeded with Retry-After instead, nothing applied', async () => {
      // As above, every token is expired when checked, so each call spends a generation.
      let reads = 0;
      const base = Date.UTC(2026, 5, 1, 9);
      const h = await make({ clock: () => base + reads++ * 61 * 60 * 1000 });
      const answers: string[] = [];
      for (let i = 0; i < 9; i++) answers.push((await h.send(create(h, TOKEN_KEY, i))).body);
      expect(generations(h)).toBe(10);
      const capped = await h.send(create(h, TOKEN_KEY, 20));
      expect(JSON.parse(capped.body)).toEqual({ status: 'error', message: VENDOR_MESSAGES.rateLimited });
      expect(Number(capped.headers.get('retry-after'))).toBeGreaterThan(3000);
      expect(generations(h)).toBe(10);
      expect(h.simulator.control.applyCount()).toBe(0);
      expectNoSecrets(h, [...answers, capped.body]);
    });
  });
}
