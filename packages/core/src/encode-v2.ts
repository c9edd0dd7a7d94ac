import { baseUrlOf, type EncodeOptions } from './encode-options.js';
import { V2_PATH, V2_TOKEN_PATH, joinUrl } from './hosts.js';
import { isTokenCredentials, type Credentials, type PhoneOperation, type PlainRequest } from './operation.js';

// Header names are spelled as the vendor's pages spell them (`apiKey`, `Authorization`,
// `Content-Type`): HTTP does not care, but people reading a --dry-run or a test do.

/** The credential header: `apiKey` for BASIC_AUTH accounts, a bearer token for TOKEN_AUTH ones. */
export function authHeaders(credentials: Credentials): Record<string, string> {
  return isTokenCredentials(credentials)
    ? { Authorization: `Bearer ${credentials.token}` }
    : { apiKey: credentials.apiKey };
}

/** The v2 request headers, built without spreading (once per request, on the hot path). */
function jsonHeaders(credentials: Credentials): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (isTokenCredentials(credentials)) headers.Authorization = `Bearer ${credentials.token}`;
  else headers.apiKey = credentials.apiKey;
  return headers;
}

function plus(value: string, mode: EncodeOptions['plusInJson']): string {
  return mode === 'percent' && value.startsWith('+') ? `%2B${value.slice(1)}` : value;
}

/**
 * Encodes one operation for v2: a JSON body, the credential in a header and never in the URL or
 * body. create, edit and delete are POSTs; `get` is a GET with a JSON body, exactly as documented
 * (fetch cannot send that; the node:http transport can). Skills are comma-joined strings, as in the
 * vendor's sample body.
 */
export function encodeV2(operation: PhoneOperation, credentials: Credentials, options?: EncodeOptions): PlainRequest {
  const mode = options?.plusInJson;
  const body: Record<string, string> = { action: operation.action, userName: credentials.userName };
  if (operation.phoneNumber !== undefined) body.phoneNumber = plus(operation.phoneNumber, mode);
  if (operation.phoneName !== undefined) body.phoneName = operation.phoneName;
  if (operation.phoneNumberNew !== undefined) body.phoneNumberNew = plus(operation.phoneNumberNew, mode);
  if (operation.phoneNameNew !== undefined) body[options?.newNameKey ?? 'phoneNameNew'] = operation.phoneNameNew;
  // An empty list is not sent: "assignSkill":"" draws the "failed to insert skills" partial success.
  if (operation.assignSkill?.length) body.assignSkill = operation.assignSkill.join(',');
  if (operation.unAssignSkill?.length) body.unAssignSkill = operation.unAssignSkill.join(',');
  if (operation.skill?.length) body.skill = operation.skill.join(',');
  return {
    method: operation.action === 'get' ? 'GET' : 'POST',
    url: joinUrl(baseUrlOf(options), V2_PATH),
    headers: jsonHeaders(credentials),
    body: JSON.stringify(body),
  };
}

/** The CAToken request that turns an API key into a 60-minute token (TOKEN_AUTH accounts). */
export function encodeTokenRequest(credentials: { userName: string; apiKey: string }, options?: Pick<EncodeOptions, 'baseUrl'>): PlainRequest {
  return {
    method: 'POST',
    url: joinUrl(baseUrlOf(options), V2_TOKEN_PATH),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', apiKey: credentials.apiKey },
    body: JSON.stringify({ userName: credentials.userName }),
  };
}
