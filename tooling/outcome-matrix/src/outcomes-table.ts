// The kind x action table of docs/outcomes.md, built from the apps' own render functions: what
// core decides (applied, nextStep) and what each app answers for it. Tests may import apps; this
// private package is the one place that does.
import { OUTCOME_KINDS, PHONE_ACTIONS, createOutcome, isMutation, nextStep, type Outcome, type OutcomeKind, type PhoneAction } from '@cloudagent-phone/core';
import { answerFromV2 } from '@cloudagent-phone/shim';
import { exitCodeFor } from '../../../apps/cli/src/exit-codes.js';
import { answerFor } from '../../../apps/edge/src/outcome-response.js';

/** A typical outcome of each kind, as core builds it. */
export function sampleOutcome(kind: OutcomeKind, action: PhoneAction): Outcome {
  const base = { message: `${kind}`, retryable: false };
  switch (kind) {
    case 'success':
      return createOutcome(action, action === 'get' ? { ...base, kind, data: { phoneNumber: '1', phoneName: 'A' } } : { ...base, kind });
    case 'partial_success':
      return createOutcome(action, { ...base, kind, field: 'skill' });
    case 'not_found':
      return createOutcome(action, { ...base, kind, field: 'phoneNumber', nameMismatch: false, vendorMessage: 'phoneNumber does not exist' });
    case 'rejected':
      return createOutcome(action, { ...base, kind, vendorMessage: 'unfamiliar words' });
    case 'rate_limited':
      return createOutcome(action, { ...base, kind, retryable: true, retryAfterMs: 5_000 });
    case 'server_error':
      return createOutcome(action, { ...base, kind, retryable: !isMutation(action), cause: isMutation(action) ? 'connect_failed' : 'http_status' });
    case 'validation_error':
      return createOutcome(action, { ...base, kind, field: 'phoneNumber', vendorMessage: 'phoneNumber must be numeric' });
    default:
      return createOutcome(action, { ...base, kind } as never);
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** One row per kind and action. */
export function outcomeRows(): string[][] {
  const rows: string[][] = [];
  for (const kind of OUTCOME_KINDS) {
    for (const action of PHONE_ACTIONS) {
      const outcome = sampleOutcome(kind, action);
      const step = nextStep(outcome, action);
      const edge = answerFor(outcome, action);
      const edgeCell = edge.ok ? '200' : `${edge.problem.status} ${edge.problem.type.replace('urn:cloudagent-phone:problem:', '')}`;
      let shimCell = 'n/a (v1 has no get)';
      if (isMutation(action)) {
        const shim = answerFromV2(outcome, action);
        const header = shim.headers?.['X-Shim-Outcome'];
        shimCell = `${shim.httpStatus} ${shim.status}${header ? `, X-Shim-Outcome: ${header}` : ''}`;
      }
      const detail = step.step === 'fix_input' ? ` (${step.reason})` : step.step === 'wait_and_retry' ? ` (${step.delayMs} ms)` : step.step === 'done' && step.skillsNotApplied ? ' (skills not applied)' : '';
      rows.push([kind, action, outcome.applied ?? '-', `${step.step}${detail}`, String(exitCodeFor(outcome, action)), edgeCell, shimCell].map(cell));
    }
  }
  return rows;
}

export const TABLE_HEADER = ['kind', 'action', 'applied', 'nextStep', 'CLI exit', 'edge HTTP and problem type', 'shim v1 answer'];

export function outcomesTable(): string {
  const lines = [`| ${TABLE_HEADER.join(' | ')} |`, `|${TABLE_HEADER.map(() => '---').join('|')}|`];
  for (const row of outcomeRows()) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

export const TABLE_START = '<!-- outcomes-table:start (generated: pnpm --filter @cloudagent-phone/outcome-matrix write-table) -->';
export const TABLE_END = '<!-- outcomes-table:end -->';
