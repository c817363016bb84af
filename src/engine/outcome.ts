/**
 * The one place an outcome's status is derived, and the one place findings are de-duplicated
 * across checks. Every producer of outcomes (operation checks, provider webhooks, the webhook
 * consumer replay, baselines) goes through `statusOf`.
 */
import type { CheckError, CheckInfo, CheckOutcome, CheckStatus, EnumObservation, Failure, StatValue } from '../checks/types.js';

/** The error code of a check that threw: the tool's fault, never the target's. */
export const CHECK_CRASH = 'CT_ERR_CHECK_CRASH';

/**
 * A crash of the check itself makes its verdict unknown (error); otherwise an open failure
 * fails it, then an error of a probe it depended on, then a reason to skip.
 */
export function statusOf(outcome: { failures: Failure[]; errors: CheckError[]; skipReason?: string }): CheckStatus {
  if (outcome.errors.some((e) => e.code === CHECK_CRASH)) return 'error';
  if (outcome.failures.some((f) => !f.baselined)) return 'failed';
  if (outcome.errors.length > 0) return 'error';
  if (outcome.skipReason) return 'skipped';
  return 'passed';
}

export interface OutcomeParts {
  failures?: Failure[];
  warnings?: Failure[];
  errors?: CheckError[];
  skipReason?: string;
  probes?: number;
  stats?: Record<string, StatValue>;
  enums?: EnumObservation[];
  durationMs?: number;
}

/** An outcome of `check` on `operation` (an operation key, `webhooks` or a consumer). */
export function buildOutcome(
  check: Pick<CheckInfo, 'name' | 'title'>,
  operation: { key: string; operationId: string },
  parts: OutcomeParts,
): CheckOutcome {
  const failures = parts.failures ?? [];
  const errors = parts.errors ?? [];
  const status = statusOf({ failures, errors, skipReason: parts.skipReason });
  return {
    check: check.name,
    title: check.title,
    operation: operation.key,
    operationId: operation.operationId,
    status,
    failures,
    warnings: parts.warnings ?? [],
    errors,
    ...(status === 'skipped' ? { skipReason: parts.skipReason } : {}),
    probes: parts.probes ?? 0,
    stats: parts.stats ?? {},
    ...(parts.enums ? { enums: parts.enums } : {}),
    durationMs: Math.round(parts.durationMs ?? 0),
  };
}

/** Every planned check skipped for one reason (an operation that cannot run, a bail). */
export function skippedOutcome(
  check: Pick<CheckInfo, 'name' | 'title'>,
  operation: { key: string; operationId: string },
  reason: string,
): CheckOutcome {
  return buildOutcome(check, operation, { skipReason: reason });
}

/** The message and the first stack frame of something a check threw. */
export function crashOf(error: unknown, phase: string): CheckError {
  const err = error instanceof Error ? error : new Error(String(error));
  const frame = err.stack
    ?.split('\n')
    .slice(1)
    .find((line) => line.trim().startsWith('at '))
    ?.trim();
  return { probe: `(${phase})`, code: CHECK_CRASH, message: `the check threw in ${phase}: ${err.message}${frame ? ` (${frame})` : ''}` };
}

/**
 * One cause, one finding: a failure whose cause is namespaced by another check
 * (`response-headers:missing:upvest-request-id`) is dropped when that check reported the same
 * cause on the same operation; when the owner did not run, the failure stays.
 */
export function dedupeCauses(findings: { check: string; failure: Failure; cause?: string }[]): Set<Failure> {
  const reportedByOwner = new Set<string>();
  for (const f of findings) if (f.cause && f.cause.split(':')[0] === f.check) reportedByOwner.add(f.cause);
  const dropped = new Set<Failure>();
  for (const f of findings) {
    if (!f.cause) continue;
    const owner = f.cause.split(':')[0];
    if (owner !== f.check && reportedByOwner.has(f.cause)) dropped.add(f.failure);
  }
  return dropped;
}
