import { redact } from '@cloudagent-phone/core';

/** Where log lines go. Default: one JSON line per call on stdout (console.log). */
export type LogSink = (line: string) => void;

export interface ShimLogger {
  /** One structured line. `secrets` are the call's known secrets (its API key), removed wherever they appear. */
  line(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>, secrets?: readonly (string | undefined)[]): void;
}

/**
 * Every line goes through core's redact, with the call's own key as a known secret on top of the
 * patterns, so neither a field nor a stray URL nor an error message can carry it out. The URL of a
 * v1 call is never logged at all: on v1 the key is in it (why Hono's stock logger is not used).
 */
export function createLogger(sink: LogSink = (line) => console.log(line), adminToken?: string): ShimLogger {
  return {
    line(level, message, fields, secrets = []) {
      const record = redact({ level, msg: message, ...fields }, { secrets: [...secrets, adminToken] });
      let text: string;
      try {
        text = JSON.stringify(record);
      } catch {
        text = JSON.stringify({ level, msg: message, note: 'fields not serialisable' });
      }
      sink(text);
    },
  };
}
