// `caphone phone ...` through a cloudagent-phone edge: the same output, exit codes and --json as
// calling CloudAgent directly, with a team token and no API key. The edge is its Node entry as a
// process (apps/edge, built), in front of its own simulator; the direct runs use a twin simulator
// with the same records, so each command can be run both ways and the answers compared.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, caphone, cleanEnv, envelope, scratchDir, SEED, simulatorEnv, USER, withSimulator, type Run } from './helpers.js';

const TEAM_TOKEN = 'CANARY-TEAM-TOKEN-5b7e1c9d3a';
const EDGE_ENTRY = join(dirname(createRequire(import.meta.url).resolve('@cloudagent-phone/edge/package.json')), 'dist', 'main.js');

const scratch = scratchDir();
let direct: RunningSimulator;
let behindEdge: RunningSimulator;
let edge: ChildProcess;
let edgeUrl: string;

beforeAll(async () => {
  direct = await withSimulator({ records: SEED });
  behindEdge = await withSimulator({ records: SEED });
  edge = spawn(process.execPath, [EDGE_ENTRY], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      CLOUDAGENT_BASE_URL: behindEdge.url,
      CLOUDAGENT_ACCOUNTS: JSON.stringify({ [USER]: { apiKey: CANARY } }),
      TEAMS: JSON.stringify([{ name: 'cli-team', tokenSha256: createHash('sha256').update(TEAM_TOKEN).digest('hex'), userNames: [USER] }]),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  edgeUrl = await new Promise((resolve, reject) => {
    edge.once('exit', (code) => reject(new Error(`the edge exited with ${code}`)));
    createInterface({ input: edge.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening') resolve(entry.url!);
    });
  });
});

afterAll(async () => {
  edge?.kill();
  await Promise.all([direct?.close(), behindEdge?.close()]);
  scratch.cleanup();
});

const directEnv = () => cleanEnv(scratch.path, simulatorEnv(direct));
const edgeEnv = (extra: Record<string, string> = {}) => cleanEnv(scratch.path, { CAPHONE_EDGE_URL: edgeUrl, CAPHONE_EDGE_TOKEN: TEAM_TOKEN, CLOUDAGENT_USERNAME: USER, ...extra });

/** What must be the same whichever way a command went. */
function comparable(run: Run) {
  const doc = envelope(run);
  return { code: run.code, outcome: doc.outcome, message: doc.message, operation: doc.result?.operation, record: doc.result?.record ?? null, ambiguous: doc.result?.ambiguous, retryable: doc.result?.retryable };
}

function noSecrets(...runs: Run[]) {
  for (const run of runs) {
    expect(run.stdout + run.stderr).not.toContain(TEAM_TOKEN);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
  }
}

describe('caphone phone through an edge', () => {
  const steps: [string, string[]][] = [
    ['create with skills', ['phone', 'create', '--number', '+14155550100', '--name', 'US_Line', '--skill', 'General']],
    ['edit: rename and assign', ['phone', 'edit', '--number', '+14155550100', '--name', 'US_Line', '--new-name', 'US_Desk', '--assign-skill', 'Sales']],
    ['get by number', ['phone', 'get', '--number', '+14155550100']],
    ['get by name, in another case', ['phone', 'get', '--name', 'us_desk']],
    ['get by a name no number has', ['phone', 'get', '--name', 'No_Such_Line']],
    ['create a number that exists', ['phone', 'create', '--number', SEED[0]!.phoneNumber, '--name', 'Copy']],
    ['delete', ['phone', 'delete', '--number', '+14155550100', '--name', 'US_Desk']],
  ];

  it.each(steps)('%s: the same exit code and --json as direct, and the same records after', async (_label, args) => {
    const [viaDirect, viaEdge] = [await caphone([...args, '--json'], { env: directEnv() }), await caphone([...args, '--json'], { env: edgeEnv() })];
    expect(comparable(viaEdge)).toEqual(comparable(viaDirect));
    noSecrets(viaDirect, viaEdge);
    expect(behindEdge.control.records()).toEqual(direct.control.records());
  });

  it('the human output is the same as direct', async () => {
    const args = ['phone', 'create', '--number', '+14155550101', '--name', 'Text_Line', '--skill', 'NoSuchSkill'];
    const [viaDirect, viaEdge] = [await caphone(args, { env: directEnv() }), await caphone(args, { env: edgeEnv() })];
    expect(viaEdge.code).toBe(6);
    expect(viaEdge.code).toBe(viaDirect.code);
    expect(viaEdge.stdout).toBe(viaDirect.stdout);
    noSecrets(viaDirect, viaEdge);
  });

  it('needs no API key, and sends the mutation with an Idempotency-Key', async () => {
    const before = behindEdge.control.calls().length;
    const run = await caphone(['phone', 'edit', '--number', SEED[1]!.phoneNumber, '--name', SEED[1]!.phoneName, '--new-name', 'Helpdesk', '--json', '--verbose'], { env: edgeEnv() });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`> PATCH ${edgeUrl}/phone-numbers/%2B919800000001`);
    expect(behindEdge.control.calls().length).toBe(before + 1);
    noSecrets(run);
  });

  it('--dry-run shows the edge request with the token redacted and sends nothing', async () => {
    const before = behindEdge.control.calls().length;
    const run = await caphone(['phone', 'delete', '--number', SEED[0]!.phoneNumber, '--name', SEED[0]!.phoneName, '--dry-run', '--json'], { env: edgeEnv() });
    expect(run.code).toBe(0);
    const doc = envelope(run);
    expect(doc.request).toMatchObject({ method: 'DELETE', url: `${edgeUrl}/phone-numbers/%2B919876543210` });
    expect(JSON.parse(doc.request!.body!)).toEqual({ userName: USER, phoneName: SEED[0]!.phoneName });
    expect(doc.request!.headers['idempotency-key']).toBeTruthy();
    expect(behindEdge.control.calls().length).toBe(before);
    noSecrets(run);
  });

  it('get by name: the same human output as direct, through GET /phone-numbers?phoneName=', async () => {
    const args = ['phone', 'get', '--name', SEED[0]!.phoneName.toLowerCase()];
    const [viaDirect, viaEdge] = [await caphone(args, { env: directEnv() }), await caphone([...args, '--verbose'], { env: edgeEnv() })];
    expect(viaEdge.code).toBe(0);
    expect(viaEdge.stdout).toBe(viaDirect.stdout);
    expect(viaEdge.stdout).toContain(SEED[0]!.phoneNumber);
    expect(viaEdge.stderr).toContain(`> GET ${edgeUrl}/phone-numbers?userName=${USER}&phoneName=${encodeURIComponent(SEED[0]!.phoneName.toLowerCase())}`);
    const dry = await caphone([...args, '--dry-run', '--json'], { env: edgeEnv() });
    expect(envelope(dry).request).toMatchObject({ method: 'GET', url: `${edgeUrl}/phone-numbers?userName=${USER}&phoneName=${encodeURIComponent(SEED[0]!.phoneName.toLowerCase())}` });
    // A name no number has: exit 10 and the same words on both streams.
    const missing = ['phone', 'get', '--name', 'No_Such_Line'];
    const [missingDirect, missingEdge] = [await caphone(missing, { env: directEnv() }), await caphone(missing, { env: edgeEnv() })];
    expect(missingEdge.code).toBe(10);
    expect([missingEdge.code, missingEdge.stdout, missingEdge.stderr]).toEqual([missingDirect.code, missingDirect.stdout, missingDirect.stderr]);
    noSecrets(viaDirect, viaEdge, dry, missingDirect, missingEdge);
  });

  it('a wrong team token is exit 3 with what to check; --api v1 is a usage error', async () => {
    const refused = await caphone(['phone', 'get', '--number', SEED[0]!.phoneNumber], { env: edgeEnv({ CAPHONE_EDGE_TOKEN: 'not-the-team-token' }) });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/team token is not recognised/);
    expect(refused.stderr).toMatch(/CAPHONE_EDGE_TOKEN/);
    const v1 = await caphone(['phone', 'get', '--number', SEED[0]!.phoneNumber, '--api', 'v1'], { env: edgeEnv() });
    expect(v1.code).toBe(2);
    const noToken = await caphone(['phone', 'get', '--number', SEED[0]!.phoneNumber], { env: cleanEnv(scratch.path, { CAPHONE_EDGE_URL: edgeUrl, CLOUDAGENT_USERNAME: USER }) });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/CAPHONE_EDGE_TOKEN/);
  });

  it('phone bulk-edit goes through the edge too, row by row', async () => {
    const path = join(scratch.path, 'bulk.csv');
    writeFileSync(path, `phoneNumber,phoneName,phoneNumberNew,phoneNameNew,assignSkill,unAssignSkill\n${SEED[0]!.phoneNumber},${SEED[0]!.phoneName},,Sales_Team,,\n${SEED[0]!.phoneNumber},Nope,,Other,,\n`);
    const before = direct.control.calls().length;
    const run = await caphone(['phone', 'bulk-edit', path, '--json', '--rate', '0', '--journal', join(scratch.path, 'bulk.jsonl'), '--report', join(scratch.path, 'bulk.report.csv')], { env: edgeEnv() });
    const doc = envelope(run);
    expect(doc.result.counts).toMatchObject({ rows: 2, sent: 2, applied: 1 });
    expect(behindEdge.control.records().find((r) => r.phoneNumber === SEED[0]!.phoneNumber)?.phoneName).toBe('Sales_Team');
    expect(direct.control.calls().length).toBe(before);
    noSecrets(run);
  });

  it('a profile can name the edge and keep the team token (0600), never shown', async () => {
    const env = cleanEnv(scratch.path);
    const set = await caphone(['config', 'set', '--profile', 'team', '--edge-url', edgeUrl, '--user', USER, '--edge-token-stdin', '--json'], { env, input: `${TEAM_TOKEN}\n` });
    expect(set.code).toBe(0);
    expect(envelope(set).result.settings).toMatchObject({ edgeUrl, edgeTokenStatus: 'stored' });
    const show = await caphone(['config', 'show', '--profile', 'team', '--json'], { env });
    expect(envelope(show).result.edge).toMatchObject({ url: edgeUrl, tokenStatus: 'set', sources: { url: 'profile', tokenFrom: 'profile' } });
    const run = await caphone(['phone', 'get', '--number', SEED[0]!.phoneNumber, '--profile', 'team', '--json'], { env });
    expect(run.code).toBe(0);
    const held = behindEdge.control.records().find((r) => r.phoneNumber === SEED[0]!.phoneNumber)!;
    expect(envelope(run).result.record).toEqual({ phoneNumber: held.phoneNumber, phoneName: held.phoneName });
    noSecrets(set, show, run);
  });
});
