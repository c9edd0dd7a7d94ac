import { describe, expect, it } from 'vitest';
import { listenAddress } from './node-runtime.js';

describe('listenAddress (pnpm start)', () => {
  it('defaults to 127.0.0.1:8787, also when the variables are blank', () => {
    expect(listenAddress({})).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(listenAddress({ HOST: '', PORT: '' })).toEqual({ host: '127.0.0.1', port: 8787 });
  });

  it('reads HOST and PORT', () => {
    expect(listenAddress({ HOST: '0.0.0.0', PORT: '9000' })).toEqual({ host: '0.0.0.0', port: 9000 });
  });

  it('refuses a PORT that is not a port, naming it', () => {
    expect(() => listenAddress({ PORT: 'http' })).toThrow(/PORT must be a port number/);
    expect(() => listenAddress({ PORT: '70000' })).toThrow(/PORT/);
  });
});
