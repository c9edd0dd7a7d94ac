import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output, wantsJson } from '../src/output.js';

function capture(json: boolean) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const output = new Output({ json, stdout, stderr });
  return { output, text: () => ({ out, err }) };
}

const KEY = 'CANARY-KEY-output-0001';

describe('Output', () => {
  it('prints one JSON document with the envelope fields, warnings included, secrets removed', () => {
    const { output, text } = capture(true);
    output.addSecret(KEY);
    output.warn(`something about ${KEY}`);
    output.finish({
      outcome: 'success',
      message: `done with ${KEY}`,
      result: { nested: { value: KEY } },
      request: { method: 'POST', url: 'https://h/x', headers: { apiKey: KEY }, body: `{"k":"${KEY}"}` },
      exitCode: 0,
    });
    output.finish({ outcome: 'unknown', message: 'second', result: null, request: null, exitCode: 1 });
    const { out, err } = text();
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['outcome', 'message', 'result', 'warnings', 'request']);
    expect(doc.warnings).toEqual(['something about [REDACTED]']);
    expect(out).not.toContain(KEY);
    expect(err).not.toContain(KEY);
    expect(err).toContain('Warning: something about [REDACTED]');
  });

  it('shows the result and lines given on purpose (the sandbox key) as they are, and still redacts the message', () => {
    for (const json of [true, false]) {
      const { output, text } = capture(json);
      const line = 'CLOUDAGENT_API_KEY=sandbox-test-key';
      output.finish({ outcome: 'success', message: `ready apiKey=${KEY}`, result: { exports: [line] }, request: null, exitCode: 0, shownOnPurpose: true }, { lines: [`export ${line}`] });
      const { out } = text();
      expect(out).toContain(json ? `"${line}"` : `export ${line}`);
      if (json) expect(JSON.parse(out).message).toBe('ready apiKey=[REDACTED]');
    }
    const { output, text } = capture(false);
    output.finish({ outcome: 'success', message: 'ready', result: null, request: null, exitCode: 0 }, { lines: ['export CLOUDAGENT_API_KEY=sandbox-test-key'] });
    expect(text().out).toBe('export CLOUDAGENT_API_KEY=[REDACTED]\n');
  });

  it('in human mode sends results to stdout and failures to stderr with the next step', () => {
    const { output, text } = capture(false);
    output.finish({ outcome: 'conflict', message: 'already exists', result: null, request: null, exitCode: 4 }, { hint: 'pick another' });
    const { out, err } = text();
    expect(out).toBe('');
    expect(err).toContain('Error (conflict, exit 4): already exists');
    expect(err).toContain('Next: pick another');
  });

  it('prints --verbose details only when asked', () => {
    const quiet = capture(false);
    quiet.output.detail('detail line');
    expect(quiet.text().err).toBe('');
    const loud = capture(false);
    loud.output.verbose = true;
    loud.output.detail('detail line');
    expect(loud.text().err).toBe('detail line\n');
  });
});

describe('wantsJson', () => {
  it('sees --json before a -- only', () => {
    expect(wantsJson(['phone', 'edit', '--json'])).toBe(true);
    expect(wantsJson(['phone', 'edit'])).toBe(false);
    expect(wantsJson(['x', '--', '--json'])).toBe(false);
  });
});
