import { describe, expect, it } from 'vitest';
import { DEFAULT_UPSTREAM_CONNECTIONS, parseNodeConfig } from './node-config.js';

describe('parseNodeConfig (the Node edge\'s own variables)', () => {
  it('defaults: 32 connections, no bulk-job rate of its own', () => {
    expect(DEFAULT_UPSTREAM_CONNECTIONS).toBe(32);
    expect(parseNodeConfig({})).toEqual({ ok: true, config: { upstreamConnections: 32 } });
    expect(parseNodeConfig({ UPSTREAM_CONNECTIONS: ' ', BULK_JOB_RATE_PER_MINUTE: '' })).toEqual({ ok: true, config: { upstreamConnections: 32 } });
  });

  it('reads UPSTREAM_CONNECTIONS from 1 to 1024 and BULK_JOB_RATE_PER_MINUTE from 1', () => {
    expect(parseNodeConfig({ UPSTREAM_CONNECTIONS: '1', BULK_JOB_RATE_PER_MINUTE: '3000' })).toEqual({ ok: true, config: { upstreamConnections: 1, bulkJobRatePerMinute: 3000 } });
    expect(parseNodeConfig({ UPSTREAM_CONNECTIONS: ' 1024 ' })).toEqual({ ok: true, config: { upstreamConnections: 1024 } });
  });

  it('names each bad variable and its rule, never the value', () => {
    expect(parseNodeConfig({ UPSTREAM_CONNECTIONS: '4096', BULK_JOB_RATE_PER_MINUTE: '-5' })).toEqual({
      ok: false,
      issues: [
        { variable: 'UPSTREAM_CONNECTIONS', rule: 'whole-number', message: 'UPSTREAM_CONNECTIONS must be a whole number from 1 to 1024' },
        { variable: 'BULK_JOB_RATE_PER_MINUTE', rule: 'whole-number', message: 'BULK_JOB_RATE_PER_MINUTE must be a whole number, 1 or more' },
      ],
    });
  });
});
