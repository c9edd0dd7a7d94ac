import type { Outcome, PhoneOperation, ReadBackJudgement } from '@cloudagent-phone/core';

/** What the caller learns once an answer has been read back. Pure: easy to test on its own. */
export function settleByReadBack(op: PhoneOperation, original: Outcome, judgement: ReadBackJudgement): Outcome {
  const diagnostics = {
    ...(original.httpStatus !== undefined ? { httpStatus: original.httpStatus } : {}),
    ...(original.vendorStatus !== undefined ? { vendorStatus: original.vendorStatus } : {}),
    ...(original.vendorMessage !== undefined ? { vendorMessage: original.vendorMessage } : {}),
    ...(original.requestId !== undefined ? { requestId: original.requestId } : {}),
    ...(original.cause !== undefined ? { cause: original.cause } : {}),
  };
  const skills = judgement.skillsUnverified ? '; skill changes cannot be read back and are unverified' : '';

  if (original.kind === 'conflict') {
    // An edit or create that meets "already exist" because an earlier attempt of the same change
    // landed: the state is what was asked for, so it is done. Anything else is a real conflict.
    if (judgement.verdict !== 'applied') return original;
    return {
      kind: 'success',
      message: `already done: CloudAgent answered "already exist", and reading back shows the state this ${op.action} asked for (an earlier attempt landed)${skills}`,
      retryable: false,
      ambiguous: false,
      ...diagnostics,
    };
  }

  switch (judgement.verdict) {
    case 'applied':
      return {
        kind: 'success',
        message: `the change was applied: confirmed by reading back after "${original.message}"${skills}`,
        retryable: false,
        ambiguous: false,
        ...diagnostics,
      };
    case 'not_applied': {
      // A network failure, 5xx or garbled page became a definite "nothing changed". After a timeout
      // (ours, or a gateway's 504: the upstream did not answer in time) the server may still be
      // working on the request, so "not applied yet" is not "nothing changed": it stays ambiguous,
      // never retryable, and the message says to look again first.
      const stillInFlight = original.cause === 'timeout' || original.httpStatus === 504;
      const vendorAnswered = original.vendorMessage !== undefined && original.kind === 'unknown';
      return {
        kind: vendorAnswered || stillInFlight ? 'unknown' : 'server_error',
        message: stillInFlight
          ? `${original.message}; reading back shows no change yet, but the timed-out request may still be processed: read back again (getPhoneNumber) before sending it again`
          : `${original.message}; reading back shows nothing was applied, so sending it again is safe`,
        retryable: !stillInFlight && !vendorAnswered,
        ambiguous: stillInFlight,
        ...diagnostics,
      };
    }
    default:
      return { ...original, ambiguous: true, message: `${original.message}; reading back could not tell whether it was applied` };
  }
}
