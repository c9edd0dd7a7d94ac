import { Flags } from '@oclif/core';
import { REGIONS, validateCredentials, type Region } from '@cloudagent-phone/core';
import { CaphoneCommand, GLOBAL, type CommandResult } from '../../base-command.js';
import { usageError } from '../../cli-error.js';
import { EXIT, LOCAL_EXIT_CODES } from '../../exit-codes.js';
import { readFirstLine } from '../../read-stdin.js';
import { checkProfileName, readProfiles, writeProfiles, type Profile } from '../../settings/profiles.js';
import { resolveTarget } from '../../settings/resolve-target.js';
import { SHORT_FLAGS } from '../../short-flags.js';

const FIELDS = ['base-url', 'region', 'user', 'api', 'auth', 'api-key', 'edge-url', 'edge-token'] as const;

export interface ConfigSetResult {
  profile: string;
  default: boolean;
  path: string;
  /** The profile as saved, secrets only as "stored". */
  settings: Record<string, unknown>;
}

export default class ConfigSet extends CaphoneCommand<typeof ConfigSet, ConfigSetResult> {
  static summary = 'Create or update a named profile (target, user, API version, auth mode).';

  static description =
    "Profiles live in oclif's config directory (~/.config/caphone/profiles.json on Linux, or CAPHONE_CONFIG_DIR), " +
      'written with mode 0600. Environment variables still win over a profile, and flags over both. ' +
      'A key is stored only if you pipe it with --api-key-stdin; keeping it in the environment or a secret manager is preferred.';

  static exitCodes = LOCAL_EXIT_CODES;

  static examples = [
    '<%= config.bin %> <%= command.id %> --profile prod --region international --user acme_admin',
    'pass show cloudagent/prod | <%= config.bin %> <%= command.id %> --profile prod --api-key-stdin',
    '<%= config.bin %> <%= command.id %> --profile sandbox --base-url http://127.0.0.1:4010 --user demo --default',
  ];

  static flags = {
    profile: Flags.string({ char: SHORT_FLAGS.profile, description: 'Profile to create or change.', default: 'default', helpGroup: GLOBAL }),
    'base-url': Flags.string({ description: 'CloudAgent base URL (a partner host, or a sandbox).', exclusive: ['region'] }),
    region: Flags.string({ description: 'CloudAgent host by region.', options: Object.keys(REGIONS), exclusive: ['base-url'] }),
    user: Flags.string({ char: SHORT_FLAGS.user, description: 'CloudAgent user name.' }),
    api: Flags.string({ description: 'API version.', options: ['v1', 'v2'] }),
    auth: Flags.string({ description: "The account's API Authentication setting.", options: ['basic', 'token'] }),
    'api-key-stdin': Flags.boolean({ description: 'Store the API key read from the first line of stdin in the profile (0600 file).' }),
    'edge-url': Flags.string({ description: 'Go through this cloudagent-phone edge instead of calling CloudAgent (the edge holds the key).' }),
    'edge-token-stdin': Flags.boolean({ description: "Store the team's edge token read from the first line of stdin in the profile (0600 file).", exclusive: ['api-key-stdin'] }),
    default: Flags.boolean({ description: 'Use this profile when --profile and CAPHONE_PROFILE are not given.' }),
    unset: Flags.string({ description: 'Clear a field.', options: [...FIELDS], multiple: true, multipleNonGreedy: true, delimiter: ',' }),
  };

  protected async execute(): Promise<CommandResult<ConfigSetResult>> {
    const f = this.flags;
    const name = checkProfileName(f.profile);
    const { file } = await readProfiles(this.config.configDir);
    const profile: Profile = { ...file.profiles[name] };

    if (f['base-url'] !== undefined) {
      // resolveTarget checks the URL the same way a command would read it.
      profile.baseUrl = resolveTarget({ flags: { 'base-url': f['base-url'] }, env: {} }).baseUrl;
      delete profile.region;
    }
    if (f.region !== undefined) {
      profile.region = f.region as Region;
      delete profile.baseUrl;
    }
    if (f.user !== undefined) {
      const checked = validateCredentials({ userName: f.user, apiKey: 'placeholder' });
      if (!checked.ok) throw usageError(`--user ${checked.issues[0]?.message.replace(/^userName /, '') ?? 'is not valid'}`);
      profile.userName = f.user;
    }
    if (f.api !== undefined) profile.apiVersion = f.api as 'v1' | 'v2';
    if (f.auth !== undefined) profile.auth = f.auth as 'basic' | 'token';
    if (f['api-key-stdin']) {
      const key = await readFirstLine(process.stdin);
      this.out.addSecret(key);
      const checked = validateCredentials({ userName: 'placeholder', apiKey: key });
      if (!key || !checked.ok) throw usageError('the API key on stdin is empty or contains spaces', 'pipe exactly the key, e.g. printf %s "$KEY" | caphone config set --api-key-stdin');
      profile.apiKey = key;
    }
    if (f['edge-url'] !== undefined) {
      profile.edgeUrl = resolveTarget({ flags: { 'edge-url': f['edge-url'] }, env: {} }).edge!.url;
    }
    if (f['edge-token-stdin']) {
      const token = await readFirstLine(process.stdin);
      this.out.addSecret(token);
      if (!token || /\s/.test(token)) throw usageError('the edge token on stdin is empty or contains spaces', 'pipe exactly the token, e.g. printf %s "$TOKEN" | caphone config set --edge-token-stdin');
      profile.edgeToken = token;
    }
    const unsetKey: Record<(typeof FIELDS)[number], keyof Profile> = {
      'base-url': 'baseUrl',
      region: 'region',
      user: 'userName',
      api: 'apiVersion',
      auth: 'auth',
      'api-key': 'apiKey',
      'edge-url': 'edgeUrl',
      'edge-token': 'edgeToken',
    };
    for (const field of f.unset ?? []) delete profile[unsetKey[field as (typeof FIELDS)[number]]];

    file.profiles[name] = profile;
    if (f.default || file.default === undefined) file.default = name;
    const path = await writeProfiles(this.config.configDir, file);
    if (profile.apiKey && f['api-key-stdin']) {
      this.out.warn(`the API key is stored in ${path} (mode 0600); CLOUDAGENT_API_KEY, when set, still wins over it`);
    }
    const { apiKey, edgeToken, ...rest } = profile;
    // Named 'key' and 'edgeTokenStatus', so redaction (which blanks any field named like a secret) leaves them readable.
    const shown = { ...rest, key: apiKey ? 'stored' : null, ...(edgeToken ? { edgeTokenStatus: 'stored' } : {}) };
    return {
      outcome: 'success',
      message: `saved profile "${name}"${file.default === name ? ' (default)' : ''} in ${path}`,
      result: { profile: name, default: file.default === name, path, settings: shown },
      exitCode: EXIT.success,
    };
  }
}
