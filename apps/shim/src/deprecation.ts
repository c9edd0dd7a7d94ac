import { V1_DEPRECATED_AT } from './config.js';

/**
 * Headers that let a legacy caller's own tooling notice it is on a deprecated API:
 * - `Deprecation` (RFC 9745): a structured-field Date, `@` and Unix seconds, of the vendor's date;
 * - `Sunset` (RFC 8594): an HTTP-date after which the v1 door may stop answering;
 * - `Link` to the migration guide, as `rel="deprecation"` (RFC 9745) and `rel="sunset"` (RFC 8594).
 */
export function deprecationHeaders(options: { migrationGuideUrl: string; sunsetAt: number; deprecatedAt?: number }): Record<string, string> {
  const deprecatedAt = options.deprecatedAt ?? V1_DEPRECATED_AT;
  return {
    Deprecation: `@${Math.floor(deprecatedAt / 1000)}`,
    Sunset: new Date(options.sunsetAt).toUTCString(),
    Link: `<${options.migrationGuideUrl}>; rel="deprecation"; type="text/html", <${options.migrationGuideUrl}>; rel="sunset"; type="text/html"`,
  };
}
