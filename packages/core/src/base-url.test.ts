import { describe, expect, it } from 'vitest';
import { checkBaseUrl, isLoopbackHost } from './base-url.js';

describe('checkBaseUrl', () => {
  it.each([
    ['https://in1-ccaas-api.ozonetel.com', 'https://in1-ccaas-api.ozonetel.com'],
    ['https://in1-ccaas-api.ozonetel.com/', 'https://in1-ccaas-api.ozonetel.com'],
    ['HTTPS://Partner.Example:8443/prefix//', 'https://partner.example:8443/prefix'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://127.9.8.7', 'http://127.9.8.7'],
    ['http://localhost:8080/', 'http://localhost:8080'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
  ])('accepts %s as %s', (given, url) => {
    expect(checkBaseUrl(given)).toEqual({ ok: true, url });
  });

  it.each(['http://in1-ccaas-api.ozonetel.com', 'http://10.0.0.5', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example'])(
    'refuses plain http to %s (the key would travel in clear)',
    (given) => {
      expect(checkBaseUrl(given)).toMatchObject({ ok: false, rule: 'base-url-https' });
    },
  );

  it('allows plain http only to the exact origins the caller names', () => {
    expect(checkBaseUrl('http://simulator.invalid', { allowHttpOrigins: ['http://simulator.invalid'] })).toEqual({ ok: true, url: 'http://simulator.invalid' });
    expect(checkBaseUrl('http://simulator.invalid:81', { allowHttpOrigins: ['http://simulator.invalid'] })).toMatchObject({ ok: false, rule: 'base-url-https' });
  });

  it.each(['https://user:pass@host.example', 'https://user@host.example', 'https://host.example/?apiKey=k', 'https://host.example/#x'])(
    'refuses %s, and never quotes it',
    (given) => {
      const result = checkBaseUrl(given);
      expect(result).toMatchObject({ ok: false, rule: 'base-url-bare' });
      if (!result.ok) expect(result.message).not.toMatch(/pass|user@|apiKey=k/);
    },
  );

  it.each(['', 'in1-ccaas-api.ozonetel.com', 'ftp://host.example', 'https://', 'https://ho st.example', 'https://host.example:99999', 'https://host.example/a b'])(
    'refuses %j as not a URL',
    (given) => {
      expect(checkBaseUrl(given)).toMatchObject({ ok: false, rule: 'base-url-format' });
    },
  );

  it('knows loopback from look-alikes', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['128.0.0.1', 'localhost.example', '0.0.0.0', '::2'].some(isLoopbackHost)).toBe(false);
  });
});
