import { DEFAULT_BASE_URL } from './hosts.js';

/**
 * Where the vendor pages contradict each other, the choice is made here, once, with its reason,
 * and each is one option to change.
 */
export interface EncodeOptions {
  /** Default `https://in1-ccaas-api.ozonetel.com` (domestic). See REGIONS for the international host. */
  baseUrl?: string;
  /**
   * The key that carries an edit's new name.
   * - v1 default `PhoneNameNew`: the spelling of every v1 parameter table, and what the PHP server
   *   reads (PHP's $_REQUEST keys are case-sensitive).
   * - v2 default `phoneNameNew`: the v2 sample body's spelling, consistent with its sibling
   *   `phoneNumberNew`; the v2 parameter table's `PhoneNameNew` is the v1 table copied over.
   */
  newNameKey?: 'PhoneNameNew' | 'phoneNameNew';
  /**
   * v2 only. How a leading + travels inside the JSON body. Default `literal`: inside JSON a + is
   * just a character; the "%2B" note on the v2 pages was copied from v1's query-string pages.
   * `percent` sends `%2B91...` for a server that turns out to expect the v1 habit.
   * (v1 always sends %2B, as a query string must: a raw + would be read as a space.)
   */
  plusInJson?: 'literal' | 'percent';
}

export function baseUrlOf(options: EncodeOptions | undefined): string {
  return options?.baseUrl ?? DEFAULT_BASE_URL;
}
