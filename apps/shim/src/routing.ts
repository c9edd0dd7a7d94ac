import type { ShimConfig } from './config.js';
import type { ShimMode } from './modes.js';

/** Where one call goes, and why (the reason is a metric label). */
export interface Route {
  mode: ShimMode | 'unavailable';
  reason: 'kill-switch' | 'account' | 'rollout' | 'outside-rollout' | 'misconfigured';
}

/** FNV-1a, 32 bits: tiny, stable across runtimes and releases, good enough to spread user names. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  const bytes = new TextEncoder().encode(text);
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The account's bucket, 0-99. Sticky: the same user name always lands in the same bucket, so raising
 * the rollout percentage only ever adds accounts to v2, never moves one back and forth.
 */
export function bucketOf(userName: string, salt = ''): number {
  return fnv1a(`${salt}:${userName}`) % 100;
}

/** Kill switch first (an emergency overrides everything), then the account's own mode, then the rollout. */
export function routeFor(userName: string, config: ShimConfig): Route {
  if (config.killSwitch) return { mode: config.v1BaseUrl ? 'v1' : 'unavailable', reason: 'kill-switch' };
  if (config.disabledAccounts.has(userName)) return { mode: 'unavailable', reason: 'misconfigured' };
  const own = config.accountModes.get(userName);
  if (own) return { mode: own, reason: 'account' };
  if (bucketOf(userName, config.rolloutSalt) < config.rolloutPercent) return { mode: config.mode, reason: 'rollout' };
  return { mode: 'v1', reason: 'outside-rollout' };
}
