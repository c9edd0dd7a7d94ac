import type { PlainRequest } from '@cloudagent-phone/core';

/** One verify-mode translation: what came in, what went to v2, what the caller was told. No credential. */
export interface TranslationRecord {
  at: string;
  account: string;
  action: string;
  /** The v1 parameters as read ($_REQUEST), credentials removed. */
  v1Params: Record<string, string>;
  /** The v2 request sent, as the client reports it (credentials redacted). */
  v2Request?: PlainRequest;
  quirks: string[];
  mismatches: string[];
  v2Outcome?: string;
  answer: { httpStatus: number; body: string };
}

/** Longest value kept of any one parameter or request body; the rest is replaced by a note. */
export const MAX_KEPT_VALUE = 1_024;

export function clip(text: string, max: number = MAX_KEPT_VALUE): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters not kept)`;
}

/**
 * The most recent translations, oldest dropped first, within a count and a byte budget (the JSON
 * size of what is kept), so a stream of large calls cannot grow it. Callers keep only known v1
 * parameters and clip values (clip) before adding.
 */
export class TranslationLog {
  readonly #records: { record: TranslationRecord; bytes: number }[] = [];
  #bytes = 0;
  constructor(
    private readonly size: number,
    private readonly maxBytes: number = 1_000_000,
  ) {}

  add(record: TranslationRecord): void {
    if (this.size <= 0 || this.maxBytes <= 0) return;
    const bytes = JSON.stringify(record).length;
    if (bytes > this.maxBytes) return;
    this.#records.push({ record, bytes });
    this.#bytes += bytes;
    while (this.#records.length > this.size || this.#bytes > this.maxBytes) this.#bytes -= this.#records.shift()!.bytes;
  }

  /** The JSON size of what is kept. */
  get bytes(): number {
    return this.#bytes;
  }

  list(): TranslationRecord[] {
    return this.#records.map((r) => ({ ...r.record }));
  }
}
