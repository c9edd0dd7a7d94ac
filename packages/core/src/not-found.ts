import type { NotFoundOutcome } from './outcome.js';

/**
 * CloudAgent documents no answer for a number or a name that does not exist (docs/decisions.md,
 * "Not found"). These are the simulator's words and the plausible variants a PHP or Java service
 * would print: "phoneNumber does not exist", "Phone Number not found", "No record found",
 * "phoneName does not match phoneNumber". Matched on the folded, lower-case message, whole.
 */
const SUBJECT = String.raw`(?:the )?(phone[ _]?number|phone[ _]?name|number|name|record|data|phone)s?`;
const MISSING = String.raw`(?:does ?n[o']?t exists?|do ?n[o']?t exists?|not exists?|is not (?:found|present|available|exists?)|not found|was not found|is not registered|not available)`;
const NOT_FOUND = new RegExp(String.raw`^${SUBJECT}(?: [\w+@.-]+)? ${MISSING}[.!]?$`);
const NO_SUCH = /^no (?:such )?(phone[ _]?number|phone[ _]?name|number|name|record|data)s? (?:found|exists?|available)[.!]?$/;
const MISMATCH = /^(?:the )?phone[ _]?name (?:does ?n[o']?t|do ?n[o']?t|not) match(?:es)?(?: with)? (?:the )?phone[ _]?number[.!]?$|^phone[ _]?number and phone[ _]?name (?:does ?n[o']?t|do ?n[o']?t|not) match[.!]?$/;

function fieldOf(subject: string | undefined): NotFoundOutcome['field'] {
  if (subject === undefined) return undefined;
  if (/name/.test(subject)) return 'phoneName';
  if (/number|phone/.test(subject)) return 'phoneNumber';
  return undefined;
}

/** Whether a folded, lower-case message says the number or the name does not exist (and which). */
export function notFoundIn(normalized: string): { field?: NotFoundOutcome['field']; nameMismatch: boolean } | undefined {
  if (MISMATCH.test(normalized)) return { field: 'phoneName', nameMismatch: true };
  const match = NOT_FOUND.exec(normalized) ?? NO_SUCH.exec(normalized);
  if (!match) return undefined;
  const field = fieldOf(match[1]);
  return field ? { field, nameMismatch: false } : { nameMismatch: false };
}
