/**
 * Known deviations: a checked-in list of failures that do not fail the gate, each with a
 * reason. An entry that matches nothing in a run is reported, so the list shrinks.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { BaselineError } from '../errors.js';
import type { CheckOutcome, Failure } from '../checks/types.js';
import { statusOf } from './outcome.js';

export interface BaselineEntry {
  check: string;
  /** `METHOD /path`, or `*` for every operation. */
  operation: string;
  /** Optional: only failures whose message contains this text. */
  match?: string;
  reason: string;
}

export interface Baseline {
  file?: string;
  entries: BaselineEntry[];
}

export function readBaseline(file: string): Baseline {
  if (!existsSync(file))
    throw new BaselineError(`Baseline file ${file} does not exist`, { hint: 'Create it with --update-baseline, or fix the path.' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BaselineError(`Baseline file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const entries = (parsed as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) throw new BaselineError(`Baseline file ${file} must be an object with an "entries" array`);
  entries.forEach((entry, i) => {
    const e = entry as Partial<BaselineEntry>;
    for (const field of ['check', 'operation', 'reason'] as const) {
      if (typeof e[field] !== 'string' || e[field] === '') throw new BaselineError(`Baseline file ${file}: entry ${i} has no ${field}`);
    }
  });
  return { file, entries: entries as BaselineEntry[] };
}

export function matches(entry: BaselineEntry, failure: Failure): boolean {
  return (
    entry.check === failure.check &&
    (entry.operation === '*' || entry.operation === failure.operation) &&
    (!entry.match || failure.message.includes(entry.match))
  );
}

/** Mark baselined findings (failures and warnings); a check whose failures are all baselined passes. */
export function applyBaseline(outcome: CheckOutcome, baseline: Baseline | undefined): CheckOutcome {
  if (!baseline || (outcome.failures.length === 0 && outcome.warnings.length === 0)) return outcome;
  const mark = (failure: Failure): Failure => {
    const entry = baseline.entries.find((e) => matches(e, failure));
    return entry ? { ...failure, baselined: { reason: entry.reason } } : failure;
  };
  const failures = outcome.failures.map(mark);
  return {
    ...outcome,
    failures,
    warnings: outcome.warnings.map(mark),
    status: statusOf({ failures, errors: outcome.errors, skipReason: outcome.skipReason }),
  };
}

/** Entries that matched no finding of the run. */
export function staleEntries(baseline: Baseline | undefined, outcomes: CheckOutcome[]): BaselineEntry[] {
  if (!baseline) return [];
  const findings = outcomes.flatMap((o) => [...o.failures, ...o.warnings]);
  return baseline.entries.filter((entry) => !findings.some((f) => matches(entry, f)));
}

/** A baseline listing this run's failures (and warnings, when they fail the gate); reasons of entries that still match are kept. */
export function updatedBaseline(previous: Baseline | undefined, outcomes: CheckOutcome[], options: { warnings?: boolean } = {}): Baseline {
  const entries: BaselineEntry[] = [];
  for (const failure of outcomes.flatMap((o) => [...o.failures, ...(options.warnings ? o.warnings : [])])) {
    const kept = previous?.entries.find((e) => matches(e, failure));
    const entry = kept ?? {
      check: failure.check,
      operation: failure.operation,
      match: failure.message,
      reason: 'TODO: say why this deviation is accepted',
    };
    if (
      !entries.includes(entry) &&
      !entries.some((e) => e.check === entry.check && e.operation === entry.operation && e.match === entry.match)
    )
      entries.push(entry);
  }
  return { file: previous?.file, entries };
}

const BASELINE_COMMENT = 'Known deviations of the target: listed failures do not fail the gate. Every entry needs a reason.';

export function writeBaseline(file: string, baseline: Baseline): void {
  writeFileSync(file, `${JSON.stringify({ $comment: BASELINE_COMMENT, entries: baseline.entries }, null, 2)}\n`);
}
