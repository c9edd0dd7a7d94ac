import { seededRandom } from './prng.js';

export const FAULT_KINDS = ['latency', 'server-error', 'html-error', 'rate-limit', 'drop-before', 'drop-after', 'garbled'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which front door a request came through; faults never touch the control routes. */
export type FaultRoute = 'v1' | 'v2' | 'token';

export interface Fault {
  kind: FaultKind;
  /** latency: milliseconds to wait before answering normally. Default 50. */
  ms?: number;
  /**
   * latency: stop, applying nothing, if the caller aborts during the wait (the request's signal).
   * Default false: like a real server, the change still lands after the caller gave up.
   */
  abortable?: boolean;
  /** server-error: default 500; html-error: default 502. */
  status?: number;
  /** server-error: a JSON body (default) or plain text. */
  format?: 'json' | 'text';
  /** rate-limit: the Retry-After header in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** server-error, html-error: apply the change first, then fail (the ambiguous case). Default false. */
  afterApplying?: boolean;
  /**
   * garbled: `body` (default) sends a complete HTTP answer whose JSON is cut in half; `connection`
   * announces the full length, sends half, and closes the connection (a reset mid-body).
   */
  truncate?: 'body' | 'connection';
}

export interface FaultPlan {
  /** Faults for the next eligible requests, in order; `null` lets one request through untouched. */
  queue?: (Fault | null)[];
  /** Once the queue is empty: the chance (0 to 1) of each kind per eligible request. Their sum must not exceed 1. */
  rates?: Partial<Record<FaultKind, number>>;
  /** Seed of the PRNG that draws from `rates`: the same seed replays the same faults. Default 1. */
  seed?: number;
  /** Settings for faults drawn from `rates`, per kind (e.g. `{ latency: { ms: 5 } }`). */
  settings?: Partial<Record<FaultKind, Omit<Fault, 'kind'>>>;
  /** Routes faults apply to. Default `['v1', 'v2']`; add `'token'` to hit generateToken too. */
  routes?: FaultRoute[];
  /** Only requests with these actions (as sent; `token` for generateToken). Default: every action. */
  actions?: string[];
}

export interface FaultStats {
  /** Faults injected so far, per kind, since the plan was set. */
  injected: Record<FaultKind, number>;
  /** Queue entries not yet consumed. */
  queued: number;
}

function validatePlan(plan: FaultPlan): void {
  let sum = 0;
  for (const [kind, rate] of Object.entries(plan.rates ?? {})) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) throw new Error(`faults: unknown kind "${kind}" in rates; use one of ${FAULT_KINDS.join(', ')}`);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new Error(`faults: rates.${kind} must be a number from 0 to 1`);
    sum += rate;
  }
  if (sum > 1 + 1e-9) throw new Error(`faults: the rates add up to ${sum}; their sum must not exceed 1`);
  for (const f of plan.queue ?? []) {
    if (f !== null && !FAULT_KINDS.includes(f.kind)) throw new Error(`faults: unknown kind "${String(f?.kind)}" in queue; use one of ${FAULT_KINDS.join(', ')}`);
  }
}

const zeroCounts = (): Record<FaultKind, number> => Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;

/** Decides, per request, which fault (if any) to inject: the queue first, then the seeded rates. */
export class FaultInjector {
  #plan: FaultPlan = {};
  #queue: (Fault | null)[] = [];
  #random = seededRandom(1);
  #injected = zeroCounts();

  set(plan: FaultPlan): void {
    validatePlan(plan);
    this.#plan = structuredClone(plan);
    this.#queue = [...(plan.queue ?? [])];
    this.#random = seededRandom(plan.seed ?? 1);
    this.#injected = zeroCounts();
  }

  clear(): void {
    this.set({});
  }

  plan(): FaultPlan {
    return structuredClone(this.#plan);
  }

  stats(): FaultStats {
    return { injected: { ...this.#injected }, queued: this.#queue.length };
  }

  next(route: FaultRoute, action: string | undefined): Fault | undefined {
    const plan = this.#plan;
    if (!(plan.routes ?? ['v1', 'v2']).includes(route)) return undefined;
    if (plan.actions && !plan.actions.includes(action ?? '')) return undefined;
    let fault: Fault | undefined;
    if (this.#queue.length > 0) {
      fault = this.#queue.shift() ?? undefined;
    } else if (plan.rates) {
      const r = this.#random();
      let edge = 0;
      for (const kind of FAULT_KINDS) {
        edge += plan.rates[kind] ?? 0;
        if (r < edge) {
          fault = { ...plan.settings?.[kind], kind };
          break;
        }
      }
    }
    if (fault) this.#injected[fault.kind] += 1;
    return fault;
  }
}
