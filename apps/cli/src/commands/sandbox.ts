import { Flags } from '@oclif/core';
import { validateOperation, type PhoneOperation } from '@cloudagent-phone/core';
import { CaphoneCommand, type CommandResult } from '../base-command.js';
import { usageError } from '../cli-error.js';
import { EXIT, LOCAL_EXIT_CODES } from '../exit-codes.js';
import { invalidInput } from '../phone-command.js';
import { ENV } from '../settings/resolve-target.js';
import { SHORT_FLAGS } from '../short-flags.js';

/** `+919876543210:Sales` or `+919876543210:Sales:General;QA_Skill` → a seed record, checked by core. */
function parseSeed(text: string): { phoneNumber: string; phoneName: string; skills: string[] } {
  const [phoneNumber = '', phoneName = '', skillList = ''] = text.split(':');
  const checked = validateOperation({ action: 'create', phoneNumber, phoneName, skill: skillList ? skillList.split(';') : undefined });
  if (!checked.ok) throw invalidInput(checked.issues.map((i) => ({ ...i, message: `--seed "${text}": ${i.message}` })));
  const op = checked.value as PhoneOperation & { phoneNumber: string; phoneName: string };
  return { phoneNumber: op.phoneNumber, phoneName: op.phoneName, skills: op.skill ?? [] };
}

export default class Sandbox extends CaphoneCommand<typeof Sandbox, null> {
  static summary = 'Run a local CloudAgent (the simulator) in the foreground, for trying caphone without an account.';

  static description =
    'Listens on 127.0.0.1 only and answers PhoneManageV2 v1 and v2 and CAToken with the documented strings. ' +
      'Prints where it listens and the environment variables to paste into another shell, then runs until Ctrl-C or SIGTERM. ' +
      'The key it prints is the sandbox\'s own local test key (made up unless you pass --api-key), never a real one.';

  static exitCodes = LOCAL_EXIT_CODES;

  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 0 --seed +919876543210:Sales --skills General,Sales,Support --limit 5',
    '<%= config.bin %> <%= command.id %> --auth token --state ./sandbox-state.json',
  ];

  static flags = {
    port: Flags.integer({ description: 'Port on 127.0.0.1; 0 picks a free one.', default: 4010, min: 0, max: 65_535 }),
    user: Flags.string({ char: SHORT_FLAGS.user, description: "The sandbox account's user name.", default: 'demo' }),
    'api-key': Flags.string({ description: "The sandbox's own test key (it is printed). [default: a random one]" }),
    skills: Flags.string({ description: 'The skill catalogue, comma-separated. [default: General,QA_Skill,Sales,Support]' }),
    limit: Flags.integer({ description: 'Phone-number creation limit of the account.', default: 100, min: 0 }),
    auth: Flags.string({ description: 'The account\'s API Authentication setting.', options: ['basic', 'token'], default: 'basic' }),
    state: Flags.string({ description: 'Keep records (and tokens) in this JSON file across restarts.' }),
    seed: Flags.string({ description: 'A record to start with, NUMBER:NAME or NUMBER:NAME:SKILL;SKILL (repeatable).', multiple: true, multipleNonGreedy: true }),
    'control-routes': Flags.boolean({ description: 'Serve the test routes under /__simulator/ (state, calls, faults, reset).' }),
  };

  protected async execute(): Promise<CommandResult<null>> {
    const f = this.flags;
    // node:crypto loaded here, not with the command registry every command loads.
    const apiKey = f['api-key'] ?? `sandbox-${(await import('node:crypto')).randomBytes(9).toString('hex')}`;
    const skills = f.skills?.split(',').map((s) => s.trim()).filter(Boolean);
    if (f.skills !== undefined && skills?.length === 0) throw usageError('--skills must name at least one skill', 'e.g. --skills General,Sales');
    const records = (f.seed ?? []).map(parseSeed);

    const { startSimulator } = await import('@cloudagent-phone/simulator/node');
    let simulator: Awaited<ReturnType<typeof startSimulator>>;
    try {
      simulator = await startSimulator({
        port: f.port,
        host: '127.0.0.1',
        userName: f.user,
        apiKey,
        auth: f.auth as 'basic' | 'token',
        ...(skills ? { skills } : {}),
        phoneNumberLimit: f.limit,
        records,
        controlRoutes: f['control-routes'],
        ...(f.state ? { stateFile: f.state } : {}),
        log: (line) => this.out.note(`sandbox: ${line}`),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw usageError(`port ${f.port} on 127.0.0.1 is in use`, 'pass --port 0 for a free port, or another --port');
      }
      throw error;
    }

    const env: Record<string, string> = {
      [ENV.baseUrl]: simulator.url,
      [ENV.userName]: f.user,
      [ENV.apiKey]: apiKey,
      ...(f.auth === 'token' ? { [ENV.auth]: 'token' } : {}),
    };
    const count = simulator.control.records().length;
    this.out.note(`CloudAgent sandbox listening on ${simulator.url} (user ${f.user}, auth ${f.auth}, ${count} number(s)${f.state ? `, state in ${f.state}` : ''})`);
    this.out.note('Paste these into another shell, then try: caphone phone get --number <NUMBER>. Ctrl-C stops the sandbox.');
    // Printed now, not at exit: a script reads the URL as soon as the sandbox is ready.
    this.out.finish(
      {
        outcome: 'success',
        message: `sandbox listening on ${simulator.url}`,
        // The sandbox's own test key, meant to be pasted: `testKey` (redaction blanks any field named
        // like an API key) and the NAME=value lines, shown as they are (redaction blanks
        // `CLOUDAGENT_API_KEY=...` as a key in configuration).
        shownOnPurpose: true,
        result: {
          url: simulator.url,
          port: simulator.port,
          userName: f.user,
          testKey: apiKey,
          auth: f.auth,
          records: count,
          exports: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        },
        request: null,
        exitCode: EXIT.success,
      },
      { lines: Object.entries(env).map(([k, v]) => `export ${k}=${v}`) },
    );

    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    await simulator.close();
    this.out.note(`sandbox stopped (${signal})`);
    return { outcome: 'success', message: 'sandbox stopped', exitCode: EXIT.success };
  }
}
