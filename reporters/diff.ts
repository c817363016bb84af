/**
 * What changed between two report.json files: failures that are new, fixed, or no longer
 * checked; enum values newly (or no longer) observed; statuses seen per operation. A failure is
 * identified by check, operation and message, so the order of operations and probes does not matter.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { renderFailure } from '../src/checks/failure.js';
import type { CheckOutcome, Failure } from '../src/checks/types.js';
import { ReportInputError } from '../src/errors.js';
import { REPORT_SCHEMA_TEXT } from './json.js';
import { checkGroups } from './groups.js';
import { REPORT_SCHEMA_VERSION, type EnumCoverageEntry, type RunResult } from '../src/engine/result.js';

// CommonJS package: under NodeNext its default export is module.exports itself.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

type EnumValue = EnumCoverageEntry['values'][number];

export interface EnumChange {
  scope: string;
  pointer: string;
  /** Values observed now and not before. */
  gained: EnumValue[];
  /** Values observed before and not now. */
  lost: EnumValue[];
  /** The enum is in only one of the two reports. */
  only?: 'old' | 'new';
}

export interface StatusChange {
  operation: string;
  gained: string[];
  lost: string[];
}

export interface ReportDiff {
  newFailures: Failure[];
  fixed: Failure[];
  /** Failures of the old report whose check did not conclude in the new one (skipped, errored, not run): not a fix. */
  unchecked: Failure[];
  coverage: { old: RunResult['enumCoverage']; new: RunResult['enumCoverage']; changes: EnumChange[] };
  statuses: StatusChange[];
  /**
   * Whether the two runs planned and sent the same probes: a diff of runs with different plans
   * (other options, checks selected, or a target state that changed what was sent) compares
   * unlike things, and says so. Undefined when a report predates the digests.
   */
  plan?: { samePlan: boolean; sameProbes: boolean; old: string; new: string };
}

let validator: ValidateFunction | undefined;

/** Compiled on first use: only `report diff` reads reports. */
function schemaValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(REPORT_SCHEMA_TEXT) as object);
  }
  return validator;
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath || '(the top level)';
  const params = e.params as { additionalProperty?: string; allowedValues?: unknown[] };
  if (params.additionalProperty) return `${at} has an unknown property "${params.additionalProperty}"`;
  return `${at} ${e.message}${params.allowedValues ? ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})` : ''}`;
}

/** A report.json written by `run`, validated against report.schema.json; anything else is a ReportInputError naming the file. */
export function readReport(file: string): RunResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ReportInputError(`${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReportInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  // Minor versions only add fields: any 1.x report can be read.
  const major = REPORT_SCHEMA_VERSION.split('.')[0];
  if (typeof version === 'string' && version.split('.')[0] !== major) {
    throw new ReportInputError(`${file} is a report of schema version ${version}; this upvest-conformance reads versions ${major}.x`);
  }
  const validate = schemaValidator();
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    const shown = errors.slice(0, 5).map(describeError);
    throw new ReportInputError(
      `${file} is not a report.json of schema version ${major}.x: ${shown.join('; ')}` +
        (errors.length > shown.length ? `; and ${errors.length - shown.length} more` : ''),
    );
  }
  return data as RunResult;
}

function failureKey(f: Failure): string {
  return JSON.stringify([f.check, f.operation, f.message]);
}

/** Open failures (baselined ones excepted) by identity; the first of equal ones stands for all. */
function openFailures(outcomes: CheckOutcome[]): Map<string, Failure> {
  const byKey = new Map<string, Failure>();
  for (const failure of outcomes.flatMap((o) => o.failures))
    if (!failure.baselined && !byKey.has(failureKey(failure))) byKey.set(failureKey(failure), failure);
  return byKey;
}

function outcomesOf(report: RunResult): CheckOutcome[] {
  return checkGroups(report).flatMap((g) => g.checks);
}

function coverageChanges(before: EnumCoverageEntry[], after: EnumCoverageEntry[]): EnumChange[] {
  const key = (e: EnumCoverageEntry) => JSON.stringify([e.scope, e.pointer]);
  const oldByKey = new Map(before.map((e) => [key(e), e]));
  const newByKey = new Map(after.map((e) => [key(e), e]));
  const changes: EnumChange[] = [];
  for (const [k, e] of newByKey) {
    const previous = oldByKey.get(k);
    const gained = e.observed.filter((v) => !previous?.observed.includes(v));
    const lost = previous ? previous.observed.filter((v) => !e.observed.includes(v)) : [];
    if (!previous || gained.length > 0 || lost.length > 0)
      changes.push({ scope: e.scope, pointer: e.pointer, gained, lost, ...(previous ? {} : { only: 'new' as const }) });
  }
  for (const [k, e] of oldByKey)
    if (!newByKey.has(k)) changes.push({ scope: e.scope, pointer: e.pointer, gained: [], lost: e.observed, only: 'old' });
  return changes;
}

function statusChanges(before: RunResult, after: RunResult): StatusChange[] {
  const changes: StatusChange[] = [];
  for (const op of after.operations) {
    const previous = before.operations.find((o) => o.operation === op.operation);
    // An operation in only one report says nothing about its statuses.
    if (!previous) continue;
    const gained = Object.keys(op.statusesSeen).filter((s) => !(s in previous.statusesSeen));
    const lost = Object.keys(previous.statusesSeen).filter((s) => !(s in op.statusesSeen));
    if (gained.length > 0 || lost.length > 0) changes.push({ operation: op.operation, gained, lost });
  }
  return changes;
}

export function diffReports(before: RunResult, after: RunResult): ReportDiff {
  const oldFailures = openFailures(outcomesOf(before));
  const newOutcomes = outcomesOf(after);
  const newFailures = openFailures(newOutcomes);
  const concluded = new Set(
    newOutcomes.filter((o) => o.status === 'passed' || o.status === 'failed').map((o) => JSON.stringify([o.check, o.operation])),
  );
  const gone = [...oldFailures].filter(([k]) => !newFailures.has(k)).map(([, f]) => f);
  return {
    newFailures: [...newFailures].filter(([k]) => !oldFailures.has(k)).map(([, f]) => f),
    fixed: gone.filter((f) => concluded.has(JSON.stringify([f.check, f.operation]))),
    unchecked: gone.filter((f) => !concluded.has(JSON.stringify([f.check, f.operation]))),
    coverage: {
      old: before.enumCoverage,
      new: after.enumCoverage,
      changes: coverageChanges(before.enumCoverage.entries, after.enumCoverage.entries),
    },
    statuses: statusChanges(before, after),
    ...(before.run.planDigest && after.run.planDigest
      ? {
          plan: {
            samePlan: before.run.planDigest === after.run.planDigest,
            sameProbes: before.run.probeDigest === after.run.probeDigest,
            old: `${before.run.planDigest}/${before.run.probeDigest ?? '?'}`,
            new: `${after.run.planDigest}/${after.run.probeDigest ?? '?'}`,
          },
        }
      : {}),
  };
}

function listed(failures: Failure[], limit: number, render: (f: Failure) => string): string[] {
  const shown = limit === 0 ? failures : failures.slice(0, limit);
  return [
    ...shown.map((f) => render(f).replace(/^/gm, '  ')),
    ...(failures.length > shown.length ? [`  … and ${failures.length - shown.length} more (raise --limit to list them)`] : []),
  ];
}

const identity = (f: Failure) => `${f.check} › ${f.operation}: ${f.message}`;
const values = (list: EnumValue[]) => list.map((v) => JSON.stringify(v)).join(', ');

export function renderDiff(diff: ReportDiff, files: { old: string; new: string }, limit = 50): string[] {
  const lines = [`report diff ${files.old} → ${files.new}`, ''];
  if (diff.plan && !diff.plan.samePlan) {
    lines.push(
      `The two runs had different plans (plan/probes ${diff.plan.old} → ${diff.plan.new}): other options or checks; compare with care.`,
      '',
    );
  } else if (diff.plan && !diff.plan.sameProbes) {
    lines.push(
      `The two runs sent different probes (plan/probes ${diff.plan.old} → ${diff.plan.new}): the target's state changed what was sent.`,
      '',
    );
  }
  lines.push(`New failures: ${diff.newFailures.length}`, ...listed(diff.newFailures, limit, renderFailure));
  lines.push(`Fixed: ${diff.fixed.length}`, ...listed(diff.fixed, limit, identity));
  if (diff.unchecked.length > 0)
    lines.push(
      `No longer checked (skipped, errored or not run in the new report): ${diff.unchecked.length}`,
      ...listed(diff.unchecked, limit, identity),
    );
  const { old: before, new: after, changes } = diff.coverage;
  lines.push(
    `Enum coverage: ${before.observed}/${before.total} (${before.percent}%) → ${after.observed}/${after.total} (${after.percent}%)`,
  );
  for (const c of changes) {
    const parts = [
      c.only === 'new' ? 'new enum' : c.only === 'old' ? 'no longer in the report' : '',
      c.gained.length > 0 ? `now observed ${values(c.gained)}` : '',
      c.lost.length > 0 ? `no longer observed ${values(c.lost)}` : '',
    ];
    lines.push(`  ${c.scope} ${c.pointer}: ${parts.filter(Boolean).join('; ')}`);
  }
  if (diff.statuses.length > 0) {
    lines.push('Statuses seen:');
    for (const s of diff.statuses)
      lines.push(
        `  ${s.operation}: ${[s.gained.length > 0 ? `now ${s.gained.join(', ')}` : '', s.lost.length > 0 ? `no longer ${s.lost.join(', ')}` : ''].filter(Boolean).join('; ')}`,
      );
  }
  lines.push('', diff.newFailures.length > 0 ? `${diff.newFailures.length} new failure(s): exit code 1.` : 'No new failures: exit code 0.');
  return lines;
}
