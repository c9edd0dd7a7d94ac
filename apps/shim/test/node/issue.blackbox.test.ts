// Black-box tests written from issue 6 and the vendor reference's "How real legacy clients call
// CAServices endpoints": the shim on a real socket in front of the simulator on a real socket, each
// request put on the wire byte for byte with node:http, as the legacy clients send it.
import { request as httpRequest } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { configFromEnv } from '../../src/config.js';
import { startShim } from '../../src/node.js';

const KEY = 'CANARY-KEY-blackbox-5e1d7c';
const USER = 'legacyco';
const ADMIN = 'blackbox-admin-token-0123456789abcdef';
const PATH = '/CAServices/PhoneManageV2.php';
const SEED = [
  { phoneNumber: '+919876543210', phoneName: 'Support', skills: ['General'] },
  { phoneNumber: '+918888888888', phoneName: 'Sales', skills: [] },
];
const OK = '{"status":"success","message":"record inserted successfully"}';
const err = (message: string) => JSON.stringify({ status: 'error', message });

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  const closing = open;
  open = [];
  await Promise.allSettled(closing.map((s) => s.close()));
});

async function setup(limit?: number) {
  const v2 = await startSimulator({ port: 0, userName: USER, apiKey: KEY, records: SEED, skills: ['General', 'QA_Skill'], ...(limit !== undefined ? { phoneNumberLimit: limit } : {}) });
  const logs: string[] = [];
  const shim = await startShim({ config: configFromEnv({ CLOUDAGENT_BASE_URL: v2.url, SHIM_ADMIN_TOKEN: ADMIN }), port: 0, log: (l) => logs.push(l) });
  open.push(shim, v2);
  return { v2, shim, logs };
}

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function send(base: string, method: string, pathAndQuery: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: pathAndQuery, method, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const v2Mutations = (v2: RunningSimulator) => v2.control.calls().filter((c) => c.version === 'v2' && c.action !== 'get');
const v1Calls = (v2: RunningSimulator) => v2.control.calls().filter((c) => c.version === 'v1');

function expectV1Answer(res: Answer, body: string) {
  expect(res.status).toBe(200);
  expect(res.body).toBe(body);
  expect(res.headers.deprecation).toMatch(/^@\d+$/);
  expect(Date.parse(String(res.headers.sunset))).not.toBeNaN();
  expect(String(res.headers.link)).toMatch(/rel="?deprecation"?/);
}

function expectNoKey(logs: string[], ...texts: string[]) {
  expect(logs.length).toBeGreaterThan(0);
  for (const t of [...logs, ...texts]) expect(t).not.toContain(KEY);
}

describe('issue 6: legacy request shapes, over real sockets', () => {
  it('GET with a properly encoded query (+ as %2B): create, one v2 call with the key as a header', async () => {
    const { v2, shim, logs } = await setup();
    const res = await send(shim.url, 'GET', `${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000001&phoneName=Desk1`);
    expectV1Answer(res, OK);
    expect(v2Mutations(v2)).toHaveLength(1);
    expect(v2Mutations(v2)[0]).toMatchObject({ auth: 'apiKey', action: 'create', params: { phoneNumber: '+917000000001', phoneName: 'Desk1' } });
    expect(v1Calls(v2)).toHaveLength(0);
    expect(v2.control.records()).toContainEqual(expect.objectContaining({ phoneNumber: '+917000000001', phoneName: 'Desk1' }));
    expectNoKey(logs, res.body, JSON.stringify(res.headers));
  });

  it('GET glued by hand with a raw + on both number fields: the + is restored', async () => {
    const { v2, shim, logs } = await setup();
    const res = await send(shim.url, 'GET', `${PATH}?action=edit&apiKey=${KEY}&userName=${USER}&phoneNumber=+919876543210&phoneName=Support&phoneNumberNew=+919876500000&PhoneNameNew=Support2`);
    expectV1Answer(res, OK);
    expect(v2Mutations(v2)).toHaveLength(1);
    expect(v2Mutations(v2)[0]!.params).toMatchObject({ phoneNumber: '+919876543210', phoneNumberNew: '+919876500000', phoneNameNew: 'Support2' });
    expect(v2.control.records()).toContainEqual(expect.objectContaining({ phoneNumber: '+919876500000', phoneName: 'Support2' }));
    expectNoKey(logs, res.body);
  });

  it('a form-encoded POST body (HTTParty post(url, body: hash)): delete', async () => {
    const { v2, shim, logs } = await setup();
    const form = new URLSearchParams({ action: 'delete', apiKey: KEY, userName: USER, phoneNumber: '+918888888888', phoneName: 'Sales' }).toString();
    const res = await send(shim.url, 'POST', PATH, form, { 'content-type': 'application/x-www-form-urlencoded' });
    expectV1Answer(res, OK);
    expect(v2Mutations(v2)).toHaveLength(1);
    expect(v2Mutations(v2)[0]).toMatchObject({ action: 'delete', params: { phoneNumber: '+918888888888' } });
    expect(v2.control.records().map((r) => r.phoneNumber)).not.toContain('+918888888888');
    expectNoKey(logs, res.body);
  });

  it("a multipart POST (PHP cURL given an array), which PHP reads into $_REQUEST too", async () => {
    const { v2, shim, logs } = await setup();
    const form = new FormData();
    for (const [k, v] of Object.entries({ action: 'create', apiKey: KEY, userName: USER, phoneNumber: '+917000000008', phoneName: 'Desk8' })) form.append(k, v);
    const res = await fetch(`${shim.url}${PATH}`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(OK);
    expect(v2Mutations(v2)).toHaveLength(1);
    expect(v2Mutations(v2)[0]).toMatchObject({ auth: 'apiKey', params: { phoneNumber: '+917000000008', phoneName: 'Desk8' } });
    expectNoKey(logs);
  });

  it('a POST with the parameters in the query and an empty body (axios)', async () => {
    const { v2, shim, logs } = await setup();
    const res = await send(shim.url, 'POST', `${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000002&phoneName=Desk2`, '', { 'content-type': 'application/x-www-form-urlencoded' });
    expectV1Answer(res, OK);
    expect(v2Mutations(v2)).toHaveLength(1);
    expectNoKey(logs, res.body);
  });

  it('a POST with the parameters in the query, no body and no content type', async () => {
    const { v2, shim } = await setup();
    const res = await send(shim.url, 'POST', `${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000003&phoneName=Desk3`, '');
    expectV1Answer(res, OK);
    expect(v2Mutations(v2)).toHaveLength(1);
  });

  it('a query that starts "?&" (a base URL that already ends in ?)', async () => {
    const { v2, shim } = await setup();
    const res = await send(shim.url, 'GET', `${PATH}?&userName=${USER}&apiKey=${KEY}&action=create&phoneNumber=%2B917000000004&phoneName=Desk4`);
    expectV1Answer(res, OK);
    expect(v2Mutations(v2)).toHaveLength(1);
  });

  for (const spelling of ['PhoneNameNew', 'phoneNameNew']) {
    it(`edit with ${spelling}: the new name reaches v2`, async () => {
      const { v2, shim } = await setup();
      const res = await send(shim.url, 'GET', `${PATH}?action=edit&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B918888888888&phoneName=Sales&phoneNumberNew=%2B918888888888&${spelling}=Inbound`);
      expectV1Answer(res, OK);
      expect(v2Mutations(v2)).toHaveLength(1);
      expect(v2.control.records()).toContainEqual(expect.objectContaining({ phoneNumber: '+918888888888', phoneName: 'Inbound' }));
    });
  }

  it('lower-case api_key and username', async () => {
    const { v2, shim, logs } = await setup();
    const res = await send(shim.url, 'GET', `${PATH}?action=create&api_key=${KEY}&username=${USER}&phoneNumber=%2B917000000005&phoneName=Desk5`);
    expectV1Answer(res, OK);
    expect(v2Mutations(v2)).toHaveLength(1);
    expect(v2Mutations(v2)[0]).toMatchObject({ auth: 'apiKey' });
    expectNoKey(logs, res.body);
  });

  it("PHP's $_REQUEST: query and form body merged, the last duplicate wins", async () => {
    const { v2, shim } = await setup();
    const res = await send(shim.url, 'POST', `${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneName=FromQuery`, 'phoneNumber=%2B917000000006&phoneName=FromBody', { 'content-type': 'application/x-www-form-urlencoded' });
    expectV1Answer(res, OK);
    expect(v2.control.records()).toContainEqual(expect.objectContaining({ phoneNumber: '+917000000006', phoneName: 'FromBody' }));
    const dup = await send(shim.url, 'GET', `${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000007&phoneName=First&phoneName=Last`);
    expectV1Answer(dup, OK);
    expect(v2.control.records()).toContainEqual(expect.objectContaining({ phoneNumber: '+917000000007', phoneName: 'Last' }));
    expect(v2Mutations(v2)).toHaveLength(2);
  });
});

describe("issue 6: documented errors in v1's exact bytes, HTTP 200", () => {
  const cases: { name: string; query: string; body: string; v2: number; limit?: number }[] = [
    { name: 'invalid api key', query: `action=create&apiKey=WRONG-1&userName=${USER}&phoneNumber=%2B917000000010&phoneName=Desk10`, body: err('userName or apiKey not valid'), v2: 1 },
    { name: 'invalid user name', query: `action=create&apiKey=${KEY}&userName=someoneelse&phoneNumber=%2B917000000011&phoneName=Desk11`, body: err('userName or apiKey not valid'), v2: 1 },
    { name: 'invalid action', query: `action=frobnicate&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000012&phoneName=Desk12`, body: err('action not valid'), v2: 0 },
    { name: 'number not numeric', query: `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=abc123&phoneName=Desk13`, body: err('phoneNumber must be numeric'), v2: 0 },
    { name: 'empty name', query: `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000014&phoneName=`, body: err('phoneName cannot be empty'), v2: 0 },
    { name: 'empty number', query: `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=&phoneName=Desk15`, body: err('phoneNumber cannot be empty'), v2: 0 },
    { name: 'number already exists', query: `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B919876543210&phoneName=Fresh`, body: err('phone_name or phone_number already exist'), v2: 1 },
    { name: 'name already exists', query: `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000016&phoneName=Support`, body: err('phone_name or phone_number already exist'), v2: 1 },
    { name: 'number too long', query: `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B123456789012345678&phoneName=Desk17`, body: err('phoneNumber should be between 3 to 17 digits long and allows prefix +'), v2: 0 },
    { name: 'number too short', query: `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=12&phoneName=Desk18`, body: err('phoneNumber should be between 3 to 17 digits long and allows prefix +'), v2: 0 },
    {
      name: 'bad name',
      query: `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000019&phoneName=_Desk19_`,
      body: err('phoneName should be between 2 to 50 alphanumeric characters long allows prefix + and special characters like .,@,_,- and Name cannot start and end with Special characters.'),
      v2: 0,
    },
    {
      name: 'phone-number limit reached',
      query: `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000020&phoneName=Desk20`,
      body: err(" Phone Number Limit Exceeded. Please\nrefer to the 'Phone Number Creation Limit' option under 'Edit Profile'\nfor reference. "),
      v2: 1,
      limit: 2,
    },
    { name: 'invalid skill key (partial success)', query: `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000021&phoneName=Desk21&skill=NoSuchSkill`, body: JSON.stringify({ status: 'success', message: 'record inserted successfully and failed to insert skills please pass the valid skills' }), v2: 1 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { v2, shim, logs } = await setup(c.limit);
      const res = await send(shim.url, 'GET', `${PATH}?${c.query}`);
      expectV1Answer(res, c.body);
      expect(v2Mutations(v2)).toHaveLength(c.v2);
      expect(v1Calls(v2)).toHaveLength(0);
      expectNoKey(logs, res.body);
    });
  }

  it('a missing apiKey is answered as an invalid one, and nothing is sent', async () => {
    const { v2, shim } = await setup();
    const res = await send(shim.url, 'GET', `${PATH}?action=create&userName=${USER}&phoneNumber=%2B917000000030&phoneName=Desk30`);
    expectV1Answer(res, err('userName or apiKey not valid'));
    expect(v2Mutations(v2)).toHaveLength(0);
  });
});

describe('issue 6: metrics behind the admin token', () => {
  it('401/403 without the token; with it, calls by account and the rescued quirks, no key', async () => {
    const { shim } = await setup();
    await send(shim.url, 'GET', `${PATH}?&action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=+917000000040&phoneName=Desk40`);
    const anonymous = await send(shim.url, 'GET', '/_shim/metrics');
    expect([401, 403]).toContain(anonymous.status);
    const wrong = await send(shim.url, 'GET', '/_shim/metrics', undefined, { authorization: 'Bearer nope' });
    expect([401, 403]).toContain(wrong.status);
    const ok = await send(shim.url, 'GET', '/_shim/metrics', undefined, { authorization: `Bearer ${ADMIN}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(USER);
    expect(ok.body).not.toContain(KEY);
    expect(JSON.parse(ok.body)).toBeTypeOf('object');
  });
});

describe('issue 6: `start` on Node at HOST/PORT', () => {
  it('node dist/main.js listens where it says and answers v1', async () => {
    const v2 = await startSimulator({ port: 0, userName: USER, apiKey: KEY, records: SEED });
    open.push(v2);
    const main = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'main.js');
    // The counts go to a scratch data directory, not the home directory of whoever runs the tests.
    const dataDir = mkdtempSync(join(tmpdir(), 'shim-blackbox-'));
    open.push({ close: async () => rmSync(dataDir, { recursive: true, force: true }) });
    const child = spawn(process.execPath, [main], { env: { ...process.env, HOST: '127.0.0.1', PORT: '0', CLOUDAGENT_BASE_URL: v2.url, SHIM_ADMIN_TOKEN: ADMIN, SHIM_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    open.push({ close: () => new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))) });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
        if (m) resolve(m[0]);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    const res = await send(url, 'GET', `${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000050&phoneName=Desk50`);
    expectV1Answer(res, OK);
    expect(v2Mutations(v2)).toHaveLength(1);
    expect(output).not.toContain(KEY);
  });
});
