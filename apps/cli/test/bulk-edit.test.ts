import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rowSha256 } from '../src/bulk/row-operation.js';
import { BIN, CLI_ROOT, caphone, cleanEnv, envelope, scratchDir, simulatorEnv, withSimulator } from './helpers.js';

const HEADER = 'phoneNumber,phoneName,phoneNumberNew,phoneNameNew,assignSkill,unAssignSkill';
const num = (prefix: string, i: number) => `+91${prefix}${String(i).padStart(6, '0')}`;
/** Seed records +9170000000i "Line i", and an edit moving each to +9180000000i "Moved_i". */
const seed = (count: number) => Array.from({ length: count }, (_, i) => ({ phoneNumber: num('7000', i), phoneName: `Line${i}` }));
const moveRow = (i: number) => `${num('7000', i)},Line${i},${num('8000', i)},Moved_${i},,`;

let sim: RunningSimulator;
const scratch = scratchDir();
const env = () => cleanEnv(scratch.path, simulatorEnv(sim));
let fileNo = 0;
function csv(lines: string[]): string {
  const path = join(scratch.path, `bulk-${++fileNo}.csv`);
  writeFileSync(path, `${HEADER}\n${lines.join('\n')}\n`);
  return path;
}
function reportRows(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  // The report's cells here hold no commas or quotes except the message, which is last but three.
  return lines.map((line) => {
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}
const edits = () => sim.control.calls().filter((c) => c.action === 'edit');

beforeAll(async () => {
  sim = await withSimulator({ records: seed(60), skills: ['General'], phoneNumberLimit: 1000 });
});
afterAll(async () => {
  await sim.close();
  scratch.cleanup();
});
beforeEach(() => sim.control.reset(seed(60)));

describe('phone bulk-edit', () => {
  it('sends valid rows, skips invalid ones, reports every row, exits with the worst row code; a re-run skips applied rows', async () => {
    const path = csv([
      moveRow(1),
      `${num('7000', 2)},Line2,abc,,,`, // invalid: never sent
      `${num('7000', 3)},Line3,${num('7000', 4)},,,`, // conflict: the number exists
      `${num('7000', 5)},Line5,,Skilled_5,NoSuchSkill,`, // partial: renamed, skill refused
      moveRow(6),
    ]);
    const run = await caphone(['phone', 'bulk-edit', path, '--json', '--concurrency', '2', '--rate', '0'], { env: env() });
    expect(run.code, run.stderr).toBe(4);
    const doc = envelope(run);
    expect(doc).toMatchObject({ outcome: 'conflict' });
    expect(doc.result.counts).toMatchObject({ rows: 5, sent: 4, applied: 2, partial: 1, failed: 1, invalid: 1, skipped: 0 });
    expect(run.stderr).not.toContain('\r'); // no progress bar when stderr is not a terminal
    const report = reportRows(doc.result.report);
    expect(report.map((r) => [r.row, r.outcome, r.exitCode]).sort()).toEqual(
      [
        ['1', 'success', '0'],
        ['2', 'invalid', '2'],
        ['3', 'conflict', '4'],
        ['4', 'partial_success', '6'],
        ['5', 'success', '0'],
      ].sort(),
    );
    expect(report.find((r) => r.row === '2')).toMatchObject({ column: 'phoneNumberNew', line: '3' });
    expect(report.find((r) => r.row === '2')!.message).toMatch(/not sent: phoneNumberNew must be 3 to 17 digits/);
    expect(edits()).toHaveLength(4);
    expect(existsSync(doc.result.journal)).toBe(true);

    const again = await caphone(['phone', 'bulk-edit', path, '--json', '--rate', '0'], { env: env() });
    expect(again.code).toBe(4);
    const second = envelope(again);
    expect(second.result).toMatchObject({ resumed: true, counts: { rows: 5, sent: 1, skipped: 3, invalid: 1, failed: 1 } });
    // Only the conflict row (provably not applied) went out again.
    expect(edits()).toHaveLength(5);
    expect(edits()[4]!.params.phoneNumber).toBe(num('7000', 3));
    expect(reportRows(second.result.report).filter((r) => r.outcome === 'already_applied').map((r) => r.row).sort()).toEqual(['1', '4', '5']);

    // A dry run over a journalled file says which rows a real run would skip.
    const dry = await caphone(['phone', 'bulk-edit', path, '--json', '--dry-run'], { env: env() });
    expect(reportRows(envelope(dry).result.report).map((r) => [r.row, r.outcome])).toEqual([
      ['1', 'already_applied'],
      ['2', 'invalid'],
      ['3', 'dry_run'],
      ['4', 'already_applied'],
      ['5', 'already_applied'],
    ]);
    expect(edits()).toHaveLength(5);
  });

  it('writes a JSON report where asked', async () => {
    const path = csv([moveRow(1), moveRow(2)]);
    const reportPath = join(scratch.path, 'out.json');
    const run = await caphone(['phone', 'bulk-edit', path, '--report', reportPath, '--rate', '0'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 rows: 2 applied');
    const rows = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ outcome: 'success', exitCode: 0, attempts: 1 });
  });

  it('--dry-run validates every row, shows the first request, sends nothing and keeps no journal', async () => {
    const path = csv([moveRow(1), `${num('7000', 2)},Line2,,x,,`]);
    const run = await caphone(['phone', 'bulk-edit', path, '--dry-run', '--json', '--journal', join(scratch.path, 'dry.jsonl')], { env: env() });
    expect(run.code).toBe(2);
    const doc = envelope(run);
    expect(doc.message).toMatch(/^dry run, nothing sent/);
    expect(doc.request).toMatchObject({ method: 'POST', headers: { apiKey: '[REDACTED]' } });
    expect(JSON.parse(doc.request!.body!)).toMatchObject({ phoneNumber: num('7000', 1), phoneNumberNew: num('8000', 1) });
    expect(reportRows(doc.result.report).map((r) => r.outcome)).toEqual(['dry_run', 'invalid']);
    expect(sim.control.calls()).toHaveLength(0);
    expect(existsSync(join(scratch.path, 'dry.jsonl'))).toBe(false);
  });

  it('--dry-run prints the first request on screen too, credentials redacted', async () => {
    const path = csv([moveRow(1), moveRow(2)]);
    const run = await caphone(['phone', 'bulk-edit', path, '--dry-run'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('the first row would send:');
    expect(run.stdout).toContain('/ca_apis/PhoneManageV2');
    expect(run.stdout).toContain(num('8000', 1));
    expect(run.stdout).not.toContain(num('8000', 2));
    expect(run.stdout).toMatch(/2 valid \(dry run, not sent\)/);
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('reports rows in input order however they finish, and the summary counts are the report\'s own', async () => {
    // The first rows are slowed down so later ones finish first.
    sim.control.setFaults({ queue: [{ kind: 'latency', ms: 300 }, { kind: 'latency', ms: 200 }], actions: ['edit'] });
    const path = csv([moveRow(1), moveRow(2), `${num('7000', 3)},Line3,abc,,,`, moveRow(4), `${num('7000', 5)},Wrong5,,Renamed5,,`, moveRow(6)]);
    const run = await caphone(['phone', 'bulk-edit', path, '--json', '--concurrency', '4', '--rate', '0'], { env: env() });
    const doc = envelope(run);
    const report = reportRows(doc.result.report);
    expect(report.map((r) => Number(r.row))).toEqual([...report.map((r) => Number(r.row))].sort((a, b) => a - b));
    expect(report).toHaveLength(6);
    const byOutcome = (pred: (r: Record<string, string>) => boolean) => report.filter(pred).length;
    const c = doc.result.counts;
    expect(c.applied).toBe(byOutcome((r) => r.exitCode === '0'));
    expect(c.invalid).toBe(byOutcome((r) => r.outcome === 'invalid'));
    expect(c.failed).toBe(byOutcome((r) => !['0', '6', '8'].includes(r.exitCode ?? '') && r.outcome !== 'invalid'));
    expect(c.applied + c.partial + c.failed + c.invalid + c.skipped + c.ambiguous + c.notSent + c.valid).toBe(c.rows);
    // A wrong current name is told apart from a conflict, and exits 10.
    expect(report.find((r) => r.row === '5')).toMatchObject({ outcome: 'not_found', exitCode: '10' });
    expect(doc.message).toContain(`${c.applied} applied`);
  });

  it('a run that fails before sending anything leaves no journal behind', async () => {
    const path = csv([moveRow(1)]);
    const journal = join(scratch.path, 'never.jsonl');
    const run = await caphone(['phone', 'bulk-edit', path, '--report', join(scratch.path, 'no-such-dir', 'r.csv'), '--journal', journal, '--json'], { env: env() });
    expect(run.code).toBe(2);
    expect(existsSync(journal)).toBe(false);
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('draws a progress bar on a terminal, and none under --json', async () => {
    const path = csv([moveRow(1), moveRow(2)]);
    // util-linux `script` gives the child a pseudo-terminal, so stderr.isTTY is true in it.
    const inTerminal = (extra: string) =>
      new Promise<string>((resolve, reject) => {
        const command = [BIN, 'phone', 'bulk-edit', path, '--rate', '0', extra].filter(Boolean).map((a) => `'${a}'`).join(' ');
        const child = spawn('script', ['-qec', `'${process.execPath}' ${command}`, '/dev/null'], { env: env(), cwd: CLI_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
    const human = await inTerminal('--dry-run');
    expect(human).toMatch(/\r\u001b\[2K\[#+\] 100% 2 rows/);
    const json = await inTerminal('--json');
    expect(json).not.toContain('\u001b[2K');
    expect(json).toContain('"outcome": "success"');
  });

  it('refuses a header it does not know before sending anything', async () => {
    const path = join(scratch.path, 'bad-header.csv');
    writeFileSync(path, 'number,name\n1234,Sales\n');
    const run = await caphone(['phone', 'bulk-edit', path, '--json'], { env: env() });
    expect(run.code).toBe(2);
    expect(envelope(run).message).toMatch(/unknown column/);
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('a report or journal path that cannot be written is exit 2 naming the flag, with nothing sent', async () => {
    const path = csv([moveRow(1)]);
    const missingDir = join(scratch.path, 'no-such-dir');
    for (const [flag, target] of [['--report', join(missingDir, 'r.csv')], ['--journal', join(missingDir, 'j.jsonl')]] as const) {
      const run = await caphone(['phone', 'bulk-edit', path, flag, target, '--json', '--rate', '0'], { env: env() });
      expect(run.code, run.stderr).toBe(2);
      const doc = envelope(run);
      expect(doc).toMatchObject({ outcome: 'validation_error' });
      expect(doc.message).toBe(`${flag} ${target} cannot be written (ENOENT); nothing was sent`);
      expect(run.stderr).not.toMatch(/Unhandled|at emitErrorNT/);
    }
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('stops sending at the first authentication failure', async () => {
    const path = csv([1, 2, 3, 4, 5].map(moveRow));
    const run = await caphone(['phone', 'bulk-edit', path, '--json', '--concurrency', '1', '--rate', '0'], {
      env: cleanEnv(scratch.path, { ...simulatorEnv(sim), CLOUDAGENT_API_KEY: 'CANARY-KEY-wrong-bulk' }),
    });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    const doc = envelope(run);
    expect(doc.result.stopped).toBe('auth_error');
    expect(doc.result.counts).toMatchObject({ sent: 1, notSent: 4 });
    expect(edits()).toHaveLength(1);
  });

  it('refuses to resume a journal whose fingerprint scheme it does not know (a newer caphone\'s), sending nothing', async () => {
    const path = csv([moveRow(1)]);
    writeFileSync(`${path}.caphone-journal.jsonl`, `${JSON.stringify({ kind: 'caphone-bulk-edit-journal', v: 1, started: new Date().toISOString(), fingerprint: 'blake3' })}\n{"r":1,"h":7,"s":"done","k":"success"}\n`);
    const before = edits().length;
    const run = await caphone(['phone', 'bulk-edit', path, '--json'], { env: env() });
    expect(run.code).toBe(2);
    expect(envelope(run).message).toMatch(/fingerprints rows as "blake3"/);
    expect(edits()).toHaveLength(before);
  });

  it('refuses to resume when a row the journal knows has changed', async () => {
    const lines = [moveRow(1), moveRow(2)];
    const path = csv(lines);
    expect((await caphone(['phone', 'bulk-edit', path, '--rate', '0'], { env: env() })).code).toBe(0);
    writeFileSync(path, `${HEADER}\n${moveRow(1).replace('Moved_1', 'Other_1')}\n${lines[1]}\n`);
    const before = edits().length;
    const run = await caphone(['phone', 'bulk-edit', path, '--json'], { env: env() });
    expect(run.code).toBe(2);
    expect(envelope(run).message).toMatch(/row 1 \(line 2\) .* changed since/);
    expect(edits()).toHaveLength(before);
  });

  // v1 has no get: a v1 run reads back with v2's get on the same host, then sends its edits as v1.
  it.each(['v2', 'v1'])('reads back a row left "sending" by a dead run: applied → not re-sent; not applied → sent (--api %s)', async (api) => {
    const rowA = moveRow(1);
    const rowB = moveRow(2);
    const path = csv([rowA, rowB]);
    const cellsOf = (line: string) => {
      const [phoneNumber, phoneName, phoneNumberNew, phoneNameNew] = line.split(',');
      return { phoneNumber, phoneName, phoneNumberNew, phoneNameNew };
    };
    // The dead run had sent row 1 (and the simulator applied it), and died before row 2 arrived.
    sim.control.reset([{ phoneNumber: num('8000', 1), phoneName: 'Moved_1' }, { phoneNumber: num('7000', 2), phoneName: 'Line2' }]);
    // A journal as caphone wrote them before headers named the fingerprint (SHA-256): still resumed.
    const journal = [
      { kind: 'caphone-bulk-edit-journal', v: 1, started: new Date().toISOString() },
      { r: 1, h: rowSha256({ row: 1, line: 2, bytes: 0, cells: cellsOf(rowA) }), s: 'sending' },
      { r: 2, h: rowSha256({ row: 2, line: 3, bytes: 0, cells: cellsOf(rowB) }), s: 'sending' },
    ];
    writeFileSync(`${path}.caphone-journal.jsonl`, journal.map((j) => JSON.stringify(j)).join('\n') + '\n');
    const run = await caphone(['phone', 'bulk-edit', path, '--json', '--rate', '0', '--concurrency', '1', '--api', api], { env: env() });
    expect(run.code, run.stdout).toBe(0);
    const report = reportRows(envelope(run).result.report);
    expect(report.find((r) => r.row === '1')).toMatchObject({ outcome: 'success', readBack: 'applied', attempts: '0' });
    expect(report.find((r) => r.row === '2')).toMatchObject({ outcome: 'success', readBack: 'not_applied', attempts: '1' });
    expect(edits().map((c) => c.params.phoneNumber)).toEqual([num('7000', 2)]);
    expect(edits().map((c) => c.version)).toEqual([api]);
    expect(sim.control.calls().filter((c) => c.action === 'get').every((c) => c.version === 'v2')).toBe(true);
    expect(sim.control.records()).toEqual(expect.arrayContaining([expect.objectContaining({ phoneNumber: num('8000', 2), phoneName: 'Moved_2' })]));
  });

  it('a run killed halfway (SIGKILL) and resumed applies every row exactly once', async () => {
    const count = 60;
    const path = csv(Array.from({ length: count }, (_, i) => moveRow(i)));
    // Slow answers, so the kill lands while rows are in flight.
    sim.control.setFaults({ rates: { latency: 1 }, settings: { latency: { ms: 40 } }, actions: ['edit'] });
    const child = spawn(process.execPath, [BIN, 'phone', 'bulk-edit', path, '--json', '--concurrency', '3', '--rate', '0'], { env: env(), cwd: CLI_ROOT, stdio: 'ignore' });
    let early: number | null = null;
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (code, signal) => {
        early = code;
        resolve(signal);
      }),
    );
    while (sim.control.applyCount() < count / 3 && early === null) await new Promise((r) => setTimeout(r, 5));
    expect(early, 'the bulk run ended on its own before it could be killed').toBeNull();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const appliedAtKill = sim.control.applyCount();
    expect(appliedAtKill).toBeLessThan(count);

    // Requests the dead process had in flight may still land: let them, then resume.
    await new Promise((r) => setTimeout(r, 200));
    const journalText = readFileSync(`${path}.caphone-journal.jsonl`, 'utf8');
    expect(journalText).toContain('"s":"sending"');

    const resumed = await caphone(['phone', 'bulk-edit', path, '--json', '--concurrency', '3', '--rate', '0'], { env: env() });
    expect(resumed.code, resumed.stderr).toBe(0);
    const doc = envelope(resumed);
    expect(doc.result.resumed).toBe(true);
    expect(doc.result.counts.rows).toBe(count);

    // The simulator's complete counts: every row's number edited exactly once across both runs.
    const edits = sim.control.appliedCounts().filter((c) => c.action === 'edit');
    expect(edits).toHaveLength(count);
    expect(edits.every((c) => c.count === 1)).toBe(true);
    for (let i = 0; i < count; i++) expect(sim.control.timesApplied('edit', num('7000', i))).toBe(1);
    const records = sim.control.records();
    for (let i = 0; i < count; i++) expect(records).toContainEqual(expect.objectContaining({ phoneNumber: num('8000', i), phoneName: `Moved_${i}` }));
    // Every row is accounted for in the resumed run's report, none failed.
    const report = reportRows(doc.result.report);
    expect(report).toHaveLength(count);
    expect(report.every((r) => r.outcome === 'success' || r.outcome === 'already_applied')).toBe(true);
  });
});
