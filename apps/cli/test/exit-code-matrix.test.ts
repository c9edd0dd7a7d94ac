import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CANARY, SEED, USER, caphone, cleanEnv, envelope, scratchDir, simulatorEnv, withSimulator } from './helpers.js';

// Every exit code, produced by the real binary in a child process (the most honest view of both
// the code and stdout's purity), each with its JSON envelope.
let sim: RunningSimulator;
let full: RunningSimulator;
const scratch = scratchDir();
const env = (s = sim, extra: Record<string, string> = {}) => cleanEnv(scratch.path, { ...simulatorEnv(s), ...extra });

beforeAll(async () => {
  sim = await withSimulator({ records: SEED, skills: ['General'] });
  full = await withSimulator({ records: SEED, phoneNumberLimit: 2 });
});
afterAll(async () => {
  await Promise.all([sim.close(), full.close()]);
  scratch.cleanup();
});
beforeEach(() => sim.control.reset(SEED));

async function expectExit(args: string[], e: NodeJS.ProcessEnv, code: number, outcome: string) {
  const run = await caphone([...args, '--json'], { env: e });
  expect(run.code, run.stderr).toBe(code);
  const doc = envelope(run);
  expect(Object.keys(doc)).toEqual(['outcome', 'message', 'result', 'warnings', 'request']);
  expect(doc.outcome).toBe(outcome);
  return doc;
}

const edit = (extra: string[]) => ['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', ...extra];

describe('exit codes', () => {
  it('0: success', async () => {
    await expectExit(edit(['--new-name', 'Fine']), env(), 0, 'success');
  });

  it('1: an unexpected internal error (the config directory is a file)', async () => {
    const notADir = join(scratch.path, 'plain-file');
    writeFileSync(notADir, 'x');
    const doc = await expectExit(edit(['--new-name', 'Fine']), env(sim, { CAPHONE_CONFIG_DIR: notADir }), 1, 'unknown');
    expect(doc.message).toMatch(/^internal error: .*ENOTDIR/);
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('2: invalid input, nothing sent', async () => {
    const doc = await expectExit(edit(['--new-name', '_bad_']), env(), 2, 'validation_error');
    expect(doc.result.issues[0]).toMatchObject({ flag: '--new-name', rule: 'phone-name-ends' });
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('3: authentication rejected', async () => {
    const doc = await expectExit(edit(['--new-name', 'Fine']), env(sim, { CLOUDAGENT_API_KEY: 'CANARY-KEY-wrong-0002' }), 3, 'auth_error');
    expect(doc.message).toMatch(/userName or apiKey not valid/);
  });

  it('4: conflict (the new number exists)', async () => {
    await expectExit(edit(['--new-number', '+919800000001']), env(), 4, 'conflict');
    expect(sim.control.records()).toContainEqual(expect.objectContaining({ phoneNumber: '+919876543210', phoneName: 'Sales' }));
  });

  it("5: another rejection (the account's phone-number limit)", async () => {
    const doc = await expectExit(['phone', 'create', '--number', '+14155550199', '--name', 'OneTooMany'], env(full), 5, 'limit_exceeded');
    expect(doc.message).toMatch(/Phone Number Limit Exceeded/);
  });

  it('6: partial success (changed, skills not applied)', async () => {
    const doc = await expectExit(edit(['--new-name', 'Partly', '--assign-skill', 'NoSuchSkill']), env(), 6, 'partial_success');
    expect(doc.message).toMatch(/failed to insert skills/);
    expect(sim.control.records()).toContainEqual(expect.objectContaining({ phoneName: 'Partly' }));
  });

  it('7: transient, safe to retry: rate-limited on every attempt, nothing applied', async () => {
    sim.control.setFaults({ queue: [{ kind: 'rate-limit', retryAfterSeconds: 0 }, { kind: 'rate-limit', retryAfterSeconds: 0 }, { kind: 'rate-limit', retryAfterSeconds: 0 }], actions: ['edit'] });
    const doc = await expectExit(edit(['--new-name', 'Later']), env(), 7, 'rate_limited');
    expect(doc.result.attempts).toBe(3);
    expect(sim.control.applyCount()).toBe(0);
  });

  it('7: transient, safe to retry: nothing listening (connection refused)', async () => {
    const closed = await withSimulator();
    const url = closed.url;
    await closed.close();
    const doc = await expectExit(edit(['--new-name', 'Later']), env(sim, { CLOUDAGENT_BASE_URL: url }), 7, 'server_error');
    // Tried, retried, and never left: not sent, not applied.
    expect(doc.result).toMatchObject({ sent: false, applied: 'no', attempts: 3 });
  });

  it('7: transient, safe to retry: a read that gets no answer within --timeout', async () => {
    sim.control.setFaults({ queue: [{ kind: 'latency', ms: 4000 }, { kind: 'latency', ms: 4000 }, { kind: 'latency', ms: 4000 }], actions: ['get'] });
    const doc = await expectExit(['phone', 'get', '--number', '+919876543210', '--timeout', '1'], env(), 7, 'server_error');
    expect(doc.result.response.cause).toBe('timeout');
    expect(doc.result.attempts).toBe(3);
  });

  it('8: outcome unknown (connection dropped after applying a skills-only edit, which a read-back cannot see)', async () => {
    sim.control.setFaults({ queue: [{ kind: 'drop-after' }], actions: ['edit'] });
    const doc = await expectExit(edit(['--assign-skill', 'General']), env(), 8, 'unknown');
    expect(doc.result).toMatchObject({ applied: 'unknown', nextStep: 'look_up_first', sent: true, attempts: 1 });
    expect(sim.control.applyCount()).toBe(1);
    // Never re-sent: one edit call, whatever the read-back did.
    expect(sim.control.calls().filter((c) => c.action === 'edit')).toHaveLength(1);
  });

  it('an ambiguous drop on a rename is settled by reading back, not by sending again', async () => {
    sim.control.setFaults({ queue: [{ kind: 'drop-after' }], actions: ['edit'] });
    const doc = await expectExit(edit(['--new-number', '+919811111111', '--new-name', 'Moved']), env(), 0, 'success');
    expect(doc.result.readBack).toMatchObject({ verdict: 'applied' });
    expect(sim.control.calls().filter((c) => c.action === 'edit')).toHaveLength(1);
    expect(sim.control.applyCount()).toBe(1);
  });
});

describe('human mode', () => {
  it('prints the failure and the next step on stderr, nothing on stdout', async () => {
    const run = await caphone(edit(['--new-number', '+919800000001']), { env: env() });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Error (conflict, exit 4): phone_name or phone_number already exist');
    expect(run.stderr).toMatch(/Next: .*caphone phone get --number \+919800000001/);
  });

  it('a partial success does not claim the skills on stdout, and says how to apply them', async () => {
    const edited = await caphone(edit(['--new-name', 'Partly', '--assign-skill', 'NoSuchSkill']), { env: env() });
    expect(edited.code).toBe(6);
    expect(edited.stdout).toBe('Edited +919876543210 (Sales): name → Partly\nSkills were NOT applied: record inserted successfully and failed to insert skills please pass the valid skills\n');
    expect(edited.stderr).toMatch(/Next: the number was changed but no skill was applied: .*caphone phone edit --number \+919876543210 --name Partly with only the --assign-skill/);
    const created = await caphone(['phone', 'create', '--number', '+14155550123', '--name', 'Fresh', '--skill', 'General,NoSuchSkill'], { env: env() });
    expect(created.code).toBe(6);
    expect(created.stdout).not.toContain('with skills');
    expect(created.stdout).toMatch(/^Created \+14155550123 \(Fresh\)\nSkills were NOT applied/);
    expect(created.stderr).toMatch(/Next: the number was created but no skill was applied: .*caphone phone edit --number \+14155550123 --name Fresh with --assign-skill/);
  });
});

it('the key in these runs is the canary', () => {
  expect(CANARY).toMatch(/^CANARY-KEY-/);
  expect(USER).toBe('canary_user');
});
