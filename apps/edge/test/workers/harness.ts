import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../src/worker.js';
import type { EdgeHarness } from '../suite/edge-suite.js';
import type { UpstreamView } from '../suite/upstream.js';

// What the test files of this folder (the `workers` project of vitest.config.ts, inside workerd)
// set up alike: requests on the edge's test origin, the console the Worker logs to, the suites'
// harness over a fetch handler in this isolate, the Worker's own entry with other bindings.

/** A request to the edge as the suites write it: a path (with its query) on the test origin. */
export const edgeRequest = (path: string, init?: RequestInit): Request => new Request(`https://edge.test${path}`, init);

/**
 * Every line written to the console (the Worker's log sink) from the file's first test to its
 * last, kept instead of printed: the tests read them (what is logged, and that no secret is).
 */
export function captureConsole(): () => string[] {
  const lines: string[] = [];
  beforeAll(() => {
    for (const level of ['log', 'warn', 'error'] as const) {
      vi.spyOn(console, level).mockImplementation((line: unknown) => {
        lines.push(String(line));
      });
    }
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
  return () => [...lines];
}

/**
 * The suites' harness over a fetch handler in this isolate: the Worker's entry (`exports.default`,
 * with its Durable Objects and the bindings of vitest.config.ts) or an app built here.
 */
export function workersHarness(fetch: (request: Request) => Response | Promise<Response>, upstream: UpstreamView, logs: () => string[]): EdgeHarness {
  return { runtime: 'workers', request: (path, init) => Promise.resolve(fetch(edgeRequest(path, init))), upstream, logs };
}

/** The Worker's own entry with some of the test bindings replaced: what a deployment with those variables would answer. */
export function workerWithEnv(overrides: Partial<Env>): (path: string, init?: RequestInit) => Promise<Response> {
  const replaced = { ...env, ...overrides } as Env;
  // The entry's type wants an incoming request's `cf` properties, which the runtime fills in; none are read.
  return (path, init) => Promise.resolve(worker.fetch(edgeRequest(path, init) as Request<unknown, IncomingRequestCfProperties>, replaced, createExecutionContext()));
}

/** A first test saying the file runs inside the Workers runtime, not Node. */
export function describeTheRuntime(): void {
  describe('the runtime', () => {
    it('is workerd, not Node: the tests below run inside the Workers runtime', () => {
      expect(navigator.userAgent).toBe('Cloudflare-Workers');
    });
  });
}
