/** Hand-made failures and check outcomes for the engine's unit tests. */
import type { CheckError, CheckOutcome, Failure } from '../../src/checks/types.js';
import { buildOutcome, type OutcomeParts } from '../../src/engine/outcome.js';

export const LIST = 'GET /accounts/{account_id}/valuations';
export const CURRENT = 'GET /accounts/{account_id}/valuations/current';

export function failure(overrides: Partial<Failure> = {}): Failure {
  return {
    check: 'pagination-meta',
    operation: LIST,
    title: 'The list metadata describes the page',
    message: '/meta/count is 3, the page has 2 items',
    severity: 'error',
    received: '3',
    expected: '2',
    ...overrides,
  };
}

export function warning(overrides: Partial<Failure> = {}): Failure {
  return failure({ severity: 'warning', message: 'a warning', ...overrides });
}

export const crash: CheckError = { probe: '(observe)', code: 'CT_ERR_CHECK_CRASH', message: 'the check threw in observe: boom' };
export const transportError: CheckError = { probe: 'baseline:0', code: 'CT_ERR_TARGET_UNREACHABLE', message: 'connection refused' };

/** The outcome of `check` on `operation` with these parts, its status derived as the engine derives it. */
export function outcome(check: string, operation: string, parts: OutcomeParts = {}): CheckOutcome {
  return buildOutcome(
    { name: check, title: `the ${check} check` },
    { key: operation, operationId: operation.split(' ')[1] ?? operation },
    parts,
  );
}
