/** The documented default (domestic) host. */
export const DEFAULT_BASE_URL = 'https://in1-ccaas-api.ozonetel.com';

/** Named hosts, so that the international region is one option away. Partners pass their own baseUrl. */
export const REGIONS = {
  domestic: 'https://in1-ccaas-api.ozonetel.com',
  international: 'https://api.ccaas.ozonetel.com',
} as const;

export type Region = keyof typeof REGIONS;

export const V1_PATH = '/CAServices/PhoneManageV2.php';
export const V2_PATH = '/ca_apis/PhoneManageV2';
export const V2_TOKEN_PATH = '/ca_apis/CAToken/generateToken';

/** `https://host/` and `https://host` give the same URLs; a partner path prefix is kept. */
export function joinUrl(baseUrl: string, path: string): string {
  // Checked before trimming: this runs once per request and the common base has no trailing slash.
  return (baseUrl.endsWith('/') ? baseUrl.replace(/\/+$/, '') : baseUrl) + path;
}
