import type { Command } from '@oclif/core';
import {
  causeOf,
  fieldOf,
  nextStep,
  retryAfterOf,
  type NextStep,
  validateOperation,
  type Outcome,
  type PhoneOperation,
  type ValidationIssue,
} from '@cloudagent-phone/core';
import type { CallResult, OperationInput } from '@cloudagent-phone/transport';
import { ApiCommand } from './api-command.js';
import { ENV, type Target } from './settings/resolve-target.js';
import type { CommandResult } from './base-command.js';
import { usageError } from './cli-error.js';
import { createCliClient } from './client-factory.js';
import { EXIT, exitCodeForStep } from './exit-codes.js';
import { flagNamer, nameIssue } from './flag-names.js';
import { formatRequest } from './request-log.js';

export function invalidInput(issues: readonly ValidationIssue[]): Error {
  const named = issues.map((issue) => nameIssue(issue));
  return usageError(named.map((i) => i.message).join('; '), 'fix the value and run the command again; nothing was sent', named);
}

/** The vendor says "skills" for an edit's assignSkill and unAssignSkill alike. */
function fieldFlag(op: PhoneOperation, field: string): string {
  if (field === 'skill' && op.action === 'edit') return '--assign-skill / --unassign-skill';
  return flagNamer(field);
}

/**
 * Core's next step in a person's words, with the flags to change; the envelope carries the same
 * facts (`nextStep`) for a script.
 */
export function hintFor(outcome: Outcome, op: PhoneOperation): string | undefined {
  const lookup = `caphone phone get --number ${op.phoneNumberNew ?? op.phoneNumber ?? 'NUMBER'}`;
  const step = nextStep(outcome, op.action);
  switch (step.step) {
    case 'done': {
      if (!step.skillsNotApplied) return undefined;
      const skillFlag = op.action === 'create' ? '--assign-skill' : 'only the --assign-skill / --unassign-skill flags';
      const number = op.phoneNumberNew ?? op.phoneNumber ?? 'NUMBER';
      const name = op.phoneNameNew ?? op.phoneName ?? 'NAME';
      return `the number was ${op.action === 'create' ? 'created' : 'changed'} but no skill was applied: check the skill names exist in CloudAgent, then run caphone phone edit --number ${number} --name ${name} with ${skillFlag}`;
    }
    case 'fix_credentials':
      return 'check CLOUDAGENT_USERNAME and CLOUDAGENT_API_KEY (or the profile), and that --auth matches the account\'s "API Authentication" setting';
    case 'fix_input':
      switch (step.reason) {
        case 'conflict':
          return `that number or name is already taken: choose another, or look it up with ${lookup}`;
        case 'limit':
          return "the account's phone-number limit is reached: raise 'Phone Number Creation Limit' under 'Edit Profile', or delete an unused number";
        case 'refused':
          return 'CloudAgent refused the request in its own words (above); nothing was changed';
        default:
          return step.field ? `fix ${fieldFlag(op, step.field)} and run the command again` : undefined;
      }
    case 'not_found':
      if (step.nameMismatch) {
        const actual = outcome.kind === 'not_found' && outcome.actualName !== undefined ? ` (CloudAgent has it as "${outcome.actualName}")` : '';
        return `the name given with --name does not match --number ${op.phoneNumber ?? ''}${actual}: give the number's current name; nothing was changed`;
      }
      return op.action === 'get'
        ? 'no such number or name in CloudAgent'
        : `no such ${step.field === 'phoneName' ? 'name' : 'number'} in CloudAgent: check --number and --name; nothing was changed`;
    case 'wait_and_retry':
      return outcome.kind === 'rate_limited'
        ? `CloudAgent is rate-limiting this account: nothing was applied; wait ${Math.ceil(step.delayMs / 1000)} s and run the same command again`
        : `the lookup failed: run it again in ${Math.ceil(step.delayMs / 1000)} s`;
    case 'resend_safe':
      return 'nothing was applied: run the same command again';
    case 'look_up_first':
      return `the change may or may not have been applied: look first with ${lookup}, and do not re-run blindly`;
  }
}

/** `--dry-run`: the request was prepared (it is the envelope's `request`) and not sent. */
export interface PhoneDryRunResult {
  dryRun: true;
  operation: PhoneOperation;
  sent: false;
}

/** A call that was made: the operation, what CloudAgent answered, and what to do next. */
export interface PhoneCallResult {
  operation: PhoneOperation;
  /** The record CloudAgent returned, on success. */
  record: unknown;
  sent: boolean;
  attempts: number;
  durationMs: number;
  readBack: CallResult['readBack'] | null;
  response: {
    httpStatus: number | null;
    vendorStatus: string | null;
    vendorMessage: string | null;
    requestId: string | null;
    retryAfterMs: number | null;
    cause: string | null;
  };
  retryable: boolean;
  applied: Outcome['applied'] | null;
  nextStep: NextStep['step'];
}

export type PhoneResult = PhoneDryRunResult | PhoneCallResult;

/**
 * One phone operation: flags → core's validation → (dry run | client) → one result. Each
 * command supplies the operation's fields and how a success reads.
 */
export abstract class PhoneCommand<T extends typeof Command> extends ApiCommand<T, PhoneResult> {
  protected abstract operationInput(): Record<string, unknown>;
  protected abstract describeSuccess(op: PhoneOperation, result: CallResult): string[];
  /** Set when this run goes through an edge: some next steps are then the team's, not CloudAgent's. */
  protected viaEdge = false;

  protected async execute(): Promise<CommandResult<PhoneResult>> {
    const input = Object.fromEntries(Object.entries(this.operationInput()).filter(([, v]) => v !== undefined));
    const validated = validateOperation(input);
    if (!validated.ok) throw invalidInput(validated.issues);
    const op = validated.value;

    const target = await this.loadTarget();
    if (op.action === 'get' && target.apiVersion === 'v1' && !target.edge) throw v1HasNoLookup(target);
    const credentials = this.credentials(target);
    this.viaEdge = Boolean(target.edge);
    const client = await createCliClient({
      target,
      credentials,
      out: this.out,
      timeoutMs: this.flags.timeout * 1000,
      cacheDir: this.config.cacheDir,
    });

    if (this.flags['dry-run']) {
      // The client prepares the very request it would send (a token account's token shown redacted).
      const prepared = client.prepare(op as OperationInput);
      if (!prepared.ok) throw invalidInput(prepared.issues);
      const request = this.out.redact(prepared.request);
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

  protected present(op: PhoneOperation, call: CallResult): CommandResult<PhoneCallResult> {
    if (!call.sent && call.issues?.length) throw invalidInput(call.issues);
    const { outcome } = call;
    const step = nextStep(outcome, op.action);
    const exitCode = exitCodeForStep(step);
    const field = fieldOf(outcome);
    if (call.readBack?.skillsUnverified && outcome.kind === 'success') {
      this.out.warn('the change was confirmed by reading it back, but a read-back cannot show skills: check them in CloudAgent');
    }
    const rejectedField = field && exitCode !== EXIT.success && exitCode !== EXIT.notFound ? ` (${fieldFlag(op, field)})` : '';
    const hint =
      this.viaEdge && exitCode === EXIT.authRejected
        ? "check CAPHONE_EDGE_TOKEN (the team's token) and that the edge grants the team this account (--user / CLOUDAGENT_USERNAME); the edge's operator can tell which"
        : hintFor(outcome, op);
    return {
      outcome: outcome.kind,
      message: `${outcome.message}${rejectedField}`,
      result: {
        operation: op,
        record: outcome.kind === 'success' ? (outcome.data ?? null) : null,
        sent: call.sent,
        attempts: call.attempts,
        durationMs: Math.round(call.durationMs),
        readBack: call.readBack ?? null,
        response: {
          httpStatus: outcome.httpStatus ?? null,
          vendorStatus: outcome.vendorStatus ?? null,
          vendorMessage: outcome.vendorMessage ?? null,
          requestId: outcome.requestId ?? null,
          retryAfterMs: retryAfterOf(outcome) ?? null,
          cause: causeOf(outcome) ?? null,
        },
        retryable: outcome.retryable,
        applied: outcome.applied ?? null,
        nextStep: step.step,
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

/**
 * The vendor documents no v1 lookup (its get pages are v2's only), so `phone get` cannot run on v1.
 * The next step names where v1 came from: only a flag can be dropped.
 */
function v1HasNoLookup(target: Target) {
  const how =
    target.sources.apiVersion === 'flag'
      ? 'drop --api v1'
      : target.sources.apiVersion === 'env'
        ? `pass --api v2 (${ENV.apiVersion} is v1)`
        : `pass --api v2 (profile "${target.profile ?? 'default'}" sets apiVersion v1)`;
  return usageError(
    "phone get is CloudAgent's v2 lookup: v1 (/CAServices/PhoneManageV2.php) has no get action",
    `${how}: the same user name and API key work on v2`,
  );
}
