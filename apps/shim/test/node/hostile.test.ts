// The hostile-input suite on Node: the generated requests and the junk names in-process, then what
// only a real server on loopback shows (a 200 MB body, slow and aborted bodies, HEAD) and what
// only Node lets a test read (the process's memory).
import * as http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { configFromEnv } from '../../src/config.js';
import { startShim, type RunningShim } from '../../src/node.js';
import { expectBoundedAfterJunk, fuzzMalformed, junkRun } from '../hostile.js';
import { ADMIN_TOKEN, KEY, PATH, USER, makeHarness } from '../matrix.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settledHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

describe('hostile input, in-process', () => {
  it('5,000 generated malformed requests: no crash, no undocumented status, nothing sent, no key anywhere', async () => {
    const h = makeHarness({ env: { SHIM_MODE: 'verify' } });
    const { byDefect } = await fuzzMalformed(h, 5_000);
    // Every kind of defect was generated, many times.
    expect(byDefect.size).toBe(10);
    for (const count of byDefect.values()) expect(count).toBeGreaterThan(100);
  }, 120_000);

  it('10,000 junk user names: the real account keeps its label, junk shares one, and memory stays flat', async () => {
    const run = junkRun();
    expect((await run.real(1)).status).toBe(200);
    await run.send(0, 2_000);
    const before = settledHeap();
    await run.send(2_000, 8_000);
    const after = settledHeap();
    expect((await run.real(2)).status).toBe(200);
    await expectBoundedAfterJunk(run, 2);
    // 8,000 more junk calls, each with a user name and a v2 round trip: what stays is not per name.
    expect((after - before) / 1e6).toBeLessThan(5);
    expect(run.v2.calls()).toBeGreaterThan(9_000);
  }, 180_000);
});

describe('hostile input over a real socket', () => {
  let shim: RunningShim;
  let v2: RunningSimulator;
  const logs: string[] = [];

  beforeAll(async () => {
    v2 = await startSimulator({ userName: USER, apiKey: KEY });
    shim = await startShim({ config: configFromEnv({ CLOUDAGENT_BASE_URL: v2.url, SHIM_ADMIN_TOKEN: ADMIN_TOKEN, SHIM_BODY_TIMEOUT_MS: '500' }), log: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await shim.close();
    await v2.close();
  });

  /** A POST whose body is generated as it is written (never allocated whole); resolves with the answer, however the socket ends. */
  function post(options: { total: number; chunked: boolean; stallAfter?: number; abortAfter?: number }): Promise<{ status?: number; body: string; headers?: http.IncomingHttpHeaders; error?: string }> {
    const url = new URL(shim.url);
    return new Promise((resolve) => {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (!options.chunked) headers['content-length'] = String(options.total);
      const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: `${PATH}?userName=${USER}`, headers, agent: false });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      let done = false;
      const finish = (value: { status?: number; body: string; headers?: http.IncomingHttpHeaders; error?: string }) => {
        if (done) return;
        done = true;
        resolve(value);
        req.destroy();
      };
      const pump = () => {
        while (!done && sent < options.total) {
          const size = Math.min(chunk.length, options.total - sent, options.stallAfter ?? Infinity, options.abortAfter ?? Infinity);
          sent += size;
          const more = req.write(chunk.subarray(0, size));
          if (options.abortAfter !== undefined && sent >= options.abortAfter) {
            setTimeout(() => {
              req.destroy();
              finish({ body: '', error: 'aborted by the test' });
            }, 50);
            return;
          }
          if (options.stallAfter !== undefined && sent >= options.stallAfter) return; // never sends the rest
          if (!more) return void req.once('drain', pump);
        }
        if (!done && sent >= options.total) req.end();
      };
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => finish({ status: res.statusCode!, body, headers: res.headers }));
        res.on('error', () => finish({ status: res.statusCode!, body, headers: res.headers }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => finish({ body: '', error: e.code ?? e.message }));
      pump();
    });
  }

  it.each([
    ['declared in Content-Length', false],
    ['streamed (chunked)', true],
  ])('a 200 MB body %s is refused with 413 at the limit, and resident memory grows by less than 20 MB', async (_how, chunked) => {
    const rss = process.memoryUsage().rss;
    const answer = await post({ total: 200 * 1024 * 1024, chunked });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ status: 'error', message: expect.stringContaining('request body too large') });
    expect((process.memoryUsage().rss - rss) / 1e6).toBeLessThan(20);
    expect(logs.some((l) => l.includes('"reason":"body-too-large"'))).toBe(true);
  }, 60_000);

  it('a body that stalls is cut after the body timeout with 408, and the connection is freed', async () => {
    const answer = await post({ total: 1_000, chunked: false, stallAfter: 100 });
    expect(answer.status).toBe(408);
    expect(answer.headers?.connection).toBe('close');
    expect(JSON.parse(answer.body).message).toMatch(/not received in time/);
  }, 30_000);

  it('a client that aborts mid-body is logged at info, never as an error or a 500', async () => {
    const before = logs.length;
    await post({ total: 1_000, chunked: false, abortAfter: 100 });
    await expect.poll(() => logs.slice(before).some((l) => l.includes('"reason":"client-aborted"')), { timeout: 10_000 }).toBe(true);
    const lines = logs.slice(before).map((l) => JSON.parse(l) as { level: string; httpStatus?: number });
    expect(lines.every((l) => l.level === 'info')).toBe(true);
    expect(lines.some((l) => l.httpStatus === 500)).toBe(false);
  }, 30_000);

  it('HEAD on a mutating v1 URL is 405 with Allow: GET, POST, and nothing reaches v2', async () => {
    const before = v2.control.calls().length;
    const response = await fetch(`${shim.url}${PATH}?action=edit&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B919876543210&phoneName=Support&PhoneNameNew=Renamed`, { method: 'HEAD' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(v2.control.calls().length).toBe(before);
  });

  it('a query over 8 KB is 414, in v1 shape', async () => {
    const response = await fetch(`${shim.url}${PATH}?action=create&skill=${'s'.repeat(9 * 1024)}`);
    expect(response.status).toBe(414);
    expect(await response.json()).toEqual({ status: 'error', message: expect.stringContaining('request URL too long') });
  });
});
