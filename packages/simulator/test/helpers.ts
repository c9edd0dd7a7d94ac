import { createSimulator, type Simulator, type SimulatorOptions } from '../src/index.js';

export const KEY = 'CANARY-KEY-7f3a9c';
export const USER = 'acme';
export const BASE = 'http://sim.test';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function makeSimulator(options: SimulatorOptions = {}): Simulator {
  return createSimulator({
    userName: USER,
    apiKey: KEY,
    records: [
      { phoneNumber: '9876543210', phoneName: 'Desk1', skills: ['General'] },
      { phoneNumber: '+14155550100', phoneName: 'Front.Desk' },
    ],
    ...options,
  });
}

/** v1: a raw query string (kept as typed, so a raw + reaches the server) and an optional form body. */
export async function v1(sim: Simulator, query: string, init: { method?: 'GET' | 'POST'; form?: string; contentType?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (init.form !== undefined) headers['content-type'] = init.contentType ?? 'application/x-www-form-urlencoded';
  const res = await sim.fetch(
    new Request(`${BASE}/CAServices/PhoneManageV2.php${query}`, { method: init.method ?? (init.form !== undefined ? 'POST' : 'GET'), headers, ...(init.form !== undefined ? { body: init.form } : {}) }),
  );
  return reply(res);
}

/** v1 with the documented parameters, encoded properly, plus the credentials. */
export function v1Params(sim: Simulator, params: Record<string, string>): Promise<Reply> {
  return v1(sim, `?${new URLSearchParams({ apiKey: KEY, userName: USER, ...params }).toString()}`);
}

/** v2 POST (create, edit, delete) with the apiKey header unless headers say otherwise. */
export async function v2(sim: Simulator, body: unknown, headers: Record<string, string> = { apiKey: KEY }, method = 'POST', query = ''): Promise<Reply> {
  const res = await sim.fetch(
    new Request(`${BASE}/ca_apis/PhoneManageV2${query}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    }),
  );
  return reply(res);
}

/**
 * v2 get through the neutral entry. A standard Request cannot carry a GET body, so the body goes
 * in through the `incoming` binding, as @hono/node-server hands it over (the real GET-with-body
 * over a socket is tested in node.test.ts).
 */
export async function v2Get(sim: Simulator, body: unknown, headers: Record<string, string> = { apiKey: KEY }): Promise<Reply> {
  const text = JSON.stringify(body);
  const incoming = {
    async *[Symbol.asyncIterator]() {
      yield new TextEncoder().encode(text);
    },
  };
  return reply(await sim.fetch(new Request(`${BASE}/ca_apis/PhoneManageV2`, { method: 'GET', headers: { 'content-type': 'application/json', ...headers } }), { incoming }));
}

export async function token(sim: Simulator, body: unknown = { userName: USER }, headers: Record<string, string> = { apiKey: KEY }): Promise<Reply> {
  const res = await sim.fetch(
    new Request(`${BASE}/ca_apis/CAToken/generateToken`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  );
  return reply(res);
}

export const ok = { status: 'success', message: 'record inserted successfully' };
