/**
 * The contract between checks and the engine. A check declares which operations it applies to,
 * optionally drives requests of its own (probes), observes every response of the operation as
 * it arrives (streaming, so no list is ever held whole), and concludes with failures as data.
 */
import type { ApiRequest } from '../client/upvest-client.js';
import type { Exchange } from '../client/exchange.js';
import type { ManifestOperation } from '../spec/manifest-types.js';

export type Severity = 'error' | 'warning';

/** Statuses that count as a correct answer to a probe, and why. */
export interface Expectation {
  statuses: number[];
  reason: string;
}

export interface Probe {
  /** Unique within the operation, stable across runs: `auth:no-bearer`, `param:limit:above-maximum`. */
  id: string;
  /** What the request tries, in words. */
  purpose: string;
  /** The check that sent it and judges its expectation. */
  owner: string;
  expect?: Expectation;
  /** A request with another method on the operation's path: its response is not one of this operation. */
  foreign?: boolean;
  request: ApiRequest;
  /** Free data for the owner (page number, order, …). */
  tags?: Record<string, unknown>;
}

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
  /** Set when the run's baseline lists this failure as a known deviation. */
  baselined?: { reason: string };
}

export interface FailureInput {
  message: string;
  received: string;
  expected: string;
  pointer?: string;
  schemaPointer?: string;
  severity?: Severity;
  result?: ProbeResult;
}

/** What the engine knows about the target that checks need. */
export interface CheckEnvironment {
  /** Path parameter values to use for the operation (first = primary). */
  pathValues: Record<string, string[]>;
  /** Values for required query parameters without a default. */
  queryValues: Record<string, string>;
  /** Whether requests are signed (and so whether the target can be expected to refuse unsigned ones). */
  signing: boolean;
  /** A scope set the client may request that does not satisfy the operation, if any. */
  foreignScopes?: string[];
  /** Request body for the operation's happy path (the POST trigger). */
  requestBody?: unknown;
  pageLimit: number;
  maxPages: number;
  minEnumCoverage: number;
}

export interface CheckContext {
  operation: ManifestOperation;
  env: CheckEnvironment;
  /** Record a failure of this check. */
  fail(input: FailureInput): void;
  /** Record figures for reports (pages walked, values seen, …). */
  stat(key: string, value: unknown): void;
  /** This check cannot be evaluated here (an empty list, say): skipped with the reason, unless it failed. */
  skip(reason: string): void;
  /** A probe of this check failed for a reason that does not make the check inconclusive. */
  excuse(probeId: string, reason: string): void;
}

/** Sends probes for a check's exercise; every result is also shown to every observer. */
export interface Exerciser {
  send(probe: Omit<Probe, 'owner'>): Promise<ProbeResult>;
  /** Sends several at once, within the run's concurrency. */
  sendAll(probes: Omit<Probe, 'owner'>[]): Promise<ProbeResult[]>;
}

export interface CheckRun {
  /** Drive this check's own requests (negative cases, page walks, …). */
  exercise?(exerciser: Exerciser): Promise<void>;
  /** Called for every response of the operation, from any probe, as it arrives. */
  observe?(result: ProbeResult): void;
  /** Called once after every probe of the operation has been observed. */
  conclude?(): void;
}

export interface Check {
  name: string;
  /** Stable, one line: what a pass means. */
  title: string;
  severity: Severity;
  /** true, or the reason the check does not apply to this operation. */
  appliesTo(operation: ManifestOperation, env: CheckEnvironment): true | string;
  start(ctx: CheckContext): CheckRun;
}

export type CheckStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface CheckOutcome {
  check: string;
  title: string;
  operation: string;
  operationId: string;
  status: CheckStatus;
  failures: Failure[];
  /** Lower-severity findings (do not fail the check). */
  warnings: Failure[];
  /** Harness errors of the probes this check depended on: the cause in one line each. */
  errors: { probe: string; code: string; message: string }[];
  skipReason?: string;
  /** Probes this check sent. */
  probes: number;
  stats: Record<string, unknown>;
  durationMs: number;
}
