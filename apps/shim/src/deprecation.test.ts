import { describe, expect, it } from 'vitest';
import { deprecationHeaders } from './deprecation.js';

describe('deprecationHeaders', () => {
  it('gives RFC 9745 Deprecation as @unix-seconds of 30 April 2025, RFC 8594 Sunset as an HTTP-date, and the guide as Link', () => {
    const h = deprecationHeaders({ migrationGuideUrl: 'https://example.test/guide', sunsetAt: Date.UTC(2026, 11, 31) });
    expect(h.Deprecation).toBe('@1745971200');
    expect(new Date(1745971200 * 1000).toISOString()).toBe('2025-04-30T00:00:00.000Z');
    expect(h.Sunset).toBe('Thu, 31 Dec 2026 00:00:00 GMT');
    expect(h.Link).toBe('<https://example.test/guide>; rel="deprecation"; type="text/html", <https://example.test/guide>; rel="sunset"; type="text/html"');
  });
});
