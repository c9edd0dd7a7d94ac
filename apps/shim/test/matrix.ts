// The legacy-client matrix, runtime-neutral so the same cases run on Node and inside workerd.
// Each case is one request shape a real legacy client sends, or one documented v1 error. The shim
// runs over an in-process simulator (v2); a second simulator with the same seed answers the same
// request on its own v1 endpoint, as the byte-for-byte reference where v1 itself would agree.
import { VENDOR_MESSAGES } from '@cloudagent-phone/core';
import { createSimulator, type CallRecord, type Simulator } from '@cloudagent-phone/simulator';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { configFromEnv } from '../src/config.js';
import { createShim, type Shim } from '../src/app.js';
import type { DashboardAssets } from '../src/dashboard/assets.js';

export const KEY = 'CANARY-KEY-shim-7f3a9c2e';
export const USER = 'acme';
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
export const SEED = [
  { phoneNumber: '+919876543210', phoneName: 'Support', skills: ['General'] },
  { phoneNumber: '+918888888888', phoneName: 'Sales', skills: [] },
];
export const PATH = '/CAServices/PhoneManageV2.php';
const BASE = 'http://shim.test';

export interface Harness {
  shim: Shim;
  v2: Simulator;
  reference: Simulator;
  logs: string[];
  /** Mutations v2 received (read-backs and shadow reads are gets and are not counted). */
  v2Mutations(): CallRecord[];
  send(req: RequestSpec): Promise<{ status: number; body: string; headers: Headers }>;
  sendToReference(req: RequestSpec): Promise<{ status: number; body: string }>;
}

export interface RequestSpec {
  method?: 'GET' | 'POST';
  /** Everything after the path, `?` included, exactly as the client puts it on the wire. */
  query?: string;
  body?: string;
  contentType?: string;
}

export function makeHarness(options: { env?: Record<string, string>; phoneNumberLimit?: number; dashboardAssets?: DashboardAssets } = {}): Harness {
  const simOptions = { userName: USER, apiKey: KEY, records: SEED, ...(options.phoneNumberLimit !== undefined ? { phoneNumberLimit: options.phoneNumberLimit } : {}) };
  const v2 = createSimulator(simOptions);
  const reference = createSimulator(simOptions);
  const logs: string[] = [];
  const shim = createShim({
    config: configFromEnv({ CLOUDAGENT_BASE_URL: 'https://v2.test', SHIM_ADMIN_TOKEN: ADMIN_TOKEN, ...options.env }),
    v2Transport: createFetchTransport({ fetch: (input, init) => v2.fetch(new Request(input, init)) }),
    log: (line) => logs.push(line),
    ...(options.dashboardAssets ? { dashboardAssets: options.dashboardAssets } : {}),
  });
  const request = (spec: RequestSpec) =>
    new Request(`${BASE}${PATH}${spec.query ?? ''}`, {
      method: spec.method ?? 'GET',
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      ...(spec.contentType ? { headers: { 'content-type': spec.contentType } } : {}),
    });
  return {
    shim,
    v2,
    reference,
    logs,
    v2Mutations: () => v2.control.calls().filter((c) => c.version === 'v2' && c.action !== 'get'),
    async send(spec) {
      const res = await shim.fetch(request(spec));
      return { status: res.status, body: await res.text(), headers: res.headers };
    },
    async sendToReference(spec) {
      const res = await reference.fetch(request(spec));
      return { status: res.status, body: await res.text() };
    },
  };
}

export const body = (status: 'success' | 'error', message: string) => JSON.stringify({ status, message });
export const SUCCESS = '{"status":"success","message":"record inserted successfully"}';
const M = VENDOR_MESSAGES;
const FORM = 'application/x-www-form-urlencoded';
const auth = `apiKey=${KEY}&userName=${USER}`;

export interface MatrixCase {
  name: string;
  request: RequestSpec;
  /** The exact bytes v1 answers. */
  expected: string;
  /** v2 mutations the simulator must receive: 1, or 0 when the shim answers by itself. */
  v2Calls: 0 | 1;
  /** The reference v1 gives the same bytes (false where the shim rescues what v1's parser would not). */
  referenceAgrees: boolean;
  /** Fields v2 must have received. */
  v2Params?: Record<string, string>;
  /** Legacy quirks the metrics must count. */
  quirks?: string[];
  phoneNumberLimit?: number;
}

export const REQUEST_SHAPES: MatrixCase[] = [
  {
    name: 'GET with a properly encoded query (+ as %2B)',
    request: { query: `?action=create&${auth}&phoneNumber=%2B917000000001&phoneName=Desk1` },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: true,
    v2Params: { action: 'create', phoneNumber: '+917000000001', phoneName: 'Desk1' },
  },
  {
    name: 'GET glued by hand with a raw + (read as a space, restored)',
    request: { query: `?action=create&${auth}&phoneNumber=+917000000002&phoneName=Desk2` },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: false, // v1's parser reads " 917000000002": the shim restores the +
    v2Params: { phoneNumber: '+917000000002' },
    quirks: ['plus-as-space'],
  },
  {
    name: 'form-encoded POST (HTTParty post body: hash)',
    request: { method: 'POST', body: `action=create&${auth}&phoneNumber=%2B917000000003&phoneName=Desk3`, contentType: FORM },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: true,
    v2Params: { phoneNumber: '+917000000003', phoneName: 'Desk3' },
    quirks: ['form-post'],
  },
  {
    name: "multipart POST (PHP cURL with an array for CURLOPT_POSTFIELDS; PHP reads it into $_POST)",
    request: {
      method: 'POST',
      body: ['action=create', `apiKey=${KEY}`, `userName=${USER}`, 'phoneNumber=+917000000031', 'phoneName=Desk31']
        .map((pair) => { const [k, v] = pair.split('='); return `--XyZ\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`; })
        .join('') + '--XyZ--\r\n',
      contentType: 'multipart/form-data; boundary=XyZ',
    },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: false, // the simulator's v1 reads form-encoded bodies only
    v2Params: { phoneNumber: '+917000000031', phoneName: 'Desk31' },
    quirks: ['form-post'],
  },
  {
    name: 'POST with the parameters in the query and an empty body (axios)',
    request: { method: 'POST', query: `?action=create&${auth}&phoneNumber=%2B917000000004&phoneName=Desk4`, body: '' },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: true,
    v2Params: { phoneNumber: '+917000000004' },
    quirks: ['post-with-query'],
  },
  {
    name: 'a query that starts "?&" (base URL already ending in ?)',
    request: { query: `?&action=create&${auth}&phoneNumber=%2B917000000005&phoneName=Desk5` },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: true,
    v2Params: { phoneName: 'Desk5' },
    quirks: ['leading-ampersand'],
  },
  {
    name: 'edit with PhoneNameNew (the parameter tables\' spelling)',
    request: { query: `?action=edit&${auth}&phoneNumber=%2B919876543210&phoneName=Support&phoneNumberNew=%2B919876543210&PhoneNameNew=Helpdesk` },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: true,
    v2Params: { action: 'edit', phoneNameNew: 'Helpdesk', phoneNumber: '+919876543210' },
  },
  {
    name: 'edit with phoneNameNew (the sample body\'s spelling)',
    request: { query: `?action=edit&${auth}&phoneNumber=%2B919876543210&phoneName=Support&phoneNameNew=Helpdesk` },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: true,
    v2Params: { phoneNameNew: 'Helpdesk' },
    quirks: ['lowercase-new-name-key'],
  },
  {
    name: 'duplicate parameters: the last one wins, as in PHP',
    request: { query: `?action=create&${auth}&phoneNumber=%2B917000000006&phoneName=Wrong&phoneName=Desk6` },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: true,
    v2Params: { phoneName: 'Desk6' },
    quirks: ['duplicate-key'],
  },
  {
    name: 'query and form body merged as $_REQUEST (the body wins)',
    request: { method: 'POST', query: `?action=create&${auth}&phoneName=FromQuery`, body: 'phoneNumber=%2B917000000007&phoneName=Desk7', contentType: FORM },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: true,
    v2Params: { phoneNumber: '+917000000007', phoneName: 'Desk7' },
    quirks: ['query-and-body', 'form-post'],
  },
  {
    name: 'lower-case api_key and username aliases',
    request: { query: `?action=create&api_key=${KEY}&username=${USER}&phoneNumber=%2B917000000008&phoneName=Desk8` },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: false, // v1's PHP read apiKey only; the shim accepts the sibling endpoints' spelling
    v2Params: { phoneName: 'Desk8' },
    quirks: ['alias-key'],
  },
  {
    name: 'a raw + at the start of a name (read as a space by PHP): stored as v1 stored it, without the +, so later calls glued the same way match',
    request: { query: `?action=create&${auth}&phoneNumber=%2B917000000009&phoneName=+Desk9` },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: true,
    v2Params: { phoneName: 'Desk9' },
  },
  {
    name: 'a number with leading zeros (a trunk or 00 prefix) reaches v2 digit for digit',
    request: { query: `?action=create&${auth}&phoneNumber=00917000000010&phoneName=Desk10` },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: true,
    v2Params: { phoneNumber: '00917000000010' },
  },
  {
    name: "parameter names in other cases (APIKEY, USERNAME, phonenamenew, assignskill), read as v1's",
    request: { query: `?action=edit&APIKEY=${KEY}&USERNAME=${USER}&phonenumber=%2B919876543210&phonename=Support&phonenamenew=Helpdesk&assignskill=General` },
    expected: SUCCESS,
    v2Calls: 1,
    referenceAgrees: false, // v1's PHP read the documented spellings only
    v2Params: { action: 'edit', phoneNumber: '+919876543210', phoneName: 'Support', phoneNameNew: 'Helpdesk', assignSkill: 'General' },
    quirks: ['alias-key'],
  },
];

export const DOCUMENTED_ERRORS: MatrixCase[] = [
  {
    name: 'invalid api key (v2 refuses it)',
    request: { query: `?action=create&apiKey=WRONG-KEY-0000&userName=${USER}&phoneNumber=%2B917000000011&phoneName=Desk11` },
    expected: body('error', M.authInvalid),
    v2Calls: 1,
    referenceAgrees: true,
  },
  {
    name: 'invalid user name (v2 refuses it)',
    request: { query: `?action=create&apiKey=${KEY}&userName=nobody&phoneNumber=%2B917000000012&phoneName=Desk12` },
    expected: body('error', M.authInvalid),
    v2Calls: 1,
    referenceAgrees: true,
  },
  {
    name: 'missing api key (caught locally)',
    request: { query: `?action=create&userName=${USER}&phoneNumber=%2B917000000013&phoneName=Desk13` },
    expected: body('error', M.authInvalid),
    v2Calls: 0,
    referenceAgrees: true,
  },
  {
    name: 'invalid action (caught locally)',
    request: { query: `?action=list&${auth}&phoneNumber=%2B917000000014` },
    expected: body('error', M.actionInvalid),
    v2Calls: 0,
    referenceAgrees: true,
  },
  {
    name: 'action in another case (case sensitive, as the get pages say of action): "action not valid"',
    request: { query: `?action=Create&${auth}&phoneNumber=%2B917000000023&phoneName=Desk23` },
    expected: body('error', M.actionInvalid),
    v2Calls: 0,
    referenceAgrees: true,
  },
  {
    name: 'phoneNumber not numeric (caught locally)',
    request: { query: `?action=create&${auth}&phoneNumber=98ab76&phoneName=Desk15` },
    expected: body('error', M.numberNotNumeric),
    v2Calls: 0,
    referenceAgrees: true,
  },
  {
    name: 'empty phoneName (caught locally)',
    request: { query: `?action=delete&${auth}&phoneNumber=%2B919876543210&phoneName=` },
    expected: body('error', M.nameEmpty),
    v2Calls: 0,
    referenceAgrees: true,
  },
  {
    name: 'empty phoneNumber (caught locally)',
    request: { query: `?action=create&${auth}&phoneNumber=&phoneName=Desk17` },
    expected: body('error', M.numberEmpty),
    v2Calls: 0,
    referenceAgrees: true,
  },
  {
    name: 'number or name already exists (v2 refuses it)',
    request: { query: `?action=create&${auth}&phoneNumber=%2B919876543210&phoneName=Other` },
    expected: body('error', M.alreadyExists),
    v2Calls: 1,
    referenceAgrees: true,
  },
  {
    name: 'number too short (caught locally)',
    request: { query: `?action=create&${auth}&phoneNumber=12&phoneName=Desk19` },
    expected: body('error', M.numberLength),
    v2Calls: 0,
    referenceAgrees: true,
  },
  {
    name: 'name breaks the vendor rule (caught locally)',
    request: { query: `?action=create&${auth}&phoneNumber=%2B917000000020&phoneName=-Desk20` },
    expected: body('error', M.nameRule),
    v2Calls: 0,
    referenceAgrees: true,
  },
  {
    name: 'phone-number limit reached (v2 refuses it; leading space and line breaks kept)',
    request: { query: `?action=create&${auth}&phoneNumber=%2B917000000021&phoneName=Desk21` },
    expected: body('error', M.limitExceeded),
    v2Calls: 1,
    referenceAgrees: true,
    phoneNumberLimit: 2,
  },
  {
    name: 'invalid skill key (v2: partial success)',
    request: { query: `?action=create&${auth}&phoneNumber=%2B917000000022&phoneName=Desk22&skill=NoSuchSkill` },
    expected: body('success', M.partialSkills),
    v2Calls: 1,
    referenceAgrees: true,
  },
  {
    name: 'missing skill value (dropped before sending, answered as v1 did)',
    request: { query: `?action=edit&${auth}&phoneNumber=%2B918888888888&phoneName=Sales&PhoneNameNew=Inbound&assignSkill=` },
    expected: body('success', M.partialSkills),
    v2Calls: 1,
    referenceAgrees: true,
    quirks: ['empty-skill'],
  },
];
