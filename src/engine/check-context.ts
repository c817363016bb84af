/**
 * The context a check runs in, and the record of what it found: used by the engine for every
 * check of every operation, and by the tests that run one check on hand-made responses.
 * Failures are redacted and de-duplicated here, once, never in the checks.
 */
import { secrets } from '../client/redact.js';
import { curlFor } from '../checks/failure.js';
import type {
  CheckContext,
  CheckEnvironment,
  CheckError,
  CheckInfo,
  CheckOutcome,
  EnumObservation,
  Failure,
  FailureInput,
  StatValue,
} from '../checks/types.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { SpecView } from '../spec/spec-view.js';
import { buildOutcome, dedupeCauses } from './outcome.js';

/** What any check records, whatever it judges (an operation, provider webhooks, a consumer). */
export interface FindingRecorder {
  readonly check: CheckInfo;
  fail(input: FailureInput): void;
  stat(key: string, value: StatValue): void;
  enums(observations: EnumObservation[]): void;
  skip(reason: string): void;
  excuse(probeId: string, reason: string): void;
  /** Record an error of a probe this check depended on, or of the check itself. */
  error(entry: CheckError): void;
  countProbe(): void;
  addDuration(ms: number): void;
  /** Skipped before it started (selection, bail), or by the check itself. */
  readonly skipReason: string | undefined;
  /** Every failure and warning with its cause, for de-duplication across checks. */
  readonly findings: { check: string; failure: Failure; cause?: string }[];
  /** The outcome, leaving out the given failures (found by another check first). */
  outcome(dropped?: Set<Failure>): CheckOutcome;
}

export interface RecorderOptions {
  check: CheckInfo;
  /** What is judged: an operation, `webhooks`, a consumer. */
  group: { key: string; operationId: string };
  /** Scrubs text quoted from the target (default: the process-wide secret registry). */
  scrub?: (text: string) => string;
}

export interface CheckRecord extends FindingRecorder {
  readonly ctx: CheckContext;
}

export interface CheckContextOptions {
  check: CheckInfo;
  operation: ManifestOperation;
  env: CheckEnvironment;
  spec: SpecView;
  scrub?: (text: string) => string;
}

/** The context of an operation check, over a recorder of its findings. */
export function createCheckContext(options: CheckContextOptions): CheckRecord {
  const recorder = createRecorder({ check: options.check, group: options.operation, scrub: options.scrub });
  const ctx: CheckContext = {
    operation: options.operation,
    env: options.env,
    spec: options.spec,
    fail: recorder.fail,
    stat: recorder.stat,
    enums: recorder.enums,
    skip: recorder.skip,
    excuse: recorder.excuse,
  };
  return Object.assign(recorder, { ctx });
}

export function createRecorder(options: RecorderOptions): FindingRecorder {
  const { check, group } = options;
  const scrub = options.scrub ?? ((text: string) => secrets.scrub(text));
  const failures: Failure[] = [];
  const warnings: Failure[] = [];
  const errors: CheckError[] = [];
  const findings: { check: string; failure: Failure; cause?: string }[] = [];
  const byKey = new Map<string, Failure>();
  const excused = new Set<string>();
  const stats: Record<string, StatValue> = {};
  let enums: EnumObservation[] | undefined;
  let skipReason: string | undefined;
  let probes = 0;
  let durationMs = 0;

  const fail = (input: FailureInput) => {
    if (input.key !== undefined) {
      const first = byKey.get(input.key);
      if (first) {
        first.occurrences = (first.occurrences ?? 1) + 1;
        return;
      }
    }
    const r = input.result;
    // Failure texts quote what the target sent, which may reflect credentials.
    const failure: Failure = {
      check: check.name,
      operation: group.key,
      title: check.title,
      message: scrub(input.message),
      // Only the documentation fails the gate by default: a convention is a warning unless asked.
      severity: input.severity ?? (input.basis.kind === 'convention' ? 'warning' : check.severity),
      basis: input.basis,
      received: scrub(input.received),
      expected: scrub(input.expected),
      ...(input.pointer !== undefined ? { pointer: input.pointer } : {}),
      ...(input.schemaPointer ? { schemaPointer: input.schemaPointer } : {}),
      ...(r ? { probe: r.probe.id, request: r.exchange.request, response: r.exchange.response, curl: curlFor(r.exchange.request) } : {}),
      ...(!r && input.at
        ? {
            probe: input.at.probe,
            ...(input.at.request ? { request: input.at.request, curl: curlFor(input.at.request) } : {}),
            ...(input.at.response ? { response: input.at.response } : {}),
          }
        : {}),
    };
    if (input.key !== undefined) byKey.set(input.key, failure);
    findings.push({ check: check.name, failure, cause: input.cause });
    (failure.severity === 'warning' ? warnings : failures).push(failure);
  };

  return {
    check,
    fail,
    stat: (key, value) => {
      stats[key] = value;
    },
    enums: (observations) => {
      enums = observations;
    },
    skip: (reason) => {
      skipReason = reason;
    },
    excuse: (probeId, reason) => {
      excused.add(probeId);
      stats[`excused:${probeId}`] = reason;
    },
    error: (entry) => errors.push(entry),
    countProbe: () => {
      probes++;
    },
    addDuration: (ms) => {
      durationMs += ms;
    },
    get skipReason() {
      return skipReason;
    },
    findings,
    outcome: (dropped = new Set()) =>
      buildOutcome(check, group, {
        failures: failures.filter((f) => !dropped.has(f)),
        warnings: warnings.filter((f) => !dropped.has(f)),
        errors: errors.filter((e) => !excused.has(e.probe)),
        skipReason,
        probes,
        stats,
        enums,
        durationMs,
      }),
  };
}

/** The outcomes of several checks of one operation, one finding per cause. */
export function outcomesOf(records: FindingRecorder[]): CheckOutcome[] {
  const dropped = dedupeCauses(records.flatMap((r) => r.findings));
  return records.map((r) => r.outcome(dropped));
}
