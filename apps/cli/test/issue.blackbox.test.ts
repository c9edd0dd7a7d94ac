// Black-box tests written from issue 4 only: the built `caphone` binary in a child process against
// the simulator, one check per flag, environment variable, exit code and promise of the issue.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CANARY, SEED, caphone, cleanEnv, scratchDir, simulatorEnv, withSimulator } from './helpers.js';

let sim: RunningSimulator;
const scratch = scratchDir('caphone-blackbox-');
const env = (extra: Record<string, string | undefined> = {}) => cleanEnv(scratch.path, { ...simulatorEnv(sim), ...extra });
const outputs: string[] = [];

async function run(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const r = await caphone(args, { env: options.env ?? env(), ...(options.input !== undefined ? { input: options.input } : {}) });
  outputs.push(r.stdout, r.stderr);
  return r;
}
function json(r: { stdout: string }) {
  return JSON.parse(r.stdout) as Record<string, any>;
}

beforeAll(async () => {
  sim = await withSimulator({ records: SEED, skills: ['General', 'QA_Skill'] });
});
afterAll(async () => {
  await sim.close();
  scratch.cleanup();
});
beforeEach(() => sim.control.reset(SEED));

const edit = ['phone', 'edit', '--number', '+919876543210', '--name', 'Sales'];

describe('issue 4: the JSON envelope and shared flags', () => {
  it('--json prints exactly one document with outcome, message, result, warnings, request', async () => {
    const r = await run([...edit, '--new-name', 'Sales_North', '--json']);
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(Object.keys(doc).sort()).toEqual(['message', 'outcome', 'request', 'result', 'warnings']);
    expect(doc.outcome).toBe('success');
    expect(Array.isArray(doc.warnings)).toBe(true);
    expect(JSON.stringify(doc.request)).not.toContain(CANARY);
    expect(r.stdout.trim().split('\n').length === 1 || JSON.stringify(JSON.parse(r.stdout), null, 2).trim() === r.stdout.trim()).toBe(true);
  });

  it('--dry-run sends nothing and prints the request with the key redacted', async () => {
    const r = await run([...edit, '--new-name', 'Dry', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('/ca_apis/PhoneManageV2');
    expect(r.stdout).toContain('Dry');
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('--api v1 works and prints a deprecation warning on stderr; v2 is the default', async () => {
    const v1 = await run([...edit, '--new-name', 'Old_Way', '--api', 'v1']);
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.stderr.toLowerCase()).toContain('deprecat');
    expect(sim.control.calls().map((c) => c.version)).toEqual(['v1']);
    const v1json = await run(['phone', 'edit', '--number', '+919876543210', '--name', 'Old_Way', '--new-name', 'Old_Way2', '--api', 'v1', '--json']);
    expect(v1json.code).toBe(0);
    expect(json(v1json).warnings.join(' ').toLowerCase()).toContain('deprecat');
    expect(v1json.stderr.toLowerCase()).toContain('deprecat');
    sim.control.reset(SEED);
    const v2 = await run([...edit, '--new-name', 'New_Way']);
    expect(v2.code).toBe(0);
    expect(v2.stderr.toLowerCase()).not.toContain('deprecat');
    expect(sim.control.calls().map((c) => c.version)).toEqual(['v2']);
  });

  it('--api-key-stdin reads the key from stdin; the key is not a plain flag', async () => {
    const r = await run([...edit, '--new-name', 'Piped', '--api-key-stdin'], { env: env({ CLOUDAGENT_API_KEY: undefined }), input: `${CANARY}\n` });
    expect(r.code, r.stderr).toBe(0);
    const flag = await run([...edit, '--new-name', 'Flagged', '--api-key', CANARY], { env: env({ CLOUDAGENT_API_KEY: undefined }) });
    expect(flag.code).toBe(2);
    expect(sim.control.calls()).toHaveLength(1);
  });

  it('--region international targets the international host', async () => {
    const r = await run([...edit, '--new-name', 'Abroad', '--dry-run', '--region', 'international'], { env: env({ CLOUDAGENT_BASE_URL: undefined }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('https://api.ccaas.ozonetel.com/ca_apis/PhoneManageV2');
  });

  it('no key anywhere under --verbose and DEBUG=*', async () => {
    const r = await run([...edit, '--new-name', 'Loud', '--verbose'], { env: env({ DEBUG: '*' }) });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    expect(r.stderr).toContain('PhoneManageV2');
  });
});

describe('issue 4: invalid input exits 2 naming the flag, nothing sent', () => {
  const cases: [string, string[], string][] = [
    ['a non-numeric number', ['phone', 'edit', '--number', 'abc', '--name', 'Sales', '--new-name', 'X1'], '--number'],
    ['a bad new name', [...edit, '--new-name', '-bad-'], '--new-name'],
    ['a too short new number', [...edit, '--new-number', '12'], '--new-number'],
    ['a bad create name', ['phone', 'create', '--number', '+14155550100', '--name', 'x'], '--name'],
    ['an unknown --api', [...edit, '--new-name', 'Y1', '--api', 'v3'], '--api'],
  ];
  for (const [label, args, flag] of cases) {
    it(label, async () => {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(flag);
      const j = await run([...args, '--json']);
      expect(j.code).toBe(2);
      expect(json(j).outcome).toBe('validation_error');
      expect(j.stdout).toContain(flag);
      expect(sim.control.calls()).toHaveLength(0);
    });
  }

  it('no credentials: exit 2 (or 3), nothing sent, says what to set', async () => {
    const r = await run([...edit, '--new-name', 'NoKey'], { env: env({ CLOUDAGENT_API_KEY: undefined }) });
    expect([2, 3]).toContain(r.code);
    expect(r.stderr).toContain('CLOUDAGENT_API_KEY');
    expect(sim.control.calls()).toHaveLength(0);
  });
});

describe('issue 4: exit codes per outcome', () => {
  it('0 create/get/delete; 4 conflict; 3 auth; 6 partial; 7 rate-limited; 5 limit', async () => {
    const created = await run(['phone', 'create', '--number', '+14155550101', '--name', 'Fresh', '--skill', 'General']);
    expect(created.code, created.stderr).toBe(0);
    const got = await run(['phone', 'get', '--number', '+14155550101', '--json']);
    expect(got.code).toBe(0);
    expect(JSON.stringify(json(got).result)).toContain('Fresh');
    const byName = await run(['phone', 'get', '--name', 'Fresh', '--json']);
    expect(byName.code).toBe(0);
    expect(JSON.stringify(json(byName).result)).toContain('+14155550101');
    const deleted = await run(['phone', 'delete', '--number', '+14155550101', '--name', 'Fresh']);
    expect(deleted.code).toBe(0);
    expect(sim.control.records().map((r) => r.phoneNumber)).not.toContain('+14155550101');

    expect((await run(['phone', 'create', '--number', '+919876543210', '--name', 'Again'])).code).toBe(4);
    expect((await run([...edit, '--new-name', 'Nope'], { env: env({ CLOUDAGENT_API_KEY: 'CANARY-KEY-wrong-1' }) })).code).toBe(3);
    const partial = await run([...edit, '--assign-skill', 'NoSuchSkill', '--json']);
    expect(partial.code).toBe(6);
    expect(json(partial).outcome).toBe('partial_success');
    expect(json(partial).warnings.length + String(json(partial).message).length).toBeGreaterThan(0);

    sim.control.reset(SEED);
    sim.control.setFaults({ queue: Array.from({ length: 5 }, () => ({ kind: 'rate-limit' as const, retryAfterSeconds: 0 })) });
    const limited = await run([...edit, '--new-name', 'Later', '--json']);
    expect(limited.code).toBe(7);
    expect(sim.control.applyCount()).toBe(0);
  });

  it('5 when the account is full', async () => {
    const full = await withSimulator({ records: SEED, phoneNumberLimit: 2 });
    try {
      const r = await run(['phone', 'create', '--number', '+14155550102', '--name', 'Full'], { env: cleanEnv(scratch.path, simulatorEnv(full)) });
      expect(r.code).toBe(5);
    } finally {
      await full.close();
    }
  });

  it('8 when a change may or may not have been applied, and it is sent once', async () => {
    sim.control.setFaults({ queue: [{ kind: 'server-error', afterApplying: true }], actions: ['edit'] });
    const r = await run([...edit, '--assign-skill', 'General', '--json']);
    expect(r.code).toBe(8);
    expect(json(r).result.applied).toBe('unknown');
    expect(sim.control.calls().filter((c) => c.action === 'edit')).toHaveLength(1);
  });

  it('--help documents the exit-code table', async () => {
    const r = await run(['phone', 'edit', '--help']);
    expect(r.code).toBe(0);
    for (const code of ['0', '1', '2', '3', '4', '5', '6', '7', '8']) expect(r.stdout).toMatch(new RegExp(`\\b${code}\\b`));
    for (const flag of ['--number', '--name', '--new-number', '--new-name', '--assign-skill', '--unassign-skill', '--json', '--dry-run', '--verbose', '--api']) expect(r.stdout).toContain(flag);
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('phone');
  });
});

describe('issue 4: bulk-edit', () => {
  it('edits every valid row once, skips invalid ones, writes a per-row report', async () => {
    const file = join(scratch.path, 'edits.csv');
    writeFileSync(
      file,
      ['phoneNumber,phoneName,phoneNumberNew,phoneNameNew,assignSkill,unAssignSkill', '+919876543210,Sales,,Sales_Bulk,General,', 'abc,Broken,,X,,', '+919800000001,Support,+919800000009,,,'].join('\n') + '\n',
    );
    const r = await run(['phone', 'bulk-edit', file, '--json']);
    expect(r.code).toBe(2);
    const doc = json(r);
    expect(doc).toHaveProperty('outcome');
    expect(sim.control.calls().filter((c) => c.action === 'edit')).toHaveLength(2);
    expect(sim.control.records()).toContainEqual(expect.objectContaining({ phoneNumber: '+919876543210', phoneName: 'Sales_Bulk' }));
    expect(sim.control.records()).toContainEqual(expect.objectContaining({ phoneNumber: '+919800000009', phoneName: 'Support' }));
    const report = readFileSync(join(scratch.path, 'edits.report.csv'), 'utf8').trim().split('\n');
    expect(report).toHaveLength(4);
    expect(report.find((l) => l.includes('Broken'))).toMatch(/invalid|validation/);
    expect(report.filter((l) => l.includes(',success,'))).toHaveLength(2);
    const again = await run(['phone', 'bulk-edit', file, '--json']);
    expect(sim.control.calls().filter((c) => c.action === 'edit')).toHaveLength(2);
    expect([0, 2]).toContain(again.code);
  });
});

describe('issue 4: secrets', () => {
  it('the canary key appears in no output of this file', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const text of outputs) expect(text).not.toContain(CANARY);
  });
});
