import type { RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CANARY, SEED, USER, caphone, cleanEnv, envelope, scratchDir, simulatorEnv, withSimulator } from './helpers.js';

let sim: RunningSimulator;
const scratch = scratchDir();
const env = () => cleanEnv(scratch.path, simulatorEnv(sim));

beforeAll(async () => {
  sim = await withSimulator({ records: SEED, skills: ['General', 'QA_Skill', 'Sales'] });
});
afterAll(async () => {
  await sim.close();
  scratch.cleanup();
});
beforeEach(() => sim.control.reset(SEED));

describe('phone edit', () => {
  it('changes number and name and assigns skills (repeatable and comma-separated), in one v2 call', async () => {
    const run = await caphone(
      ['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-number', '+919812345678', '--new-name', 'Sales_North', '--assign-skill', 'General', '--assign-skill', 'QA_Skill,Sales'],
      { env: env() },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Edited +919876543210 (Sales): number → +919812345678; name → Sales_North; assigned General, QA_Skill, Sales');
    const calls = sim.control.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ version: 'v2', method: 'POST', action: 'edit' });
    expect(calls[0]!.params).toMatchObject({ phoneNumberNew: '+919812345678', phoneNameNew: 'Sales_North', assignSkill: 'General,QA_Skill,Sales' });
    expect(sim.control.records()).toContainEqual(expect.objectContaining({ phoneNumber: '+919812345678', phoneName: 'Sales_North', skills: ['General', 'QA_Skill', 'Sales'] }));
  });

  it('keeps the number when --new-number is left out, and unassigns skills', async () => {
    sim.control.reset([{ phoneNumber: '+919876543210', phoneName: 'Sales', skills: ['General', 'QA_Skill'] }]);
    const run = await caphone(['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-name', 'Renamed', '--unassign-skill', 'QA_Skill', '--json'], { env: env() });
    expect(run.code).toBe(0);
    const doc = envelope(run);
    expect(doc.result.operation).toMatchObject({ phoneNumber: '+919876543210', phoneNumberNew: '+919876543210', phoneNameNew: 'Renamed', unAssignSkill: ['QA_Skill'] });
    expect(sim.control.records()).toContainEqual({ phoneNumber: '+919876543210', phoneName: 'Renamed', skills: ['General'] });
  });

  it('--json prints exactly one envelope on stdout: outcome, message, result, warnings, redacted request', async () => {
    const run = await caphone(['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-name', 'Sales_2', '--json'], { env: env() });
    expect(run.code).toBe(0);
    const doc = envelope(run);
    expect(Object.keys(doc)).toEqual(['outcome', 'message', 'result', 'warnings', 'request']);
    expect(doc).toMatchObject({ outcome: 'success', message: 'record inserted successfully', warnings: [] });
    expect(doc.result).toMatchObject({ sent: true, attempts: 1, retryable: false, applied: 'yes', nextStep: 'done', response: { httpStatus: 200, vendorStatus: 'success' } });
    expect(doc.request).toMatchObject({ method: 'POST', url: `${sim.url}/ca_apis/PhoneManageV2`, headers: { apiKey: '[REDACTED]' } });
    expect(JSON.parse(doc.request!.body!)).toMatchObject({ action: 'edit', userName: USER, phoneNameNew: 'Sales_2' });
  });

  it('--dry-run prints the exact request with the key redacted and sends nothing', async () => {
    const human = await caphone(['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-name', 'Dry_Run', '--dry-run'], { env: env() });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`POST ${sim.url}/ca_apis/PhoneManageV2`);
    expect(human.stdout).toContain('apiKey: [REDACTED]');
    expect(human.stdout).toContain('"phoneNameNew":"Dry_Run"');
    expect(human.stdout).toContain('nothing was sent');
    const json = await caphone(['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-name', 'Dry_Run', '--dry-run', '--json'], { env: env() });
    expect(envelope(json)).toMatchObject({ outcome: 'success', result: { dryRun: true, sent: false }, request: { method: 'POST', headers: { apiKey: '[REDACTED]' } } });
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('--dry-run works without a key (nothing will be sent anyway)', async () => {
    const run = await caphone(['phone', 'delete', '--number', '+919876543210', '--name', 'Sales', '--dry-run'], { env: cleanEnv(scratch.path, { CLOUDAGENT_USERNAME: USER }) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`POST https://in1-ccaas-api.ozonetel.com/ca_apis/PhoneManageV2`);
    expect(run.stdout).toContain('apiKey: [REDACTED]');
  });

  it('--verbose puts the redacted request and response on stderr, and only the result on stdout', async () => {
    const run = await caphone(['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-name', 'Loud', '--verbose'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('Edited +919876543210 (Sales): name → Loud');
    expect(run.stderr).toContain(`> POST ${sim.url}/ca_apis/PhoneManageV2`);
    expect(run.stderr).toContain('> apiKey: [REDACTED]');
    expect(run.stderr).toContain('< 200');
    expect(run.stderr).toContain('record inserted successfully');
  });

  it('an invalid value exits 2 naming the flag and the rule, and sends nothing', async () => {
    const run = await caphone(['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-number', '98-76', '--json'], { env: env() });
    expect(run.code).toBe(2);
    const doc = envelope(run);
    expect(doc).toMatchObject({ outcome: 'validation_error', request: null });
    expect(doc.message).toMatch(/^--new-number must be 3 to 17 digits/);
    expect(doc.result.issues[0]).toMatchObject({ field: 'phoneNumberNew', flag: '--new-number', rule: 'phone-number-format' });
    const human = await caphone(['phone', 'edit', '--number', '+919876543210', '--name', 'Sales'], { env: env() });
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('the edit changes nothing');
    expect(human.stderr).toContain('--new-number');
    expect(human.stderr).toContain('nothing was sent');
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('usage errors are exit 2 and still one JSON document under --json', async () => {
    const unknown = await caphone(['phone', 'edit', '--number', '1', '--name', 'ab', '--frobnicate', '--json'], { env: env() });
    expect(unknown.code).toBe(2);
    expect(envelope(unknown)).toMatchObject({ outcome: 'validation_error' });
    expect(envelope(unknown).message).toContain('--frobnicate');
    const missing = await caphone(['phone', 'edit', '--number', '+919876543210', '--json'], { env: env() });
    expect(missing.code).toBe(2);
    expect(envelope(missing).message).toMatch(/--name/);
    const badOption = await caphone(['phone', 'get', '--number', '1234', '--api', 'v3'], { env: env() });
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/--api/);
  });

  it("a flag's own parse failure, a missing argument and an unknown command are exit 2 with one JSON document too", async () => {
    const rate = await caphone(['phone', 'bulk-edit', 'numbers.csv', '--rate', 'fast', '--json'], { env: env() });
    expect(rate.code, rate.stdout).toBe(2);
    expect(envelope(rate)).toMatchObject({ outcome: 'validation_error' });
    expect(envelope(rate).message).toMatch(/^--rate must be a number/);
    const timeout = await caphone(['phone', 'get', '--number', '+919876543210', '--timeout', 'soon', '--json'], { env: env() });
    expect(timeout.code).toBe(2);
    expect(envelope(timeout).message).toBe('--timeout: Expected an integer but received: soon');
    const noFile = await caphone(['phone', 'bulk-edit', '--json'], { env: env() });
    expect(noFile.code).toBe(2);
    expect(envelope(noFile).message).toBe('Missing 1 required arg: file (CSV file with a header row.)');
    const unknown = await caphone(['phone', 'frobnicate', '--number', '1', '--json'], { env: env() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('');
    expect(envelope(unknown)).toMatchObject({ outcome: 'validation_error', message: 'command "phone frobnicate" not found', request: null });
    expect(envelope(unknown).result.available).toContain('phone edit');
    const bare = await caphone(['--json'], { env: env() });
    expect(bare.code).toBe(2);
    expect(envelope(bare)).toMatchObject({ outcome: 'validation_error', message: 'a command is needed before --json' });
    expect(envelope(bare).result.available).toEqual(expect.arrayContaining(['phone', 'sandbox', 'config']));
    const human = await caphone(['frobnicate'], { env: env() });
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/command "frobnicate" not found/);
    expect(human.stderr).toMatch(/Next: the commands are: .*phone.*sandbox/);
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('someone who passes the key as a flag is told where it goes, and the key is not echoed', async () => {
    for (const args of [['--api-key', CANARY], [`--api-key=${CANARY}`], [`--apikey=${CANARY}`], ['--token', CANARY, '--json']]) {
      const run = await caphone(['phone', 'get', '--number', '+919876543210', ...args], { env: cleanEnv(scratch.path, { CLOUDAGENT_BASE_URL: sim.url, CLOUDAGENT_USERNAME: USER }) });
      expect(run.code).toBe(2);
      if (args.includes('--json')) {
        expect(envelope(run).message).toMatch(/^Nonexistent flag: --token/);
      } else {
        expect(run.stderr).toMatch(/Nonexistent flag: --api-?key/);
        expect(run.stderr).toMatch(/Next: the API key is never a flag.*CLOUDAGENT_API_KEY.*--api-key-stdin/);
      }
      expect(run.stdout + run.stderr).not.toContain(CANARY);
    }
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('--api v1 sends the legacy GET and warns on stderr that v1 is deprecated', async () => {
    const run = await caphone(['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-name', 'Legacy', '--api', 'v1', '--json'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Warning: v1 .* deprecated/);
    const doc = envelope(run);
    expect(doc.warnings.join(' ')).toMatch(/deprecated/);
    expect(sim.control.calls()[0]).toMatchObject({ version: 'v1', method: 'GET', action: 'edit' });
    expect(doc.request!.url).toContain('apiKey=[REDACTED]');
  });
});

describe('phone create, delete, get', () => {
  it('creates with skills, gets by number and by name, deletes', async () => {
    const created = await caphone(['phone', 'create', '--number', '+14155550100', '--name', 'US_Line', '--skill', 'General'], { env: env() });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created +14155550100 (US_Line) with skills General');

    const byNumber = await caphone(['phone', 'get', '--number', '+14155550100', '--json'], { env: env() });
    expect(byNumber.code).toBe(0);
    expect(envelope(byNumber).result.record).toEqual({ phoneNumber: '+14155550100', phoneName: 'US_Line' });
    // v2 get is a GET with a JSON body, sent by the keep-alive transport (HTTP/1.1 over node:net).
    const getCall = sim.control.calls().at(-1)!;
    expect(getCall).toMatchObject({ method: 'GET', action: 'get', version: 'v2' });
    expect(getCall.params).toMatchObject({ phoneNumber: '+14155550100' });

    const byName = await caphone(['phone', 'get', '--name', 'us_line'], { env: env() });
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain('phoneNumber  +14155550100');

    const deleted = await caphone(['phone', 'delete', '--number', '+14155550100', '--name', 'US_Line'], { env: env() });
    expect(deleted.code).toBe(0);
    expect(sim.control.records().map((r) => r.phoneNumber)).not.toContain('+14155550100');
  });

  it('a number that does not exist exits 10 with its own hint; a wrong current name says it does not match', async () => {
    const missing = await caphone(['phone', 'get', '--number', '+919999999999', '--json'], { env: env() });
    expect(missing.code, missing.stderr).toBe(10);
    expect(JSON.parse(missing.stdout)).toMatchObject({ outcome: 'not_found', result: { nextStep: 'not_found' } });
    const del = await caphone(['phone', 'delete', '--number', '+919999999999', '--name', 'Nobody'], { env: env() });
    expect(del.code).toBe(10);
    expect(del.stderr).toMatch(/no such number/);
    const seeded = JSON.parse((await caphone(['phone', 'create', '--number', '+919811111111', '--name', 'RealName', '--json'], { env: env() })).stdout);
    expect(seeded.outcome).toBe('success');
    const wrong = await caphone(['phone', 'edit', '--number', '+919811111111', '--name', 'WrongName', '--new-name', 'Other'], { env: env() });
    expect(wrong.code, wrong.stderr).toBe(10);
    expect(wrong.stderr).toMatch(/does not match/);
    expect(wrong.stderr).not.toMatch(/already taken/);
  });

  it('get needs --number or --name, and v2', async () => {
    const none = await caphone(['phone', 'get'], { env: env() });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--number or --name/);
    const v1 = await caphone(['phone', 'get', '--number', '+919876543210', '--api', 'v1'], { env: env() });
    expect(v1.code).toBe(2);
    expect(v1.stderr).toMatch(/v1 .*has no get action/);
    // What to do next names where v1 came from, and that the same key works on v2.
    expect(v1.stderr).toMatch(/Next: drop --api v1: the same user name and API key work on v2/);
    const fromEnv = await caphone(['phone', 'get', '--number', '+919876543210'], { env: { ...env(), CLOUDAGENT_API_VERSION: 'v1' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toMatch(/Next: pass --api v2 \(CLOUDAGENT_API_VERSION is v1\)/);
    expect(fromEnv.stderr).not.toMatch(/drop --api v1/);
    expect(sim.control.calls()).toHaveLength(0);
  });
});

describe('where the target and the key come from', () => {
  it('reads the key from the first line of stdin with --api-key-stdin', async () => {
    const e = cleanEnv(scratch.path, { CLOUDAGENT_BASE_URL: sim.url, CLOUDAGENT_USERNAME: USER });
    const run = await caphone(['phone', 'get', '--number', '+919876543210', '--api-key-stdin'], { env: e, input: `${CANARY}\nignored second line\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('phoneName    Sales');
    const empty = await caphone(['phone', 'get', '--number', '+919876543210', '--api-key-stdin'], { env: e, input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/stdin had no key/);
  });

  it('asks for the user name and the key by their variable names when they are missing', async () => {
    const noUser = await caphone(['phone', 'get', '--number', '+919876543210'], { env: cleanEnv(scratch.path, { CLOUDAGENT_BASE_URL: sim.url, CLOUDAGENT_API_KEY: CANARY }) });
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain('CLOUDAGENT_USERNAME');
    const noKey = await caphone(['phone', 'get', '--number', '+919876543210'], { env: cleanEnv(scratch.path, { CLOUDAGENT_BASE_URL: sim.url, CLOUDAGENT_USERNAME: USER }) });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('CLOUDAGENT_API_KEY');
    expect(noKey.stderr).toContain('--api-key-stdin');
  });

  it('has no flag that takes the key', async () => {
    const run = await caphone(['phone', 'get', '--number', '+919876543210', '--api-key', CANARY], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Nonexistent flag/);
  });

  it('--region picks the documented hosts; --base-url wins over the environment', async () => {
    const intl = await caphone(['phone', 'get', '--number', '1234', '--region', 'international', '--dry-run', '--json'], { env: env() });
    expect(envelope(intl).request!.url).toBe('https://api.ccaas.ozonetel.com/ca_apis/PhoneManageV2');
    const flag = await caphone(['phone', 'get', '--number', '1234', '--base-url', 'https://partner.example.com/', '--dry-run', '--json'], { env: env() });
    expect(envelope(flag).request!.url).toBe('https://partner.example.com/ca_apis/PhoneManageV2');
    const both = await caphone(['phone', 'get', '--number', '1234', '--base-url', 'https://a.example.com', '--region', 'domestic'], { env: env() });
    expect(both.code).toBe(2);
  });

  it('refuses a base URL over plain http to another host (the key would travel in clear), or one with credentials', async () => {
    const run = await caphone(['phone', 'get', '--number', '1234', '--base-url', 'http://cloudagent.example.com', '--dry-run'], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--base-url must use https/);
    const creds = await caphone(['phone', 'get', '--number', '1234', '--base-url', 'https://user:CANARY-pw@cloudagent.example.com', '--dry-run'], { env: env() });
    expect(creds.code).toBe(2);
    expect(creds.stderr).toMatch(/without credentials/);
    expect(creds.stdout + creds.stderr).not.toContain('CANARY-pw');
  });
});
