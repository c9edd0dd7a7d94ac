import type { Command } from '@oclif/core';
import {
  encodeV1,
  encodeV2,
  validateOperation,
  type ApiKeyCredentials,
  type Credentials,
  type Outcome,
  type PhoneOperation,
  type PlainRequest,
  type ValidationIssue,
} from '@cloudagent-phone/core';
import type { CallResult, OperationInput } from '@cloudagent-phone/transport';
import { ApiCommand } from './api-command.js';
import type { CommandResult } from './base-command.js';
import { usageError } from './cli-error.js';
import { createCliClient } from './client-factory.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { flagNamer, nameIssue } from './flag-names.js';
import { EDGE_GET_BY_NAME, edgeRequestFor } from './edge-phone-client.js';
import { formatRequest } from './request-log.js';
import type { Target } from './settings/resolve-target.js';

/** What a token account's dry run shows in place of the bearer token it would fetch first. */
const DRY_RUN_TOKEN = 'token-from-CAToken-generateToken';

export function invalidInput(issues: readonly ValidationIssue[]): Error {
  const named = issues.map((issue) => nameIssue(issue));
  return usageError(named.map((i) => i.message).join('; '), 'fix the value and run the command again; nothing was sent', named);
}

/** The request a run would send, exactly as core encodes it (the client uses the same encoders). */
export function encodeFor(op: PhoneOperation, target: Target, credentials: ApiKeyCredentials): PlainRequest {
  if (target.apiVersion === 'v1') return encodeV1(op, credentials, { baseUrl: target.baseUrl });
  const creds: Credentials = target.auth === 'token' ? { userName: credentials.userName, token: DRY_RUN_TOKEN } : credentials;
  return encodeV2(op, creds, { baseUrl: target.baseUrl });
}

/** The vendor says "skills" for an edit's assignSkill and unAssignSkill alike. */
function fieldFlag(op: PhoneOperation, field: string): string {
  if (field === 'skill' && op.action === 'edit') return '--assign-skill / --unassign-skill';
  return flagNamer(field);
}

/** The next step for a person, per exit code; the envelope carries the same facts for a script. */
export function hintFor(outcome: Outcome, op: PhoneOperation): string | undefined {
  const lookup = `caphone phone get --number ${op.phoneNumberNew ?? op.phoneNumber ?? 'NUMBER'}`;
  switch (exitCodeFor(outcome, op.action)) {
    case EXIT.authRejected:
      return 'check CLOUDAGENT_USERNAME and CLOUDAGENT_API_KEY (or the profile), and that --auth matches the account\'s "API Authentication" setting';
    case EXIT.conflict:
      return `that number or name is already taken: choose another, or look it up with ${lookup}`;
    case EXIT.partialSuccess: {
      const skillFlag = op.action === 'create' ? '--assign-skill' : 'only the --assign-skill / --unassign-skill flags';
      const number = op.phoneNumberNew ?? op.phoneNumber ?? 'NUMBER';
      const name = op.phoneNameNew ?? op.phoneName ?? 'NAME';
      return `the number was ${op.action === 'create' ? 'created' : 'changed'} but no skill was applied: check the skill names exist in CloudAgent, then run caphone phone edit --number ${number} --name ${name} with ${skillFlag}`;
    }
    case EXIT.transient:
      return outcome.kind === 'rate_limited'
        ? 'CloudAgent is rate-limiting this account: nothing was applied; wait a little and run the same command again'
        : 'nothing was applied: run the same command again';
    case EXIT.outcomeUnknown:
      return `the change may or may not have been applied: look first with ${lookup}, and do not re-run blindly`;
    case EXIT.rejected:
      if (outcome.kind === 'limit_exceeded') return "the account's phone-number limit is reached: raise 'Phone Number Creation Limit' under 'Edit Profile', or delete an unused number";
      return outcome.field ? `fix ${fieldFlag(op, outcome.field)} and run the command again` : undefined;
    default:
      return undefined;
  }
}

/**
 * One phone operation: flags → core's validation → (dry run | client) → one result. Each
 * command supplies the operation's fields and how a success reads.
 */
export abstract class PhoneCommand<T extends typeof Command> extends ApiCommand<T> {
  protected abstract operationInput(): Record<string, unknown>;
  protected abstract describeSuccess(op: PhoneOperation, result: CallResult): string[];
  /** Set when this run goes through an edge: some next steps are then the team's, not CloudAgent's. */
  protected viaEdge = false;

  protected async execute(): Promise<CommandResult> {
    const input = Object.fromEntries(Object.entries(this.operationInput()).filter(([, v]) => v !== undefined));
    const validated = validateOperation(input);
    if (!validated.ok) throw invalidInput(validated.issues);
    const op = validated.value;

    const target = await this.loadTarget();
    if (op.action === 'get' && target.edge && !op.phoneNumber) throw usageError(EDGE_GET_BY_NAME, 'pass --number');
    if (op.action === 'get' && target.apiVersion === 'v1' && !target.edge) {
      throw usageError('phone get exists on v2 only (v1 has no get action)', 'drop --api v1');
    }
    const credentials = this.credentials(target);
    this.viaEdge = Boolean(target.edge);

    if (this.flags['dry-run']) {
      const request = this.out.redact(target.edge ? edgeRequestFor(op, target.edge, credentials.userName) : encodeFor(op, target, credentials));
      const lines = [formatRequest(request).replace(/^> ?/gm, ''), ''];
      if (target.auth === 'token' && !target.edge) lines.push('(a token account first fetches a token from CAToken/generateToken with the API key)');
      lines.push('(dry run: nothing was sent)');
      return {
        outcome: 'success',
        message: 'dry run: nothing was sent',
        result: { dryRun: true, operation: op, sent: false },
        request,
        exitCode: EXIT.success,
        lines,
      };
    }

    const client = await createCliClient({
      target,
      credentials,
      out: this.out,
      timeoutMs: this.flags.timeout * 1000,
      cacheDir: this.config.cacheDir,
    });
    // Ctrl-C cancels the request; the client then reports honestly whether it may have landed.
    const abort = new AbortController();
    const onSignal = () => abort.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let result: CallResult;
    try {
      result = await client.run(op as OperationInput, { signal: abort.signal });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return this.present(op, result);
  }

  protected present(op: PhoneOperation, call: CallResult): CommandResult {
    if (!call.sent && call.issues?.length) throw invalidInput(call.issues);
    const { outcome } = call;
    const exitCode = exitCodeFor(outcome, op.action);
    if (call.readBack?.skillsUnverified && outcome.kind === 'success') {
      this.out.warn('the change was confirmed by reading it back, but a read-back cannot show skills: check them in CloudAgent');
    }
    const rejectedField = outcome.field && exitCode !== EXIT.success ? ` (${fieldFlag(op, outcome.field)})` : '';
    const hint =
      this.viaEdge && exitCode === EXIT.authRejected
        ? "check CAPHONE_EDGE_TOKEN (the team's token) and that the edge grants the team this account (--user / CLOUDAGENT_USERNAME); the edge's operator can tell which"
        : hintFor(outcome, op);
    return {
      outcome: outcome.kind,
      message: `${outcome.message}${rejectedField}`,
      result: {
        operation: op,
        record: outcome.data ?? null,
        sent: call.sent,
        attempts: call.attempts,
        durationMs: Math.round(call.durationMs),
        readBack: call.readBack ?? null,
        response: {
          httpStatus: outcome.httpStatus ?? null,
          vendorStatus: outcome.vendorStatus ?? null,
          vendorMessage: outcome.vendorMessage ?? null,
          requestId: outcome.requestId ?? null,
          retryAfterMs: outcome.retryAfterMs ?? null,
          cause: outcome.cause ?? null,
        },
        retryable: outcome.retryable,
        ambiguous: outcome.ambiguous,
      },
      request: call.request ?? null,
      exitCode,
      ...(exitCode === EXIT.success || exitCode === EXIT.partialSuccess ? { lines: this.describeSuccess(op, call) } : {}),
      ...(hint ? { hint } : {}),
    };
  }
}

/** Flag values for skills arrive as arrays (repeated or comma-split by oclif); empty means absent. */
export function skills(values: readonly string[] | undefined): string[] | undefined {
  return values && values.length > 0 ? [...values] : undefined;
}
