// `caphone phone bulk-edit --remote` and `caphone jobs ...` against a real edge: the edge's built
// Node entry as a process with EDGE_DATA_DIR (bulk jobs in process), in front of a simulator in this
// process. A twin simulator with the same records takes the same file as a local run, so the two
// summaries and exit codes can be compared.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createEdgeClient } from '@cloudagent-phone/edge-client';
import type { RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, caphone, cleanEnv, envelope, scratchDir, simulatorEnv, USER, withSimulator, type Run } from './helpers.js';

const TEAM_TOKEN = 'CANARY-TEAM-TOKEN-jobs-9d3a5b7e1c';
const EDGE_ENTRY = join(dirname(createRequire(import.meta.url).resolve('@cloudagent-phone/edge/package.json')), 'dist', 'main.js');

const num = (i: number) => `+9170${String(i).padStart(8, '0')}`;
const SEED = Array.from({ length: 200 }, (_, i) => ({ phoneNumber: num(i), phoneName: `Line${i}` }));

const scratch = scratchDir('caphone-jobs-');
const runs: Run[] = [];
let behindEdge: RunningSimulator;
let direct: RunningSimulator;
let edge: ChildProcess;
let edgeUrl: string;

beforeAll(async () => {
  behindEdge = await withSimulator({ records: SEED, skills: ['General'], phoneNumberLimit: 1000 });
  direct = await withSimulator({ records: SEED, skills: ['General'], phoneNumberLimit: 1000 });
  edge = spawn(process.execPath, [EDGE_ENTRY], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      EDGE_DATA_DIR: join(scratch.path, 'edge-data'),
      BULK_JOB_RATE_PER_MINUTE: '6000',
      CLOUDAGENT_BASE_URL: behindEdge.url,
      CLOUDAGENT_ACCOUNTS: JSON.stringify({ [USER]: { apiKey: CANARY } }),
      TEAMS: JSON.stringify([{ name: 'cli-team', tokenSha256: createHash('sha256').update(TEAM_TOKEN).digest('hex'), userNames: [USER], rateLimitPerMinute: 20_000 }]),
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
  if (edge && edge.exitCode === null) await once(edge, 'exit');
  await Promise.all([behindEdge?.close(), direct?.close()]);
  scratch.cleanup();
});

const edgeEnv = (extra: Record<string, string> = {}) => cleanEnv(scratch.path, { CAPHONE_EDGE_TOKEN: TEAM_TOKEN, CLOUDAGENT_USERNAME: USER, ...extra });
async function run(args: string[], env = edgeEnv()): Promise<Run> {
  const result = await caphone(args, { env, timeoutMs: 90_000 });
  runs.push(result);
  return result;
}

function csvFile(name: string, rows: string[]): string {
  const path = join(scratch.path, name);
  writeFileSync(path, `phoneNumber,phoneName,phoneNumberNew,phoneNameNew,assignSkill,unAssignSkill\n${rows.join('\n')}\n`);
  return path;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('caphone phone bulk-edit --remote', () => {
  it('runs the file as a job on the edge and ends with the summary and exit code a local run gives', async () => {
    // Renames, one skill edit, a wrong current name (not found), a number that is taken (conflict).
    const rows = [
      ...Array.from({ length: 12 }, (_, i) => `${num(i)},Line${i},,Remote_${i},,`),
      `${num(20)},Line20,,,General,`,
      `${num(21)},NotItsName,,Other_21,,`,
      `${num(22)},Line22,${num(23)},,,`,
    ];
    const remoteFile = csvFile('remote.csv', rows);
    const localFile = csvFile('local.csv', rows);
    const remote = await run(['phone', 'bulk-edit', remoteFile, '--remote', edgeUrl, '--json']);
    const local = await run(['phone', 'bulk-edit', localFile, '--json', '--rate', '0'], cleanEnv(scratch.path, simulatorEnv(direct)));

    const [r, l] = [envelope(remote), envelope(local)];
    expect(remote.code, remote.stderr).toBe(local.code);
    expect(remote.code).toBe(10);
    expect(r.message).toBe(l.message);
    expect(r.result.counts).toEqual(l.result.counts);
    expect(r.result.counts).toMatchObject({ rows: 15, applied: 13, failed: 2 });
    expect(r.result).toMatchObject({ journal: null, resumed: false, stopped: null, job: { edge: edgeUrl, state: 'done', total: 15 } });
    // The same records as the local run (in any order: rows run in parallel), every row applied once.
    const byNumber = (sim: RunningSimulator) => [...sim.control.records()].sort((x, y) => x.phoneNumber.localeCompare(y.phoneNumber));
    expect(byNumber(behindEdge)).toEqual(byNumber(direct));
    for (let i = 0; i < 12; i++) expect(behindEdge.control.timesApplied('edit', num(i))).toBe(1);
    expect(remote.stderr).toMatch(new RegExp(`submitted job ${r.result.job.id} \\(15 rows\\)`));

    // The report beside the file: the edge's lines, in input order.
    const report = readFileSync(join(scratch.path, 'remote.report.csv'), 'utf8').trim().split('\n');
    expect(report[0]).toBe('row,userName,action,phoneNumber,outcome,verdict,message,requestId,attempts');
    expect(report.slice(1).map((line) => Number(line.split(',')[0]))).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(report[14]).toMatch(/,not_found,not_applied,/);

    // The same file again follows the same job: nothing is sent again.
    const calls = behindEdge.control.calls().length;
    const again = await run(['phone', 'bulk-edit', remoteFile, '--remote', edgeUrl, '--json']);
    expect(again.code).toBe(10);
    expect(envelope(again).result).toMatchObject({ resumed: true, job: { id: r.result.job.id } });
    expect(envelope(again).message).toBe(l.message);
    expect(behindEdge.control.calls().length).toBe(calls);
    expect(again.stderr).toMatch(/following job .* started earlier from this file/);
  }, 120_000);

  it('human output: the summary, the report and the job on stdout; exit 0 when every row applied', async () => {
    const file = csvFile('human.csv', Array.from({ length: 5 }, (_, i) => `${num(30 + i)},Line${30 + i},,Human_${i},,`));
    const result = await run(['phone', 'bulk-edit', file, '--remote', edgeUrl]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^5 rows: 5 applied, 0 partly applied \(skills not\), 0 failed, 0 invalid \(not sent\), 0 already applied earlier, 0 outcome unknown\n/);
    expect(result.stdout).toMatch(/report: {2}.*human\.report\.csv/);
    expect(result.stdout).toMatch(new RegExp(`job: {5}[0-9a-f-]{36} on ${edgeUrl.replace(/[.]/g, '\\.')}`));
  }, 60_000);

  it('refuses a file with bad rows before anything is sent: exit 2 naming each row and field', async () => {
    const before = behindEdge.control.calls().length;
    const file = csvFile('bad.csv', [`${num(40)},Line40,,Fine_40,,`, `abc,Line41,,X_41,,`, `${num(42)},Line42,,!,,`]);
    const result = await run(['phone', 'bulk-edit', file, '--remote', edgeUrl, '--json']);
    expect(result.code).toBe(2);
    const doc = envelope(result);
    expect(doc.message).toMatch(/2 row\(s\) are invalid; nothing was sent/);
    expect(doc.result.issues.map((i: { field: string }) => i.field)).toEqual(['rows[2].phoneNumber', 'rows[3].phoneNameNew']);
    expect(behindEdge.control.calls().length).toBe(before);
  });

  it('--dry-run shows the submission with the token redacted and sends nothing', async () => {
    const file = csvFile('dry.csv', [`${num(50)},Line50,,Dry_50,,`]);
    const result = await run(['phone', 'bulk-edit', file, '--remote', edgeUrl, '--dry-run', '--json']);
    expect(result.code).toBe(0);
    expect(envelope(result).request).toMatchObject({ method: 'POST', url: `${edgeUrl}/bulk-jobs?userName=${USER}` });
    expect(behindEdge.control.timesApplied('edit', num(50))).toBe(0);
  });

  it('takes the team token (and for caphone jobs the edge) from a profile', async () => {
    const env = cleanEnv(scratch.path, { CAPHONE_CONFIG_DIR: join(scratch.path, 'profile-config') });
    const set = await caphone(['config', 'set', '--profile', 'team', '--edge-url', edgeUrl, '--user', USER, '--edge-token-stdin', '--json'], { env, input: `${TEAM_TOKEN}\n` });
    runs.push(set);
    expect(set.code, set.stderr).toBe(0);
    const file = csvFile('profile.csv', [`${num(70)},Line70,,Profile_70,,`]);
    const submitted = await run(['phone', 'bulk-edit', file, '--remote', edgeUrl, '--profile', 'team', '--json'], env);
    expect(submitted.code, submitted.stderr).toBe(0);
    const id = envelope(submitted).result.job.id;
    const status = await run(['jobs', 'status', id, '--profile', 'team', '--json'], env);
    expect(envelope(status).result).toMatchObject({ edge: edgeUrl, job: { id, state: 'done', counts: { applied: 1 } } });
  }, 60_000);

  it('says what to do when the edge is unreachable, refuses the token, or has no token', async () => {
    const file = csvFile('errors.csv', [`${num(60)},Line60,,Err_60,,`]);
    const unreachable = await run(['phone', 'bulk-edit', file, '--remote', `http://127.0.0.1:${await closedPort()}`, '--timeout', '5']);
    expect(unreachable.code).toBe(7);
    expect(unreachable.stderr).toMatch(/could not be reached/);
    expect(unreachable.stderr).toMatch(/Next: .*run the same command again/);
    const refused = await run(['phone', 'bulk-edit', file, '--remote', edgeUrl], edgeEnv({ CAPHONE_EDGE_TOKEN: 'not-the-team-token' }));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/refused the team token/);
    expect(refused.stderr).toMatch(/CAPHONE_EDGE_TOKEN/);
    const noToken = await run(['phone', 'bulk-edit', file, '--remote', edgeUrl], cleanEnv(scratch.path, { CLOUDAGENT_USERNAME: USER }));
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/no team token/);
    expect(behindEdge.control.timesApplied('edit', num(60))).toBe(0);
  }, 60_000);
});

describe('caphone jobs', () => {
  const client = () => createEdgeClient({ baseUrl: edgeUrl, token: TEAM_TOKEN });
  const jobsEnv = () => edgeEnv({ CAPHONE_EDGE_URL: edgeUrl });

  async function submit(rows: number, from: number): Promise<string> {
    const csv = `phoneNumber,phoneName,assignSkill\n${Array.from({ length: rows }, (_, i) => `${num(from + i)},Line${from + i},General`).join('\n')}\n`;
    const created = await client().createBulkJob({ csv }, { userName: USER });
    if (!created.ok) throw new Error(created.problem.detail);
    return created.data.id;
  }

  async function ended(id: string): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const status = await client().getBulkJob(id);
      if (status.ok && ['done', 'cancelled', 'failed'].includes(status.data.state)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${id} did not end`);
  }

  it('cancel, status and report a job by its id: human and --json', async () => {
    // Slow rows, so the cancel lands while the job runs.
    behindEdge.control.setFaults({ rates: { latency: 1 }, settings: { latency: { ms: 150 } }, actions: ['edit'] });
    let id: string;
    try {
      id = await submit(60, 100);
      const cancel = await run(['jobs', 'cancel', id, '--json'], jobsEnv());
      expect(cancel.code, cancel.stderr).toBe(0);
      expect(envelope(cancel).result.job).toMatchObject({ id, cancelRequested: true });
      await ended(id);
    } finally {
      behindEdge.control.clearFaults();
    }

    const status = await run(['jobs', 'status', id, '--json'], jobsEnv());
    expect(status.code).toBe(0);
    const job = envelope(status).result.job;
    expect(job).toMatchObject({ id, state: 'cancelled', total: 60, finished: 60 });
    expect(job.counts.cancelled).toBeGreaterThan(0);
    // Rows reported applied are the ones the simulator applied; the cancelled ones never reached it.
    const applied = Array.from({ length: 60 }, (_, i) => behindEdge.control.timesApplied('edit', num(100 + i))).filter((n) => n > 0);
    expect(applied.every((n) => n === 1)).toBe(true);
    expect(applied.length).toBe(job.counts.applied + job.counts.unknown);

    const human = await run(['jobs', 'status', id], jobsEnv());
    expect(human.stdout).toMatch(new RegExp(`^job ${id}: cancelled, 60 of 60 rows finished\n  ${job.counts.applied} applied, 0 not applied, ${job.counts.unknown} outcome unknown, ${job.counts.cancelled} cancelled\n`));

    const csv = await run(['jobs', 'report', id], jobsEnv());
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines).toHaveLength(61);
    expect(lines[0]).toBe('row,userName,action,phoneNumber,outcome,verdict,message,requestId,attempts');
    expect(lines.filter((l) => l.includes(',not_sent,cancelled,'))).toHaveLength(job.counts.cancelled);
    const asJson = await run(['jobs', 'report', id, '--json'], jobsEnv());
    expect(envelope(asJson).result.lines.map((l: { row: number }) => l.row)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const output = join(scratch.path, 'jobs-report.csv');
    const toFile = await run(['jobs', 'report', id, '--output', output], jobsEnv());
    expect(toFile.stdout).toMatch(/60 row\(s\) written to/);
    expect(readFileSync(output, 'utf8')).toBe(`${csv.stdout.replace(/\n$/, '')}\n`);

    // Cancelling an ended job changes nothing, and says so.
    const again = await run(['jobs', 'cancel', id], edgeEnv({ CAPHONE_EDGE_URL: edgeUrl }));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to cancel|cancelling job/);
  }, 90_000);

  it('an unknown job is exit 10, no edge is exit 2, an unreachable edge exit 7, a refused token exit 3: each with what to do', async () => {
    const unknown = await run(['jobs', 'status', '00000000-0000-4000-8000-000000000000'], jobsEnv());
    expect(unknown.code).toBe(10);
    expect(unknown.stderr).toMatch(/no bulk job 00000000-0000-4000-8000-000000000000 for your team/);
    expect(unknown.stderr).toMatch(/Next: check the id/);
    const noEdge = await run(['jobs', 'report', 'x', '--json'], edgeEnv());
    expect(noEdge.code).toBe(2);
    expect(envelope(noEdge).message).toMatch(/no edge: pass --edge-url, set CAPHONE_EDGE_URL/);
    const unreachable = await run(['jobs', 'cancel', 'x', '--edge-url', `http://127.0.0.1:${await closedPort()}`, '--timeout', '5'], edgeEnv());
    expect(unreachable.code).toBe(7);
    expect(unreachable.stderr).toMatch(/could not be reached/);
    const refused = await run(['jobs', 'status', 'x', '--remote', edgeUrl], edgeEnv({ CAPHONE_EDGE_TOKEN: 'wrong' }));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/Next: set CAPHONE_EDGE_TOKEN/);
  }, 60_000);
});

describe('secrets', () => {
  it('no run above printed the team token or the API key', () => {
    expect(runs.length).toBeGreaterThan(15);
    for (const result of runs) {
      expect(result.stdout + result.stderr).not.toContain(TEAM_TOKEN);
      expect(result.stdout + result.stderr).not.toContain(CANARY);
    }
  });
});
