import { redact } from '@cloudagent-phone/core';

export type LogFields = Record<string, unknown>;
export type LogMethod = (message: string, fields?: LogFields) => void;

/** Any object with some of these methods: console, pino, a test spy. Missing levels are skipped. */
export interface Logger {
  debug?: LogMethod;
  info?: LogMethod;
  warn?: LogMethod;
  error?: LogMethod;
}

export interface SafeLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** Whether debug lines go anywhere: a caller on the hot path skips building them otherwise. */
  debugEnabled: boolean;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Wraps a logger so that every message and every field goes through core's `redact`, with the
 * secrets known at the time of the line (the API key, the current token). This is the only way the
 * package logs.
 */
export function redactingLogger(logger: Logger | undefined, secrets: () => readonly (string | undefined)[]): SafeLogger {
  const out = { debugEnabled: typeof logger?.debug === 'function' } as SafeLogger;
  for (const level of LEVELS) {
    const method = logger?.[level];
    out[level] =
      typeof method === 'function'
        ? (message, fields) => {
            const known = { secrets: secrets() };
            const safeMessage = redact(message, known);
            try {
              if (fields === undefined) method.call(logger, safeMessage);
              else method.call(logger, safeMessage, redact(fields, known));
            } catch {
              // A logger that throws must not turn a sent mutation into a rejected promise: the
              // caller would never see the outcome and might send the change again.
            }
          }
        : () => {};
  }
  return out;
}
