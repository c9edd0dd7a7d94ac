import { describe, expect, it } from 'vitest';
import { jobRateFrom } from './job-rate-config.js';

describe('BULK_JOB_RATE_PER_MINUTE (both runtimes)', () => {
  it('unset or blank: no rate of its own (the default applies); a whole number from 1: that rate', () => {
    expect(jobRateFrom({})).toEqual({ ok: true });
    expect(jobRateFrom({ BULK_JOB_RATE_PER_MINUTE: '  ' })).toEqual({ ok: true });
    expect(jobRateFrom({ BULK_JOB_RATE_PER_MINUTE: '120' })).toEqual({ ok: true, ratePerMinute: 120 });
  });

  it('anything else is an issue naming the variable and its rule, never the value', () => {
    for (const bad of ['0', '-5', '1.5', 'fast', '1e3x', 's3cret-canary']) {
      const result = jobRateFrom({ BULK_JOB_RATE_PER_MINUTE: bad });
      expect(result.ok, bad).toBe(false);
      if (result.ok) continue;
      expect(result.issues).toEqual([expect.objectContaining({ variable: 'BULK_JOB_RATE_PER_MINUTE', rule: 'whole-number' })]);
      expect(JSON.stringify(result.issues)).not.toContain(bad === '0' ? '"0"' : bad);
    }
  });
});
