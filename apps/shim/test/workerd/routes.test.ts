// The shim's route table inside workerd (test/routes.ts): the same cases as on Node.
import { describe, expect, it } from 'vitest';
import { ROUTE_CASES, checkRoute } from '../routes.js';

describe('every route of the shim, inside workerd', () => {
  it('the runtime is workerd', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers');
  });

  it.each(ROUTE_CASES)('$method $path ($name)', checkRoute);
});
