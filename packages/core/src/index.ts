// dist keeps one module per source file (tsdown's unbundle) and package.json says
// `sideEffects: false`, so a bundler keeps only the modules whose exports are used.
//
// The order below is the order a bundler emits core's modules in (zod/mini comes with the schemas,
// ahead of the rest), and so what gzip's window sees. It means nothing else, but it was measured:
// 0.35 KB gzip less in the edge Worker than this file's former order (docs/decisions.md, "Worker
// bundles"). Re-measure (pnpm bench in apps/edge) before reordering.
export {
  apiKeySchema,
  createOperationSchemas,
  createPhoneNumberSchema,
  existingPhoneNameSchema,
  existingPhoneNumberSchema,
  operationSchemas,
  phoneNameSchema,
  phoneNumberSchema,
  skillsSchema,
  tokenSchema,
  userNameSchema,
} from './schemas.js';
export { REDACTED, redact, type RedactOptions } from './redact.js';
export { formatIssues, validateCredentials, validateOperation, type Validated, type ValidationIssue } from './validate.js';
export {
  OUTCOME_KINDS,
  appliedOf,
  causeOf,
  createOutcome,
  fieldOf,
  isAmbiguous,
  retryAfterOf,
  type Applied,
  type AuthErrorOutcome,
  type ConflictOutcome,
  type InvalidActionOutcome,
  type LimitExceededOutcome,
  type NotFoundOutcome,
  type Outcome,
  type OutcomeBase,
  type OutcomeCause,
  type OutcomeInit,
  type OutcomeKind,
  type OutcomeOf,
  type PartialSuccessOutcome,
  type PhoneRecord,
  type RateLimitedOutcome,
  type RejectedOutcome,
  type ServerErrorOutcome,
  type SuccessOutcome,
  type UnknownOutcome,
  type ValidationErrorOutcome,
} from './outcome.js';
export {
  DEFAULT_RATE_LIMIT_DELAY_MS,
  DEFAULT_RETRY_DELAY_MS,
  NEXT_STEPS,
  nextStep,
  type FixInputReason,
  type NextStep,
  type NextStepName,
} from './next-step.js';
export { judgeReadBack, readBackLookups, settleByReadBack, type ReadBackJudgement, type ReadBackVerdict } from './read-back.js';
export {
  PHONE_ACTIONS,
  isMutation,
  isTokenCredentials,
  type ApiKeyCredentials,
  type ApiVersion,
  type Credentials,
  type PhoneAction,
  type PhoneOperation,
  type PlainRequest,
  type PlainResponse,
  type TokenCredentials,
} from './operation.js';
export { checkBaseUrl, isLoopbackHost, type BaseUrlCheck, type BaseUrlOptions } from './base-url.js';
export { baseUrlRule, checkConfig, oneOfRule, textRule, valueRule, wholeNumberRule, type ConfigIssue, type ConfigRule } from './config-check.js';
export { DEFAULT_BASE_URL, REGIONS, V1_PATH, V2_PATH, V2_TOKEN_PATH, joinUrl, type Region } from './hosts.js';
export { VENDOR_MESSAGES, type VendorMessageKey } from './messages.js';
export type { EncodeOptions } from './encode-options.js';
export { encodeV1 } from './encode-v1.js';
export { authHeaders, encodeTokenRequest, encodeV2 } from './encode-v2.js';
export { classify, normalizeMessage, parseRetryAfter, type ClassifyOptions } from './classify.js';
export { RULES, DEFAULT_MAX_PHONE_DIGITS, HEADER_SAFE, MAX_USERNAME_LENGTH, type RuleOptions } from './rules.js';
export {
  backoffDelay,
  failureOutcome,
  mayRetry,
  needsReadBack,
  type BackoffOptions,
  type Delivery,
  type FailureCode,
  type TransportFailure,
} from './policy.js';
export { parsePhpQuery, phpUrlDecode, rawQueryOf } from './php-query.js';
export { fromV1Params, type V1Params, type V1Quirk } from './v1-params.js';
export {
  TOKEN_GENERATIONS_PER_HOUR,
  TOKEN_LIFETIME_MS,
  isTokenRejection,
  parseTokenResponse,
  type TokenResult,
} from './token.js';
export { vendorRejection, type VendorFields } from './vendor-rejection.js';
