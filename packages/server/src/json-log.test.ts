import { describe, expect, it } from 'vitest';
import { createJsonLogger, type LogLevel } from './json-log.js';

const CANARY = 'CANARY-KEY-3f9a1c77d2e4';

function capture() {
  const lines: { line: string; level: LogLevel }[] = [];
  return { lines, sink: (line: string, level: LogLevel) => lines.push({ line, level }), records: () => lines.map((l) => JSON.parse(l.line) as Record<string, unknown>) };
}

describe('createJsonLogger', () => {
  it('writes one JSON object a line: level, msg, an ISO time, then the fields', () => {
    const out = capture();
    createJsonLogger({ sink: out.sink }).log('info', 'request', { status: 200, path: '/phone-numbers' });
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]!.level).toBe('info');
    expect(out.lines[0]!.line).not.toContain('\n');
    const [record] = out.records();
    expect(record).toEqual({ level: 'info', msg: 'request', time: expect.any(String), status: 200, path: '/phone-numbers' });
    expect(new Date(record!.time as string).toISOString()).toBe(record!.time);
  });

  it("removes the logger's secrets and the call's own, wherever they appear", () => {
    const out = capture();
    const logger = createJsonLogger({ sink: out.sink, secrets: ['ADMIN-TOKEN-0123456789', undefined] });
    logger.log('warn', `upstream said ${CANARY}`, { url: `http://127.0.0.1/x?k=${encodeURIComponent(CANARY)}`, nested: { note: `got "${CANARY}"` }, admin: 'ADMIN-TOKEN-0123456789' }, [CANARY]);
    const text = out.lines[0]!.line;
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(encodeURIComponent(CANARY));
    expect(text).not.toContain('ADMIN-TOKEN-0123456789');
    expect(text).toContain('[REDACTED]');
    expect(out.records()[0]!.msg).toBe('upstream said [REDACTED]');
  });

  it('redacts credentials it was not told about: credential-named fields, URL parameters, bearer headers', () => {
    const out = capture();
    createJsonLogger({ sink: out.sink }).log('error', 'failed', {
      apiKey: 'unnamed-key-value-1',
      target: new URL('http://127.0.0.1/CAServices/PhoneManage.php?apiKey=unnamed-key-value-2&action=add'),
      header: 'Authorization: Bearer unnamed-token-value-3',
    });
    const text = out.lines[0]!.line;
    for (const value of ['unnamed-key-value-1', 'unnamed-key-value-2', 'unnamed-token-value-3']) expect(text).not.toContain(value);
    expect(out.records()[0]!.target).toBe('http://127.0.0.1/CAServices/PhoneManage.php?apiKey=[REDACTED]&action=add');
  });

  it('removes a secret that JSON escapes (quotes, backslashes) as it is written', () => {
    const out = capture();
    const odd = 'odd"key\\with-escapes-42';
    createJsonLogger({ sink: out.sink, secrets: [odd] }).log('info', 'call', { echoed: `v2 said ${odd}` });
    expect(out.lines[0]!.line).not.toContain(JSON.stringify(odd).slice(1, -1));
    expect(out.records()[0]!.echoed).toBe('v2 said [REDACTED]');
  });

  it('still writes a line when the fields cannot be serialised', () => {
    const out = capture();
    const cycle: Record<string, unknown> = { note: CANARY };
    cycle.self = cycle;
    createJsonLogger({ sink: out.sink }).log('error', `boom ${CANARY}`, { big: 10n }, [CANARY]);
    createJsonLogger({ sink: out.sink }).log('error', `boom ${CANARY}`, { cycle }, [CANARY]);
    const expected = { level: 'error', msg: 'boom [REDACTED]', time: expect.any(String), note: 'fields not serialisable' };
    expect(out.records()).toEqual([expected, expected]);
  });

  it('sends error and warn lines to console.error and console.warn by default, the rest to console.log', () => {
    const seen: [string, string][] = [];
    const saved = { log: console.log, warn: console.warn, error: console.error };
    console.log = (line: string) => seen.push(['log', line]);
    console.warn = (line: string) => seen.push(['warn', line]);
    console.error = (line: string) => seen.push(['error', line]);
    try {
      const logger = createJsonLogger();
      for (const level of ['debug', 'info', 'warn', 'error'] as const) logger.log(level, level);
    } finally {
      Object.assign(console, saved);
    }
    expect(seen.map(([channel, line]) => [channel, (JSON.parse(line) as { msg: string }).msg])).toEqual([
      ['log', 'debug'],
      ['log', 'info'],
      ['warn', 'warn'],
      ['error', 'error'],
    ]);
  });
});
