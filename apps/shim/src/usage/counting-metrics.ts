import { ShimMetrics, type CallLabels } from '../metrics.js';
import type { ShimQuirk, TranslationMismatch } from '../quirks.js';
import type { UsageBatcher } from './usage-batcher.js';
import { usageKey } from './usage-row.js';

/** The label the upstream request counts are kept under (parenthesised: not an account). */
export const UPSTREAM_ACCOUNT = '(shim)';

/**
 * The shim's in-memory metrics, every count also handed to the durable batcher with the same labels
 * (so whatever bounds ShimMetrics puts on account labels holds for the durable counts too).
 */
export class CountingMetrics extends ShimMetrics {
  readonly #usage: UsageBatcher;

  /** `configured`: user names the operator named, labelled from the first call (see ShimMetrics.verify). */
  constructor(now: number, usage: UsageBatcher, configured: Iterable<string> = []) {
    super(now, configured);
    this.#usage = usage;
  }

  override recordCall(labels: CallLabels): void {
    super.recordCall(labels);
    this.#usage.count(labels.account, usageKey.call(labels.route, labels.action, labels.outcome));
  }

  override recordQuirks(account: string, quirks: readonly ShimQuirk[]): void {
    super.recordQuirks(account, quirks);
    for (const q of quirks) this.#usage.count(account, usageKey.quirk(q));
  }

  override recordMismatches(account: string, mismatches: readonly TranslationMismatch[]): void {
    super.recordMismatches(account, mismatches);
    for (const m of mismatches) this.#usage.count(account, usageKey.mismatch(m));
  }

  // Requests the shim sent upstream are a deployment-wide figure, not an account's: one label.
  override recordV2Call(): void {
    super.recordV2Call();
    this.#usage.count(UPSTREAM_ACCOUNT, usageKey.upstream('v2'));
  }

  override recordPassThrough(): void {
    super.recordPassThrough();
    this.#usage.count(UPSTREAM_ACCOUNT, usageKey.upstream('v1'));
  }
}
