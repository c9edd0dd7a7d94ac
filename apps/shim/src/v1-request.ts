import { parsePhpQuery, phpUrlDecode, rawQueryOf } from '@cloudagent-phone/core';
import type { ShimQuirk, TranslationMismatch } from './quirks.js';

/** The parts of an HTTP request the v1 door reads. */
export interface RawV1Request {
  method: string;
  /** The full URL as received: the query string must not have been re-encoded (a raw + matters). */
  url: string;
  contentType?: string;
  /** The body as text (form bodies); absent or '' for none. */
  body?: string;
}

export interface V1Parameters {
  /** $_REQUEST: the query, then a form body over it; the last duplicate wins. */
  params: Record<string, string>;
  /** The raw query string, without `?`, exactly as received (for pass-through to the legacy host). */
  rawQuery: string;
  quirks: ShimQuirk[];
  mismatches: TranslationMismatch[];
}

/** Every decoded key with its values in order, to see what PHP's last-wins rule hides. */
function pairsOf(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = phpUrlDecode(eq === -1 ? pair : pair.slice(0, eq));
    if (key === '') continue;
    const value = phpUrlDecode(eq === -1 ? '' : pair.slice(eq + 1));
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

const FORM = /^application\/x-www-form-urlencoded/i;

/**
 * Reads a v1 call the way PHP's $_REQUEST did (request_order "GP": the query, then a form body over
 * it), and notes the legacy habits and doubtful spots on the way. Pure.
 */
export function readV1Request(request: RawV1Request): V1Parameters {
  const quirks = new Set<ShimQuirk>();
  const mismatches = new Set<TranslationMismatch>();
  const rawQuery = rawQueryOf(request.url);
  const body = request.body ?? '';
  const isForm = request.method === 'POST' && FORM.test(request.contentType ?? '');
  const formText = isForm ? body : '';
  if (request.method === 'POST' && !isForm && body.trim() !== '') mismatches.add('ignored-body');

  if (/^&/.test(rawQuery)) quirks.add('leading-ampersand');
  const queryPairs = pairsOf(rawQuery);
  const formPairs = pairsOf(formText);
  for (const pairs of [queryPairs, formPairs]) {
    for (const values of pairs.values()) {
      if (values.length > 1) {
        quirks.add('duplicate-key');
        if (new Set(values).size > 1) mismatches.add('conflicting-duplicate');
      }
    }
  }
  if (request.method === 'POST') {
    if (formPairs.size > 0) quirks.add('form-post');
    else if (queryPairs.size > 0) quirks.add('post-with-query');
  }
  if (queryPairs.size > 0 && formPairs.size > 0) {
    quirks.add('query-and-body');
    for (const [key, values] of formPairs) {
      const fromQuery = queryPairs.get(key);
      if (fromQuery && fromQuery[fromQuery.length - 1] !== values[values.length - 1]) mismatches.add('query-body-conflict');
    }
  }
  const params = { ...parsePhpQuery(rawQuery), ...parsePhpQuery(formText) };
  if (params.PhoneNameNew !== undefined && params.phoneNameNew !== undefined && params.PhoneNameNew !== params.phoneNameNew) {
    mismatches.add('both-new-name-spellings');
  }
  return { params, rawQuery, quirks: [...quirks], mismatches: [...mismatches] };
}
