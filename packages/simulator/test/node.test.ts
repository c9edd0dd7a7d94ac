import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/node.js';
import { KEY, USER } from './helpers.js';
import { httpRequest } from './http.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const start = async (extra: Parameters<typeof startSimulator>[0] = {}) => {
  sim = await startSimulator({ port: 0, userName: USER, apiKey: KEY, records: [{ phoneNumber: '9876543210', phoneName: 'Desk1' }], ...extra });
  return sim;
};
const json = { 'content-type': 'application/json', apiKey: KEY };
const editBody = JSON.stringify({ action: 'edit', userName: USER, phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543211', phoneNameNew: 'Desk2' });

describe('startSimulator (Node entry)', () => {
  it('listens on an ephemeral port on 127.0.0.1 by default', async () => {
    const s = await start();
    expect(s.port).toBeGreaterThan(0);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
  });

  it('answers v2 get sent as a GET with a JSON body over a real socket', async () => {
    const s = await start();
    const r = await httpRequest(`${s.url}/ca_apis/PhoneManageV2`, 'GET', json, JSON.stringify({ action: 'get', userName: USER, phoneNumber: '9876543210' }));
    expect(r.status).toBe(200);
    expect(r.text).toBe('{"phoneNumber":"9876543210","phoneName":"Desk1"}');
    expect(s.control.calls().at(-1)).toMatchObject({ method: 'GET', action: 'get', params: { phoneNumber: '9876543210' } });
  });

  it('a GET without a body is the invalid-JSON answer', async () => {
    const s = await start();
    const r = await httpRequest(`${s.url}/ca_apis/PhoneManageV2?action=get&userName=${USER}&phoneNumber=9876543210`, 'GET', json);
    expect(JSON.parse(r.text)).toEqual({ status: 'false', message: 'Invalid Json Pass Valid Json' });
  });

  it('drop-before closes the socket with no answer and applies nothing; the server keeps serving', async () => {
    const s = await start();
    s.control.setFaults({ queue: [{ kind: 'drop-before' }] });
    await expect(httpRequest(`${s.url}/ca_apis/PhoneManageV2`, 'POST', json, editBody)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
    expect(s.control.applyCount()).toBe(0);
    const next = await httpRequest(`${s.url}/ca_apis/PhoneManageV2`, 'POST', json, editBody);
    expect(JSON.parse(next.text)).toEqual({ status: 'success', message: 'record inserted successfully' });
  });

  it('drop-after closes the socket after applying the change', async () => {
    const s = await start();
    s.control.setFaults({ queue: [{ kind: 'drop-after' }] });
    await expect(httpRequest(`${s.url}/ca_apis/PhoneManageV2`, 'POST', json, editBody)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
    expect(s.control.applyCount()).toBe(1);
    expect(s.control.records()).toEqual([{ phoneNumber: '9876543211', phoneName: 'Desk2', skills: [] }]);
  });

  it('drops work through fetch too (undici sees a failed fetch)', async () => {
    const s = await start();
    s.control.setFaults({ queue: [{ kind: 'drop-after' }] });
    await expect(fetch(`${s.url}/ca_apis/PhoneManageV2`, { method: 'POST', headers: json, body: editBody })).rejects.toThrow(TypeError);
    expect(s.control.applyCount()).toBe(1);
  });

  it('garbled and html faults arrive over the socket as sent', async () => {
    const s = await start();
    s.control.setFaults({ queue: [{ kind: 'garbled' }, { kind: 'html-error', status: 504 }] });
    const garbled = await httpRequest(`${s.url}/ca_apis/PhoneManageV2`, 'POST', json, editBody);
    expect(garbled.status).toBe(200);
    expect(() => JSON.parse(garbled.text)).toThrow();
    const html = await httpRequest(`${s.url}/ca_apis/PhoneManageV2`, 'POST', json, editBody);
    expect(html.status).toBe(504);
    expect(html.headers['content-type']).toBe('text/html');
  });

  it('garbled with truncate "connection": half the announced body, then a reset', async () => {
    const s = await start();
    s.control.setFaults({ queue: [{ kind: 'garbled', truncate: 'connection' }] });
    const seen = await new Promise<{ status: number; partial: string; error: string }>((resolve) => {
      const req = request(`${s.url}/ca_apis/PhoneManageV2`, { method: 'POST', headers: { ...json, 'content-length': String(Buffer.byteLength(editBody)) } }, (res) => {
        let partial = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (partial += c));
        res.on('aborted', () => resolve({ status: res.statusCode ?? 0, partial, error: 'aborted' }));
        res.on('error', (e) => resolve({ status: res.statusCode ?? 0, partial, error: (e as NodeJS.ErrnoException).code ?? e.message }));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, partial, error: 'none' }));
      });
      req.end(editBody);
    });
    expect(seen.status).toBe(200);
    expect(seen.error).not.toBe('none');
    expect('{"status":"success","message":"record inserted successfully"}'.startsWith(seen.partial)).toBe(true);
    expect(seen.partial.length).toBeGreaterThan(0);
    expect(s.control.applyCount()).toBe(1);
    // The server is still healthy afterwards.
    const next = await httpRequest(`${s.url}/ca_apis/PhoneManageV2`, 'GET', json, JSON.stringify({ action: 'get', userName: USER, phoneNumber: '9876543211' }));
    expect(next.status).toBe(200);
  });

  it('latency longer than the client waits: the client gives up, and the edit still lands', async () => {
    const s = await start();
    s.control.setFaults({ queue: [{ kind: 'latency', ms: 1_000 }] });
    const controller = new AbortController();
    const pending = fetch(`${s.url}/ca_apis/PhoneManageV2`, { method: 'POST', headers: json, body: editBody, signal: controller.signal });
    while (s.control.calls().length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    expect(s.control.applyCount()).toBe(0);
    while (s.control.applyCount() === 0) await new Promise((r) => setTimeout(r, 20));
    expect(s.control.records()).toEqual([{ phoneNumber: '9876543211', phoneName: 'Desk2', skills: [] }]);
  });

  it('latency with abortable: true stops when the client gives up, and nothing lands', async () => {
    const s = await start();
    s.control.setFaults({ queue: [{ kind: 'latency', ms: 60_000, abortable: true }] });
    const controller = new AbortController();
    const pending = fetch(`${s.url}/ca_apis/PhoneManageV2`, { method: 'POST', headers: json, body: editBody, signal: controller.signal });
    while (s.control.calls().length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    while (!s.control.calls()[0]?.aborted) await new Promise((r) => setTimeout(r, 5));
    expect(s.control.applyCount()).toBe(0);
    expect(s.control.records()).toEqual([{ phoneNumber: '9876543210', phoneName: 'Desk1', skills: [] }]);
  });

  it('close() returns even with keep-alive connections open', async () => {
    const s = await start();
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      request(`${s.url}/nope`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    await s.close();
    sim = undefined;
    agent.destroy();
    await expect(httpRequest(`${s.url}/nope`, 'GET')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
