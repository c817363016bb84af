/**
 * Runs the checks of one operation: the documented request(s) first, then each check's own
 * probes; every response is shown to every check as it arrives and then dropped, so memory
 * holds findings and ids, never whole lists.
 */
import type { Exchange } from '../client/exchange.js';
import { exchangeOf } from '../client/transport.js';
import { secrets } from '../client/redact.js';
import type { UpvestClient } from '../client/upvest-client.js';
import { HarnessError } from '../errors.js';
import { curlFor } from '../checks/failure.js';
import { requestFor } from '../checks/requests.js';
import type { Check, CheckContext, CheckEnvironment, CheckOutcome, CheckRun, Failure, Probe, ProbeResult } from '../checks/types.js';
import { documentedStatuses } from '../spec/manifest.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { Limiter } from './limiter.js';
import type { CircuitBreaker } from './breaker.js';

export interface OperationReport {
  operation: string;
  operationId: string;
  method: string;
  path: string;
  documentedStatuses: number[];
  /** Status → count, over this operation's own responses (not other methods' probes). */
  statusesSeen: Record<string, number>;
  outcomes: CheckOutcome[];
  probes: number;
  durationMs: number;
  /** When the whole operation could not run (no account configured, not selected, …). */
  skipReason?: string;
  /** Ids of resources the operation created (2xx responses of its own probes). */
  created: string[];
}

export interface OperationRunOptions {
  client: UpvestClient;
  env: CheckEnvironment;
  limiter: Limiter;
  /** Shared by the operations of a run: a target that stopped answering is not sent more. */
  breaker?: CircuitBreaker;
  /** Checks to run; each with `true` or the reason it is skipped. */
  checks: { check: Check; selected: true | string }[];
}

interface CheckState {
  check: Check;
  run?: CheckRun;
  failures: Failure[];
  warnings: Failure[];
  errors: CheckOutcome['errors'];
  excused: Set<string>;
  stats: Record<string, unknown>;
  probes: number;
  skipReason?: string;
  durationMs: number;
}

/** The documented happy requests: one per configured value of the primary path parameter. */
export function baselineProbes(op: ManifestOperation, env: CheckEnvironment): Omit<Probe, 'owner'>[] {
  const multi = op.parameters.find((p) => p.in === 'path' && (env.pathValues[p.name]?.length ?? 0) > 1);
  const values = multi ? env.pathValues[multi.name] : [undefined];
  return values.map((value, i) => {
    const { request, pathParams } = requestFor(op, env, multi && value ? { pathParams: { [multi.name]: value } } : {});
    return {
      id: `baseline:${i}`,
      purpose: `the documented request${value ? ` for ${multi!.name} ${value}` : ''}`,
      request,
      expect: { statuses: [200], reason: 'the documented request with valid credentials succeeds' },
      tags: { pathParams },
    };
  });
}

function syntheticExchange(probe: Probe): Exchange {
  return {
    id: 0,
    attempt: 0,
    startedAt: new Date().toISOString(),
    request: { method: probe.request.method, url: probe.request.path, headers: {} },
  };
}

function parseBody(body: Buffer): { json?: unknown; jsonError?: string } {
  if (body.length === 0) return { jsonError: 'the body is empty' };
  try {
    return { json: JSON.parse(body.toString('utf8')) };
  } catch (error) {
    return { jsonError: `not JSON (${(error as Error).message}); first bytes ${JSON.stringify(body.subarray(0, 60).toString('utf8'))}` };
  }
}

export async function runOperation(op: ManifestOperation, options: OperationRunOptions): Promise<OperationReport> {
  const started = performance.now();
  const statusesSeen: Record<string, number> = {};
  const created: string[] = [];
  let probeCount = 0;

  const states: CheckState[] = options.checks.map(({ check, selected }) => {
    const state: CheckState = { check, failures: [], warnings: [], errors: [], excused: new Set(), stats: {}, probes: 0, durationMs: 0 };
    if (selected !== true) state.skipReason = selected;
    return state;
  });
  const active = () => states.filter((s) => s.run);

  const execute = async (probe: Probe): Promise<ProbeResult> => {
    const skipped = options.breaker?.shortCircuit;
    if (skipped) return { probe, headers: {}, bodyBytes: 0, exchange: syntheticExchange(probe), error: skipped };
    try {
      const response = await options.client.send(probe.request);
      options.breaker?.recordAnswer();
      return {
        probe,
        status: response.status,
        headers: response.headers,
        bodyBytes: response.body.length,
        exchange: response.exchange,
        ...parseBody(response.body),
      };
    } catch (error) {
      if (!(error instanceof HarnessError)) throw error;
      const cause = { code: error.code, message: error.message };
      options.breaker?.recordFailure(cause);
      return { probe, headers: {}, bodyBytes: 0, exchange: exchangeOf(error) ?? syntheticExchange(probe), error: cause };
    }
  };

  const observe = (result: ProbeResult) => {
    for (const state of active()) {
      try {
        state.run!.observe?.(result);
      } catch (error) {
        state.errors.push({
          probe: result.probe.id,
          code: 'CT_ERR_CHECK',
          message: `the check failed on this response: ${(error as Error).message}`,
        });
      }
    }
  };

  const send =
    (owner: CheckState | undefined, baseline = false) =>
    async (input: Omit<Probe, 'owner'>): Promise<ProbeResult> => {
      const probe: Probe = { ...input, owner: owner?.check.name ?? 'status-code' };
      const result = await options.limiter.run(() => execute(probe));
      probeCount++;
      if (owner) owner.probes++;
      if (result.status !== undefined && !probe.foreign) {
        statusesSeen[result.status] = (statusesSeen[result.status] ?? 0) + 1;
        const id = (result.json as { id?: unknown } | undefined)?.id;
        if (op.method === 'POST' && result.status < 300 && typeof id === 'string') created.push(id);
      }
      if (result.error) {
        const entry = { probe: probe.id, code: result.error.code, message: result.error.message };
        // The owner cannot conclude without this answer; checks that only observe depend on the baseline.
        const concerned = new Set<CheckState>(owner ? [owner] : []);
        if (baseline) for (const state of active()) if (!state.run!.exercise) concerned.add(state);
        for (const state of concerned) state.errors.push(entry);
      }
      observe(result);
      return result;
    };

  for (const state of states) {
    if (state.skipReason) continue;
    const ctx: CheckContext = {
      operation: op,
      env: options.env,
      fail: (input) => {
        const r = input.result;
        // Failure texts quote what the target sent, which may reflect credentials: redact them
        // here, in the process that knows every token it was issued.
        const failure: Failure = {
          check: state.check.name,
          operation: op.key,
          title: state.check.title,
          message: secrets.scrub(input.message),
          severity: input.severity ?? state.check.severity,
          received: secrets.scrub(input.received),
          expected: secrets.scrub(input.expected),
          ...(input.pointer !== undefined ? { pointer: input.pointer } : {}),
          ...(input.schemaPointer ? { schemaPointer: input.schemaPointer } : {}),
          ...(r
            ? { probe: r.probe.id, request: r.exchange.request, response: r.exchange.response, curl: curlFor(r.exchange.request) }
            : {}),
        };
        (failure.severity === 'warning' ? state.warnings : state.failures).push(failure);
      },
      stat: (key, value) => {
        state.stats[key] = value;
      },
      skip: (reason) => {
        state.skipReason = reason;
      },
      excuse: (probeId, reason) => {
        state.excused.add(probeId);
        state.stats[`excused:${probeId}`] = reason;
      },
    };
    state.run = state.check.start(ctx);
  }

  const baselineOwner = states.find((s) => s.check.name === 'status-code' && s.run);
  await Promise.all(baselineProbes(op, options.env).map((p) => send(baselineOwner, true)(p)));
  // Checks exercise concurrently: the limiter, not the order of checks, bounds requests in flight.
  await Promise.all(
    active()
      .filter((state) => state.run!.exercise)
      .map(async (state) => {
        const t = performance.now();
        try {
          await state.run!.exercise!({ send: send(state), sendAll: (probes) => Promise.all(probes.map(send(state))) });
        } catch (error) {
          if (!(error instanceof HarnessError)) throw error;
          state.errors.push({ probe: '(exercise)', code: error.code, message: error.message });
        }
        state.durationMs += performance.now() - t;
      }),
  );
  for (const state of active()) state.run!.conclude?.();

  const outcomes: CheckOutcome[] = states.map((state) => {
    const errors = state.errors.filter((e) => !state.excused.has(e.probe));
    const status = state.failures.length > 0 ? 'failed' : errors.length > 0 ? 'error' : state.skipReason ? 'skipped' : 'passed';
    return {
      check: state.check.name,
      title: state.check.title,
      operation: op.key,
      operationId: op.operationId,
      status,
      failures: state.failures,
      warnings: state.warnings,
      errors,
      ...(status === 'skipped' ? { skipReason: state.skipReason } : {}),
      probes: state.probes,
      stats: state.stats,
      durationMs: Math.round(state.durationMs),
    };
  });
  return {
    operation: op.key,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    documentedStatuses: documentedStatuses(op),
    statusesSeen,
    outcomes,
    probes: probeCount,
    durationMs: Math.round(performance.now() - started),
    created,
  };
}
