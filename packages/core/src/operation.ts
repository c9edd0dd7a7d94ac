/** The four actions PhoneManageV2 knows. `get` exists on v2 only. No "list" is documented. */
export type PhoneAction = 'create' | 'edit' | 'delete' | 'get';

export const PHONE_ACTIONS: readonly PhoneAction[] = ['create', 'edit', 'delete', 'get'];

/** Create, edit and delete change state and are not idempotent; get does not. */
export function isMutation(action: PhoneAction): boolean {
  return action !== 'get';
}

/**
 * One PhoneManageV2 call, in the vendor's own field names. Which fields matter depends on
 * `action` (see the schemas). Skills are arrays here; the encoders comma-join them.
 */
export interface PhoneOperation {
  action: PhoneAction;
  /** create: the new number. edit, delete: the existing number. get: the number to look up. */
  phoneNumber?: string;
  /** create: the new name. edit, delete: the existing name. get: the name to look up. */
  phoneName?: string;
  /** edit: the number after the edit. */
  phoneNumberNew?: string;
  /** edit: the name after the edit (sent as `PhoneNameNew` on v1; see encode-options.ts for v2). */
  phoneNameNew?: string;
  /** edit: skills to assign. */
  assignSkill?: string[];
  /** edit: skills to unassign. */
  unAssignSkill?: string[];
  /** create: skills to assign (the vendor's parameter is singular, `skill`). */
  skill?: string[];
}

/** Basic-auth accounts send the API key; TOKEN_AUTH accounts (v2 only) send a bearer token. */
export type Credentials = ApiKeyCredentials | TokenCredentials;

export interface ApiKeyCredentials {
  userName: string;
  apiKey: string;
}

export interface TokenCredentials {
  userName: string;
  token: string;
}

export function isTokenCredentials(credentials: Credentials): credentials is TokenCredentials {
  return typeof (credentials as TokenCredentials).token === 'string';
}

/** A request as plain data: what a transport sends. Headers are a plain object, body a string. */
export interface PlainRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A response as plain data: what a transport returns and `classify` reads. */
export interface PlainResponse {
  status: number;
  headers?: Record<string, string | string[] | undefined>;
  /** The body as text, exactly as received. */
  body: string;
}

export type ApiVersion = 'v1' | 'v2';
