import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, CLI_ROOT, caphone, cleanEnv, envelope, scratchDir, tracedRun } from './helpers.js';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());
const env = () => cleanEnv(scratch.path);

describe('help, version, manifest, autocomplete', () => {
  it("each command's help lists exactly the exit codes it can produce", async () => {
    const codesIn = (text: string) => [...(text.split('\nEXIT CODES\n')[1] ?? '').split('\n\n')[0]!.matchAll(/^ {2}(\d)  /gm)].map((m) => Number(m[1]));
    const cases: [string[], number[]][] = [
      [['phone', 'edit'], [0, 1, 2, 3, 4, 5, 6, 7, 8]],
      [['phone', 'bulk-edit'], [0, 1, 2, 3, 4, 5, 6, 7, 8]],
      [['sandbox'], [0, 1, 2]],
      [['config', 'list'], [0, 1, 2]],
      [['migrate', 'scan'], [0, 1, 2, 9]],
    ];
    for (const [id, codes] of cases) {
      const run = await caphone([...id, '--help'], { env: env() });
      expect(run.code, id.join(' ')).toBe(0);
      expect(codesIn(run.stdout), id.join(' ')).toEqual(codes);
    }
    const get = codesIn((await caphone(['phone', 'get', '--help'], { env: env() })).stdout);
    expect(get).not.toContain(8); // a lookup changes nothing, so its outcome is never "unknown"
    expect((await caphone(['config', 'list', '--help'], { env: env() })).stdout).not.toContain('authentication rejected');
  });

  it('wrapped help lines are indented under their text', async () => {
    const run = await caphone(['phone', 'edit', '--help'], { env: env() });
    const table = run.stdout.split('\nEXIT CODES\n')[1]!.split('\n\n')[0]!.split('\n');
    // The code column is as wide as the widest code (10: not found), plus two spaces.
    const width = Math.max(...table.filter((line) => /^ {2}\d/.test(line)).map((line) => /^ {2}(\d+)/.exec(line)![1]!.length));
    const code = new RegExp(`^ {2}\\d{1,${width}} {2,${width + 1}}\\S`);
    const wrapped = ' '.repeat(width + 4);
    for (const line of table) expect(code.test(line) || (line.startsWith(wrapped) && line[wrapped.length] !== ' '), line).toBe(true);
    expect(table.some((line) => line.startsWith(wrapped))).toBe(true);
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('caphone help [COMMAND] is the same as COMMAND --help, and -h too', async () => {
    const viaFlag = await caphone(['phone', 'edit', '--help'], { env: env() });
    for (const args of [['help', 'phone', 'edit'], ['phone', 'edit', '-h']]) {
      const run = await caphone(args, { env: env() });
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toBe(viaFlag.stdout);
    }
    const root = await caphone(['help'], { env: env() });
    expect(root.stdout).toMatch(/^TOPICS/m);
    expect(root.stdout).toContain(`@cloudagent-phone/cli/`);
    expect(root.stdout).toContain(process.version); // the running Node, not the build machine's
    const topic = await caphone(['help', 'phone'], { env: env() });
    expect(topic.stdout).toMatch(/^  phone edit  /m);
  });

  it('did you mean: an unknown command or flag gets the closest one, exit 2', async () => {
    const command = await caphone(['phone', 'edti', '--number', '1'], { env: env() });
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('did you mean "phone edit"?');
    const help = await caphone(['help', 'sandbx'], { env: env() });
    expect(help.code).toBe(2);
    expect(help.stderr).toContain('did you mean "sandbox"?');
    const flag = await caphone(['phone', 'edit', '-n', '+919876543210', '-N', 'Sales', '--new-nme', 'Support', '--json'], { env: env() });
    expect(flag.code).toBe(2);
    expect(envelope(flag)).toMatchObject({ outcome: 'validation_error', result: { flag: '--new-nme', didYouMean: '--new-name' } });
    expect(envelope(flag).message).toContain('did you mean --new-name?');
    const far = await caphone(['config', 'list', '--zzzzzz'], { env: env() });
    expect(far.stderr).not.toContain('did you mean');
  });

  it('--json gives exactly one JSON document whatever else is typed', async () => {
    const cases = [
      ['phone', 'edit', '--number', 'X', '--name', '--help', '--json'],
      ['phone', 'edit', '--help', '--json'],
      ['help', 'phone', 'edit', '--json'],
      ['phone', '--json'],
      ['--version', '--json'],
      ['--json'],
      ['phone', 'frob', '--json'],
      ['help', 'frob', '--json'],
      ['autocomplete', 'bash', '--json'],
      ['phone', 'edit', '--new-nme', '--json'],
    ];
    for (const args of cases) {
      const run = await caphone(args, { env: env() });
      expect(() => envelope(run), `${args.join(' ')}: ${run.stdout}`).not.toThrow();
      expect(Object.keys(envelope(run)).sort(), args.join(' ')).toEqual(['message', 'outcome', 'request', 'result', 'warnings']);
    }
    const help = envelope(await caphone(['phone', 'edit', '--number', 'X', '--name', '--help', '--json'], { env: env() }));
    expect(help.outcome).toBe('success');
    expect(help.result.command).toBe('phone edit');
    expect(help.result.help).toContain('--new-number');
  });

  it('short flags: the same letter for the same flag in every command', async () => {
    const { SHORT_FLAGS } = await import('../src/short-flags.js');
    const manifest = JSON.parse(readFileSync(join(CLI_ROOT, 'oclif.manifest.json'), 'utf8'));
    const seen = new Map<string, string>();
    let uses = 0;
    for (const [id, command] of Object.entries<{ flags: Record<string, { char?: string }> }>(manifest.commands)) {
      for (const [name, flag] of Object.entries(command.flags)) {
        if (name in SHORT_FLAGS) expect(flag.char, `${id} --${name}`).toBe(SHORT_FLAGS[name as keyof typeof SHORT_FLAGS]);
        if (!flag.char) continue;
        uses += 1;
        expect(seen.get(flag.char) ?? name, `-${flag.char} in ${id}`).toBe(name);
        seen.set(flag.char, name);
      }
    }
    expect(uses).toBeGreaterThan(10);
    const run = await caphone(['phone', 'edit', '-n', '+919876543210', '-N', 'Sales', '--new-name', 'Support', '-u', 'demo', '--dry-run', '--json'], { env: env() });
    expect(envelope(run).result.operation).toMatchObject({ phoneNumber: '+919876543210', phoneName: 'Sales', phoneNameNew: 'Support' });
  });

  it('--verbose says what it prints for each kind of command', async () => {
    const api = await caphone(['phone', 'edit', '--help'], { env: env() });
    const local = await caphone(['config', 'list', '--help'], { env: env() });
    expect(api.stdout).toMatch(/--verbose\s+Print each request and response/);
    expect(local.stdout).not.toMatch(/request and (the )?response/);
    expect(local.stdout).toMatch(/--verbose\s+If caphone fails internally/);
  });

  it('phone edit --help documents its flags and examples', async () => {
    const run = await caphone(['phone', 'edit', '--help'], { env: env() });
    for (const flag of ['--number', '--name', '--new-number', '--new-name', '--assign-skill', '--unassign-skill', '--json', '--dry-run', '--verbose', '--api-key-stdin', '--region', '--api']) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain('EXAMPLES');
  });

  it("the README's command reference is the help the build renders (npm run readme regenerates it)", () => {
    const check = spawnSync(process.execPath, [join(CLI_ROOT, 'scripts', 'readme.mjs'), '--check'], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const readme = readFileSync(join(CLI_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('### `caphone phone edit`');
    expect(readme).toContain('-n, --number=<value>');
  });

  it('--version answers in oclif format', async () => {
    const pjson = JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8'));
    const run = await caphone(['--version'], { env: env() });
    expect(run.stdout.trim()).toBe(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}`);
  });

  it('the manifest lists every command under dist/commands, the migrate scan included', () => {
    const manifest = JSON.parse(readFileSync(join(CLI_ROOT, 'oclif.manifest.json'), 'utf8'));
    expect(Object.keys(manifest.commands).sort()).toEqual(
      expect.arrayContaining(['config:list', 'config:remove', 'config:set', 'config:show', 'migrate:scan', 'phone:bulk-edit', 'phone:create', 'phone:delete', 'phone:edit', 'phone:get', 'sandbox']),
    );
  });

  it("the manifest matches package.json's version (oclif ignores a stale one and imports every command)", () => {
    const manifest = JSON.parse(readFileSync(join(CLI_ROOT, 'oclif.manifest.json'), 'utf8'));
    const pjson = JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8'));
    expect(manifest.version).toBe(pjson.version);
  });

  it('phone edit --help loads the launcher and nothing else: no bundle, no node_modules, no zod (start-up time)', () => {
    const run = tracedRun(scratch.path, ['phone', 'edit', '--help'], env());
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('--new-number');
    // Everything the CLI runs is in dist/ (scripts/build.mjs): a file from node_modules would mean the
    // bundle leaked a dependency, which would also break the tarball that installs alone. The
    // bundle itself (and with it oclif, core, zod and every command class) is not needed for help.
    expect(run.files.sort()).toEqual([BIN, join(CLI_ROOT, 'dist', 'launch.cjs')]);
  });

  it("DEBUG still shows oclif's own debug lines (the bundle loads the real debug package only then)", async () => {
    const quiet = await caphone(['config', 'list'], { env: env() });
    expect(quiet.stderr).not.toContain('oclif:main');
    const loud = await caphone(['config', 'list'], { env: { ...env(), DEBUG: 'oclif:main' } });
    expect(loud.code).toBe(0);
    expect(loud.stderr).toContain('oclif:main process.argv');
  });

  it('the autocomplete plugin is wired', async () => {
    const run = await caphone(['autocomplete', 'bash'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/caphone/);
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    const run = await caphone(['phone', 'frobnicate'], { env: env() });
    expect(run.code).toBe(2);
  });
});
