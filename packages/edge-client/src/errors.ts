/**
 * The edge could not be reached, or did not answer within the timeout, on every attempt. For a
 * mutation the change may have been applied: retry with the same `idempotencyKey` (the edge answers
 * a repeat with the first answer, never applying it twice), or look the number up.
 */
export class EdgeConnectionError extends Error {
  override readonly name = 'EdgeConnectionError';

  constructor(
    message: string,
    readonly details: {
      attempts: number;
      /** True for a mutation that was sent at least once: nobody can say whether it landed. */
      mayHaveApplied: boolean;
      idempotencyKey: string | undefined;
      cause: unknown;
    },
  ) {
    super(message, { cause: details.cause });
  }
}
