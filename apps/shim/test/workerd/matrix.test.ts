// The same legacy-client matrix as on Node, run inside workerd: the shim's runtime-neutral app with
// the simulator in the same isolate as v2 (its fetch injected into the fetch transport).
import { describe, expect, it } from 'vitest';
import { describeLegacyMatrix } from '../legacy-matrix.js';

describe('the runtime', () => {
  it('is workerd, not Node', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers');
  });
});

describeLegacyMatrix('inside workerd');
