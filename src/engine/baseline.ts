/**
 * Known deviations: a checked-in list of failures that do not fail the gate, each with a
 * reason. An entry that matches nothing in a run is reported, so the list shrinks.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileUnwritable } from '../local-paths.js';
import { shapeProblem, validateBaselineShape } from '../input-shapes.js';
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
  if (existsSync(file) && statSync(file).isDirectory())
    throw new BaselineError(`Baseline file ${file} is a folder`, { hint: 'Give the path of a JSON file, e.g. baseline.json.' });
  if (!existsSync(file))
    throw new BaselineError(`Baseline file ${file} does not exist`, { hint: 'Create it with --update-baseline, or fix the path.' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BaselineError(`Baseline file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const problem = shapeProblem(validateBaselineShape, parsed);
  if (problem) {
    // Said in the file's terms: which entry lacks which field (the schema's first complaint, re-worded).
    const entries = (parsed as { entries?: unknown } | null)?.entries;
    const index = /^at \/entries\/(\d+)/.exec(problem)?.[1];
    if (!Array.isArray(entries) || index === undefined)
      throw new BaselineError(`Baseline file ${file} must be an object with an "entries" array (${problem})`);
    const entry = entries[Number(index)] as Record<string, unknown> | null;
    const field = ['check', 'operation', 'reason'].find(
      (f) => typeof entry !== 'object' || entry === null || typeof entry[f] !== 'string' || entry[f] === '',
    );
    throw new BaselineError(
      field
        ? `Baseline file ${file}: entry ${index} has no ${field} (${problem})`
        : `Baseline file ${file}: entry ${index} is invalid (${problem})`,
    );
  }
  return { file, entries: (parsed as { entries: BaselineEntry[] }).entries };
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

/** Before a run with --update-baseline: the file can be written when the run ends (its folder exists and is writable). */
export function assertBaselineWritable(file: string): void {
  const problem = fileUnwritable(file);
  if (problem)
    throw new BaselineError(`--update-baseline cannot write ${file}: ${problem.message}`, {
      hint: 'Create the folder, or give --baseline a writable path.',
    });
}

const BASELINE_COMMENT = 'Known deviations of the target: listed failures do not fail the gate. Every entry needs a reason.';

export function writeBaseline(file: string, baseline: Baseline): void {
  writeFileSync(file, `${JSON.stringify({ $comment: BASELINE_COMMENT, entries: baseline.entries }, null, 2)}\n`);
}
