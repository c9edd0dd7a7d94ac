import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error.js';
import { headerIndex } from '../src/bulk/csv-rows.js';
import { resolveTarget } from '../src/settings/resolve-target.js';

// Input used as a key (a region name, a CSV header cell) must never find Object.prototype's members.
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describe('user input as keys in the CLI', () => {
  it.each(NAMES)('--region %s is a usage error, not a base URL', (name) => {
    expect(() => resolveTarget({ flags: { region: name } as never, env: {} })).toThrow(CliError);
    expect(() => resolveTarget({ flags: {}, env: { CLOUDAGENT_REGION: name } })).toThrow(CliError);
  });

  it.each(NAMES)('a CSV column named %s is an unknown column', (name) => {
    expect(() => headerIndex(['phoneNumber', 'phoneName', name])).toThrow(`unknown column(s) "${name}"`);
  });

  it.each(NAMES)('a user name %s is a user name like any other', (name) => {
    expect(resolveTarget({ flags: { user: name } as never, env: {} }).userName).toBe(name);
  });
});
