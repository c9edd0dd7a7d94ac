import type { V1Quirk } from '@cloudagent-phone/core';

/**
 * Legacy habits the shim rescued, counted per account so operators see who still needs them.
 * core's three (raw + read as a space, phoneNameNew, key aliases) plus the shapes only the front
 * door can see.
 */
export type ShimQuirk =
  | V1Quirk
  | 'leading-ampersand' // "?&userName=...": a base URL that already ended in "?"
  | 'duplicate-key' // the same parameter twice; the last one wins, as in PHP
  | 'query-and-body' // parameters split between the query string and a form body, merged as $_REQUEST
  | 'form-post' // a form-encoded POST instead of a GET
  | 'post-with-query' // a POST whose parameters are all in the query string (axios-style)
  | 'empty-skill'; // an empty entry in a skill list, dropped (v1 reported it as a skills failure)

export const SHIM_QUIRKS: readonly ShimQuirk[] = [
  'plus-as-space',
  'lowercase-new-name-key',
  'alias-key',
  'leading-ampersand',
  'duplicate-key',
  'query-and-body',
  'form-post',
  'post-with-query',
  'empty-skill',
];

/**
 * Where the shim's reading of a call might not be what the caller meant, or its answer is not one
 * v1 ever gave. Each is counted; in verify mode the translation is recorded too.
 */
export type TranslationMismatch =
  | 'conflicting-duplicate' // a key repeated with different values: the last won
  | 'query-body-conflict' // the same key in the query and the body with different values: the body won
  | 'both-new-name-spellings' // PhoneNameNew and phoneNameNew with different values: PhoneNameNew won
  | 'unused-parameter' // a parameter this action does not read (v1 ignored it too)
  | 'ignored-body' // a POST body that is not a form (PHP does not read JSON into $_REQUEST)
  | 'no-v1-message' // the answer is not one of v1's documented messages (shim-only or v2's own words)
  | 'shadow-mismatch'; // shadow mode: v2's record differs from what v1 just wrote
