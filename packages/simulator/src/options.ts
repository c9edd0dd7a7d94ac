/** A phone record as the simulator keeps it. Names keep the caller's spelling; lookups ignore case. */
export interface PhoneRecord {
  phoneNumber: string;
  phoneName: string;
  skills: string[];
}

export interface SeedRecord {
  phoneNumber: string;
  phoneName: string;
  skills?: string[];
}

export type AuthMode = 'basic' | 'token';

export interface SimulatorOptions {
  /** The account's CloudAgent user name. Default `demo`. */
  userName?: string;
  /** The account's API key. Default `demo-key`. Never echoed in any answer, log or call record. */
  apiKey?: string;
  /** The account's "API Authentication" setting: `basic` (apiKey header) or `token` (Bearer). Default `basic`. */
  auth?: AuthMode;
  /** The skill catalogue; assigning a skill outside it gives the documented partial success. */
  skills?: string[];
  /** The account's "Phone Number Creation Limit". Default 100. */
  phoneNumberLimit?: number;
  /** Records present at start and after `reset()`. */
  records?: SeedRecord[];
  /** Serve the test-only `/__simulator/*` routes. Default false (they answer 404). */
  controlRoutes?: boolean;
  /** Clock in milliseconds since the epoch (token expiry, the hourly token cap). Default `Date.now`. */
  now?: () => number;
  /** Most recent requests kept by `control.calls()`. Default 50,000. */
  callLogLimit?: number;
  /**
   * Most recent applied mutations kept in full by `control.applied()` and `/__simulator/state`.
   * Default 10,000; 0 keeps none. Counts per (action, number) are complete whatever this is.
   */
  appliedLogLimit?: number;
  /** Receives one line per internal error, already passed through core's `redact`. Default: silent. */
  log?: (line: string) => void;
}

export interface ResolvedOptions {
  userName: string;
  apiKey: string;
  auth: AuthMode;
  skills: string[];
  phoneNumberLimit: number;
  records: SeedRecord[];
  controlRoutes: boolean;
  now: () => number;
  callLogLimit: number;
  appliedLogLimit: number;
  log: (line: string) => void;
}

/** How many applied mutations `control.applied()` keeps in full unless told otherwise. */
export const DEFAULT_APPLIED_LOG_LIMIT = 10_000;

export const DEFAULT_SKILLS = ['General', 'QA_Skill', 'Sales', 'Support'];

function logLimit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`simulator: ${name} must be a whole number of 0 or more (got ${String(value)})`);
  return value;
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  return {
    userName: options.userName ?? 'demo',
    apiKey: options.apiKey ?? 'demo-key',
    auth: options.auth ?? 'basic',
    skills: [...(options.skills ?? DEFAULT_SKILLS)],
    phoneNumberLimit: options.phoneNumberLimit ?? 100,
    records: (options.records ?? []).map((r) => ({ ...r, skills: [...(r.skills ?? [])] })),
    controlRoutes: options.controlRoutes ?? false,
    now: options.now ?? (() => Date.now()),
    callLogLimit: options.callLogLimit ?? 50_000,
    appliedLogLimit: logLimit('appliedLogLimit', options.appliedLogLimit, DEFAULT_APPLIED_LOG_LIMIT),
    log: options.log ?? (() => {}),
  };
}
