import { baseUrlOf, type EncodeOptions } from './encode-options.js';
import { V1_PATH, joinUrl } from './hosts.js';
import { isTokenCredentials, type Credentials, type PhoneOperation, type PlainRequest } from './operation.js';

function queryValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/g, ',');
}

/**
 * Encodes one operation for the legacy v1 endpoint: a GET with everything in the query string.
 * Encodes what it is given (validation is the schemas' job). encodeURIComponent sends + as %2B and a
 * space as %20, both of which PHP decodes back exactly; absent fields are not sent at all. The comma
 * that joins skills stays a comma (legal in a query, read the same by PHP), so the URL says
 * `assignSkill=General,QA_Skill` as the vendor's pages write it.
 *
 * v1 has no `get` action and no token auth: `get` is encoded all the same (the server answers
 * "action not valid"), while token credentials are a programmer error and throw.
 */
export function encodeV1(operation: PhoneOperation, credentials: Credentials, options?: EncodeOptions): PlainRequest {
  if (isTokenCredentials(credentials)) {
    throw new TypeError('encodeV1: v1 has no token authentication; pass { userName, apiKey } or use encodeV2');
  }
  const params: [string, string | string[] | undefined][] = [
    ['action', operation.action],
    ['apiKey', credentials.apiKey],
    ['userName', credentials.userName],
    ['phoneNumber', operation.phoneNumber],
    ['phoneName', operation.phoneName],
    ['phoneNumberNew', operation.phoneNumberNew],
    [options?.newNameKey ?? 'PhoneNameNew', operation.phoneNameNew],
    ['assignSkill', operation.assignSkill],
    ['unAssignSkill', operation.unAssignSkill],
    ['skill', operation.skill],
  ];
  // An empty skill list is absent too: sent as "assignSkill=" it would draw CloudAgent's "failed to
  // insert skills" partial success for a change that asked for no skills.
  const query = params
    .filter((p): p is [string, string | string[]] => p[1] !== undefined && !(Array.isArray(p[1]) && p[1].length === 0))
    .map(([k, v]) => `${k}=${queryValue(Array.isArray(v) ? v.join(',') : v)}`)
    .join('&');
  return {
    method: 'GET',
    url: `${joinUrl(baseUrlOf(options), V1_PATH)}?${query}`,
    headers: { Accept: 'application/json' },
  };
}
