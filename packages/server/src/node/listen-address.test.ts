import { describe, expect, it } from 'vitest';
import { listenAddress } from './listen-address.js';

describe('listenAddress (pnpm start)', () => {
  it('defaults to 127.0.0.1:8787, also when the variables are blank', () => {
    expect(listenAddress({})).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(listenAddress({ HOST: '', PORT: '' })).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(listenAddress({ HOST: '  ', PORT: ' ' })).toEqual({ host: '127.0.0.1', port: 8787 });
  });

  it('reads HOST and PORT, trimmed; 0 is a port (any free one)', () => {
    expect(listenAddress({ HOST: '0.0.0.0', PORT: '9000' })).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(listenAddress({ HOST: ' ::1 ', PORT: ' 0 ' })).toEqual({ host: '::1', port: 0 });
  });

  it('takes other defaults', () => {
    expect(listenAddress({}, { port: 4010 })).toEqual({ host: '127.0.0.1', port: 4010 });
  });

  it('refuses a PORT that is not a port, naming the variable and the rule', () => {
    for (const bad of ['http', '70000', '-1', '80.5', '1e3', '0x50']) {
      expect(() => listenAddress({ PORT: bad }), bad).toThrow(`PORT must be a port number from 0 to 65535 (got "${bad}")`);
    }
  });
});
