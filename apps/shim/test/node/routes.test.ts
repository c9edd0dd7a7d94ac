// The shim's route table on Node (test/routes.ts): every route, every method, HEAD and 404 included.
import { describe, it } from 'vitest';
import { ROUTE_CASES, checkRoute } from '../routes.js';

describe('every route of the shim, on Node', () => {
  it.each(ROUTE_CASES)('$method $path ($name)', checkRoute);
});
