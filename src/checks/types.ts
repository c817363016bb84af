/**
 * The contract between checks and the engine. A check declares which operations it applies to,
 * optionally drives requests of its own (probes), observes the responses of the operation as
 * they arrive (streaming, so no list is ever held whole), and concludes with failures as data.
 * Everything a check needs comes through its context: the operation, the environment, the spec.
 */
import type { Exchange } from '../client/exchange.js';
import type { ApiRequest } from '../client/upvest-client.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { SpecView } from '../spec/spec-view.js';

export type Severity = 'error' | 'warning';

/**
 * Where a requirement comes from. `documented`: it follows from the spec (a JSON pointer into
 * spec/openapi.yaml) and, through the spec, from the documentation page it records.
 * `convention`: HTTP semantics, an RFC, common API practice; the documentation does not make it.
 */
export type Basis = { kind: 'documented'; pointer: string; source?: string } | { kind: 'convention'; reference: string };

/**
 * What a probe is, which decides who judges its response:
 * - `documented`: the documented request, as a production client sends it;
 * - `variant`: a valid variation of it (paging, sorting, filtering, a second create);
 * - `replay`: the same request again (an idempotent replay may repeat the first answer whole);
 * - `negative`: deliberately broken; only its owner judges the answer, besides the invariants of
 *   every response;
 * - `foreign`: another method or operation; its response is not one of this operation.
 */
export type ProbeKind = 'documented' | 'variant' | 'replay' | 'negative' | 'foreign';

/** Statuses that count as a correct answer to a probe, and why. */
export interface Expectation {
  /** The statuses that answer it as the documentation would. */
  statuses: number[];
  /** Any 4xx but 429 answers it too (a refusal is a refusal; which one is not documented). */
  anyRefusal?: boolean;
  reason: string;
  basis: Basis;
  /** The severity when it is not met (default: by basis). */
  severity?: Severity;
}

export interface Probe {
  /** Unique within the operation, stable across runs: `auth:no-bearer`, `param:limit:above-maximum`. */
  id: string;
  kind: ProbeKind;
  /** What the request tries, in words. */
  purpose: string;
  /** The check that sent it (the engine sets it). */
  owner: string;
  expect?: Expectation;
  request: ApiRequest;
  /** Path parameter values the request was built with. */
  pathParams?: Record<string, string>;
}

/** A probe as a check hands it to the engine: the engine names the owner. */
export type ProbeInput = Omit<Probe, 'owner'>;

export interface ProbeResult {
  probe: Probe;
  /** Undefined when the exchange failed (see error). */
  status?: number;
  headers: Record<string, string>;
  /** Parsed body when it is JSON; available to observers only. */
  json?: unknown;
  /** Why the body is not JSON (empty, or the parse error), when it is not. */
  jsonError?: string;
  bodyBytes: number;
  /** The recorded (redacted) exchange: request, response excerpt, timing. */
  exchange: Exchange;
  error?: { code: string; message: string };
}

/** A violation found by a check: data, rendered to text only by renderFailure. */
export interface Failure {
  check: string;
  /** `METHOD /path` of the operation. */
  operation: string;
  title: string;
  message: string;
  severity: Severity;
  basis?: Basis;
  /** Instance pointer into the response body, when the failure is about one place in it. */
  pointer?: string;
  /** Pointer into the validator's schema (generated/schemas.json). */
  schemaPointer?: string;
  received: string;
  expected: string;
  /** The probe that showed it. */
  probe?: string;
  request?: Exchange['request'];
  response?: Exchange['response'];
  /** A curl command that reproduces the request, secrets replaced by placeholders. */
  curl?: string;
  /** How many responses showed the same finding (it is reported once). */
  occurrences?: number;
  /** Set when the run's baseline lists this failure as a known deviation. */
  baselined?: { reason: string };
}

export interface FailureInput {
  message: string;
  received: string;
  expected: string;
  /**
   * The finding's identity within the check and operation: a second failure with the same key
   * only counts an occurrence (one fault repeated over 1,000 items is reported once).
   */
  key?: string;
  /**
   * The observed fact the failure is about, when another check may report the same fact
   * (`header-missing:upvest-request-id`): the run keeps one failure per cause.
   */
  cause?: string;
  pointer?: string;
  schemaPointer?: string;
  /** Default: a warning when the basis is a convention, else the check's severity. */
  severity?: Severity;
  /** The requirement the finding enforces. */
  basis: Basis;
  /** The response that showed it (request, response excerpt and a curl line are taken from it). */
  result?: ProbeResult;
  /** Where it was seen when there is no probe result (a webhook delivery, a consumer's answer). */
  at?: { probe: string; request?: Exchange['request']; response?: Exchange['response'] };
}

/** What the engine knows about the target that checks need. */
export interface CheckEnvironment {
  /** Path parameter values to use for the operation (first = primary). */
  pathValues: Record<string, string[]>;
  /** Values for required query parameters without a default. */
  queryValues: Record<string, string>;
  /** Whether requests are signed (and so whether the target can be expected to refuse unsigned ones). */
  signing: boolean;
  /** A missing or forged signature accepted is an error (the target must verify), not a warning. */
  expectSignatureVerification: boolean;
  /** A scope set the client may request that does not satisfy the operation, if any. */
  foreignScopes?: string[];
  /** Request body for the operation's happy path (the POST trigger). */
  requestBody?: unknown;
  pageLimit: number;
  maxPages: number;
  minEnumCoverage: number;
  /** How many combinations of list parameters to send: quick (every pair of values), full (every triple). */
  depth: 'quick' | 'full';
}

/** Values a check records for the reports. */
export type StatValue = string | number | boolean | null | string[] | number[] | { [key: string]: StatValue };

/** The values observed at one documented enum (enum coverage). */
export interface EnumObservation {
  /** Where the enum applies: `METHOD /path 200`, or `webhook NAME`. */
  scope: string;
  pointer: string;
  values: (string | number)[];
  observed: (string | number)[];
}

export interface CheckContext {
  operation: ManifestOperation;
  env: CheckEnvironment;
  spec: SpecView;
  /** Record a failure of this check. */
  fail(input: FailureInput): void;
  /** Record a figure for reports (pages walked, cases tried, …). */
  stat(key: string, value: StatValue): void;
  /** Record what was observed at the operation's documented enums. */
  enums(observations: EnumObservation[]): void;
  /** This check cannot be evaluated here (an empty list, say): skipped with the reason, unless it failed. */
  skip(reason: string): void;
  /** A probe of this check failed for a reason that does not make the check inconclusive. */
  excuse(probeId: string, reason: string): void;
}

/** Sends probes for a check's exercise; every result is also shown to the observers. */
export interface Exerciser {
  send(probe: ProbeInput): Promise<ProbeResult>;
  /** Sends several at once, within the run's concurrency. */
  sendAll(probes: ProbeInput[]): Promise<ProbeResult[]>;
}

export interface CheckRun {
  /** Drive this check's own requests (negative cases, page walks, …) and judge their answers. */
  exercise?(exerciser: Exerciser): Promise<void>;
  /** Called for every response of the kinds the check observes, from any probe, as it arrives. */
  observe?(result: ProbeResult): void;
  /** Called once after every probe of the operation has been observed. */
  conclude?(): void;
}

/** Which part of a run a check judges. */
export type CheckScope = 'operation' | 'provider-webhooks' | 'webhook-consumer';

export interface CheckInfo {
  name: string;
  /** Stable, one line: what a pass means. */
  title: string;
  severity: Severity;
  scope: CheckScope;
}

export interface CheckApplicability {
  operation: ManifestOperation;
  env: CheckEnvironment;
  spec: SpecView;
}

/** A check of the API's operations: one per file in src/checks/, listed in the registry. */
export interface Check extends CheckInfo {
  scope: 'operation';
  /** The probe kinds whose responses `observe` sees (default: documented and variant). */
  observes?: readonly ProbeKind[];
  /** true, or the reason the check does not apply to this operation. */
  appliesTo(what: CheckApplicability): true | string;
  start(ctx: CheckContext): CheckRun;
}

export type CheckStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface CheckError {
  /** The probe (or phase: `(exercise)`, `(observe)`) the error happened in. */
  probe: string;
  code: string;
  message: string;
}

export interface CheckOutcome {
  check: string;
  title: string;
  operation: string;
  operationId: string;
  status: CheckStatus;
  failures: Failure[];
  /** Lower-severity findings (do not fail the check). */
  warnings: Failure[];
  /** Harness errors of the probes this check depended on, or of the check itself: the cause in one line each. */
  errors: CheckError[];
  skipReason?: string;
  /** Probes this check sent. */
  probes: number;
  stats: Record<string, StatValue>;
  /** What the check observed at documented enums (enum-coverage, webhook events). */
  enums?: EnumObservation[];
  durationMs: number;
}
