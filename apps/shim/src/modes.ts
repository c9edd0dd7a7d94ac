/**
 * How one account's v1 calls are served.
 * - `v2`: translated and sent to v2 once (the default).
 * - `verify`: as `v2`, and the full translation (v1 parameters in, v2 request out, answer) is
 *   recorded for operators to inspect before they trust it. Still sent once, to v2 only.
 * - `v1`: passed through untouched to the legacy host, while it still answers.
 * - `shadow`: passed through to the legacy host like `v1`; after a v1 success, a v2 *read* (get)
 *   checks that v2 sees the same record. Only reads go to v2: a mutation is never sent to both.
 */
export type ShimMode = 'v2' | 'verify' | 'v1' | 'shadow';

export const SHIM_MODES: readonly ShimMode[] = ['v2', 'verify', 'v1', 'shadow'];

/** Modes that need the legacy host. */
export function needsLegacyHost(mode: ShimMode): boolean {
  return mode === 'v1' || mode === 'shadow';
}
