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

/** The most recent translations, oldest dropped first. */
export class TranslationLog {
  readonly #records: TranslationRecord[] = [];
  constructor(private readonly size: number) {}

  add(record: TranslationRecord): void {
    if (this.size <= 0) return;
    this.#records.push(record);
    if (this.#records.length > this.size) this.#records.splice(0, this.#records.length - this.size);
  }

  list(): TranslationRecord[] {
    return this.#records.map((r) => ({ ...r }));
  }
}
