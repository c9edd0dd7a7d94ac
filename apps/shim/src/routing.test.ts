import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.js';
import { bucketOf, routeFor } from './routing.js';

const names = Array.from({ length: 400 }, (_, i) => `account-${i}`);
const withLegacy = (env: Record<string, string>) => configFromEnv({ SHIM_V1_BASE_URL: 'https://legacy.test', ...env });

describe('routing', () => {
  it('puts each user name in a fixed bucket 0-99, spread over the range', () => {
    expect(bucketOf('acme')).toBe(bucketOf('acme'));
    const buckets = names.map((n) => bucketOf(n));
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(100);
    expect(new Set(buckets).size).toBeGreaterThan(80);
    // A new salt reshuffles who goes first.
    expect(names.filter((n) => bucketOf(n, 'salt-a') !== bucketOf(n, 'salt-b')).length).toBeGreaterThan(300);
  });

  it('raising the rollout only moves accounts onto v2, never back (sticky)', () => {
    let previous = new Set<string>();
    for (const percent of [0, 10, 25, 50, 90, 100]) {
      const config = withLegacy({ SHIM_ROLLOUT_PERCENT: String(percent) });
      const onV2 = new Set(names.filter((n) => routeFor(n, config).mode === 'v2'));
      for (const n of previous) expect(onV2.has(n)).toBe(true);
      previous = onV2;
    }
    expect(previous.size).toBe(names.length);
    const half = withLegacy({ SHIM_ROLLOUT_PERCENT: '50' });
    const share = names.filter((n) => routeFor(n, half).mode === 'v2').length / names.length;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
  });

  it('gives an account its own mode over the rollout, and the kill switch over everything', () => {
    const config = withLegacy({ SHIM_ROLLOUT_PERCENT: '100', SHIM_ACCOUNT_MODES: 'acme=shadow, globex=verify' });
    expect(routeFor('acme', config)).toEqual({ mode: 'shadow', reason: 'account' });
    expect(routeFor('globex', config)).toEqual({ mode: 'verify', reason: 'account' });
    expect(routeFor('initech', config)).toEqual({ mode: 'v2', reason: 'rollout' });
    const killed = withLegacy({ SHIM_ACCOUNT_MODES: 'globex=verify', SHIM_KILL_SWITCH: '1' });
    expect(routeFor('globex', killed)).toEqual({ mode: 'v1', reason: 'kill-switch' });
    expect(routeFor('globex', configFromEnv({ SHIM_KILL_SWITCH: 'true' }))).toEqual({ mode: 'unavailable', reason: 'kill-switch' });
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('a user name %s follows the rollout like any other (0%: v1)', (name) => {
    const config = withLegacy({ SHIM_ROLLOUT_PERCENT: '0', SHIM_ACCOUNT_MODES: 'acme=verify' });
    expect(routeFor(name, config)).toEqual({ mode: 'v1', reason: 'outside-rollout' });
  });

  it('a misconfigured account is unavailable; the others keep their routes', () => {
    const config = withLegacy({ SHIM_ACCOUNT_MODES: 'broken=fast,acme=verify' });
    expect(routeFor('broken', config)).toEqual({ mode: 'unavailable', reason: 'misconfigured' });
    expect(routeFor('acme', config)).toEqual({ mode: 'verify', reason: 'account' });
    expect(routeFor('other', config)).toEqual({ mode: 'v2', reason: 'rollout' });
  });
});
