import type { CloseOptions } from './serve.js';

export interface StopOnSignalsOptions extends CloseOptions {
  /** Default SIGINT and SIGTERM (Ctrl-C, and what a process manager or container runtime sends). */
  signals?: readonly NodeJS.Signals[];
  /** Told when the stop failed; default: the error's message on stderr. */
  onError?: (error: unknown) => void;
  /** Default process.exit. */
  exit?: (code: number) => void;
}

/**
 * Stops a server cleanly on the first signal (its requests in flight get `graceMs`, default 10 s,
 * then the process exits 0), and exits at once (1) on a second, for whoever does not want to wait.
 * Returns a function that removes the handlers.
 */
export function stopOnSignals(target: { close(options?: CloseOptions): Promise<void> }, options: StopOnSignalsOptions = {}): () => void {
  const { signals = ['SIGINT', 'SIGTERM'], graceMs = 10_000, exit = (code) => process.exit(code) } = options;
  const onError = options.onError ?? ((error: unknown) => console.error(error instanceof Error ? error.message : String(error)));
  let stopping = false;
  const handler = () => {
    if (stopping) return exit(1);
    stopping = true;
    target.close({ graceMs }).then(
      () => exit(0),
      (error: unknown) => {
        onError(error);
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
