import { V2_CALL, type Language } from './languages.js';

/** What a finding is about. */
export type FindingKind = 'v1-endpoint' | 'v1-new-name-key' | 'api-key-in-query';

export interface ScanRule {
  kind: FindingKind;
  pattern: RegExp;
  /** Only in files that also name the v1 endpoint: the pattern alone is too common to be sure. */
  needsEndpointInFile?: boolean;
  /** Lines that match this are not findings (e.g. a v2 header that is already right). */
  unless?: RegExp;
  /** What to write instead, for this language. */
  v2Form(language: Language): string;
  /** Why it must change, one sentence. */
  reason: string;
}

const HEADER_HINT = 'send the key as the `apiKey` request header (v2), never in the URL';

export const RULES: readonly ScanRule[] = [
  {
    kind: 'v1-endpoint',
    pattern: /CAServices\/PhoneManageV2\.php/i,
    v2Form: (language) => V2_CALL[language],
    reason: 'the v1 endpoint is deprecated (30 April 2025): call /ca_apis/PhoneManageV2 with a JSON POST',
  },
  {
    kind: 'v1-new-name-key',
    // Case-sensitive on purpose: the v2 body's key is `phoneNameNew`, which must not be flagged.
    pattern: /\bPhoneNameNew\b/,
    v2Form: () => 'phoneNameNew (lower-case p) as a field of the v2 JSON body',
    reason: 'v1 spelled the new-name parameter PhoneNameNew; the v2 body spells it phoneNameNew',
  },
  {
    kind: 'api-key-in-query',
    pattern: /[?&](?:apiKey|api_key|apikey)=/i,
    v2Form: () => HEADER_HINT,
    reason: 'an API key in a query string ends up in access logs, proxies and browser history',
  },
  {
    kind: 'api-key-in-query',
    // The key as an entry of a parameter map that a v1 call turns into a query string:
    // PHP 'apiKey' => ..., JS { apiKey: ... } / params.append('apiKey', ...), Python {"apiKey": ...},
    // Ruby apiKey: / "apiKey" => / :apiKey =>, Java .queryParam("apiKey", ...), and the same keys in
    // a configuration file that names the endpoint (YAML apiKey:, JSON "apiKey":).
    pattern: /(?:(['"])(?:apiKey|api_key)\1\s*(?:=>|:|,)|\b(?:apiKey|api_key)\s*:(?!:)|:(?:apiKey|api_key)\s*=>)/,
    needsEndpointInFile: true,
    unless: /header/i,
    v2Form: () => HEADER_HINT,
    reason: 'in a v1 call the apiKey parameter travels in the query string',
  },
];
