import { redact } from '@cloudagent-phone/core';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogFields {
  [key: string]: unknown;
}

/** Where finished log lines go: one JSON string a line. Defaults to console (Workers Logs, stdout). */
export type LogSink = (line: string, level: LogLevel) => void;

export interface EdgeLogger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

export const consoleSink: LogSink = (line, level) => {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
};

/**
 * Structured JSON lines, each passed through core's `redact` with every configured API key named,
 * so a key cannot reach a log line by any route (an upstream message, an error, a URL).
 */
export function createLogger(secrets: readonly string[], sink: LogSink = consoleSink): EdgeLogger {
  return {
    log(level, message, fields = {}) {
      // Redacting the finished line (one string) rather than each field costs one pass, and sees
      // exactly what is written.
      const line = JSON.stringify({ level, msg: message, time: new Date().toISOString(), ...fields });
      sink(redact(line, { secrets }), level);
    },
  };
}
