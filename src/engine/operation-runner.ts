/**
 * Runs the checks of one operation: the documented request(s) first, then each check's own
 * probes; every response is shown to the checks that observe its kind as it arrives and then
 * dropped, so memory holds findings and ids, never whole lists. Whatever a check throws, in
 * whatever phase, becomes an error outcome of that check; the other checks go on.
 */
import { exchangeOf } from '../client/transport-errors.js';
import type { Exchange } from '../client/exchange.js';
import type { UpvestClient } from '../client/upvest-client.js';
import { HarnessError } from '../errors.js';
import { documented } from '../checks/basis.js';
import { requestFor } from '../checks/requests.js';
import type { Check, CheckEnvironment, CheckRun, Probe, ProbeInput, ProbeKind, ProbeResult } from '../checks/types.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { SpecView } from '../spec/spec-view.js';
import type { BreakerView } from './breaker.js';
import { createCheckContext, outcomesOf, type CheckRecord } from './check-context.js';
import type { RunEventHandler } from './events.js';
import type { Limiter } from './limiter.js';
import { crashOf } from './outcome.js';
import { ResponseBodies } from './response-bodies.js';
import type { OperationResult } from './result.js';

export interface OperationRunOptions {
  client: UpvestClient;
  env: CheckEnvironment;
  spec: SpecView;
  limiter: Limiter;
  /** This operation's view of the run's breaker: an operation (or a target) that stopped answering is not sent more. */
  breaker?: BreakerView;
  /** Checks to run; each with `true` or the reason it is skipped. */
  checks: { check: Check; selected: true | string }[];
  emit?: RunEventHandler;
}

/** The kinds a check observes unless it says otherwise. */
const DEFAULT_OBSERVED: readonly ProbeKind[] = ['documented', 'variant'];

/** The check that judges the documented requests (and owns them in reports). */
const DOCUMENTED_OWNER = 'status-code';

interface Running {
  record: CheckRecord;
  check: Check;
  run?: CheckRun;
  observes: ReadonlySet<ProbeKind>;
  crashed: boolean;
}

/** The documented happy requests: one per configured value of the primary path parameter. */
export function documentedProbes(op: ManifestOperation, env: CheckEnvironment): ProbeInput[] {
  const multi = op.parameters.find((p) => p.in === 'path' && (env.pathValues[p.name]?.length ?? 0) > 1);
  const values = multi ? env.pathValues[multi.name] : [undefined];
  return values.map((value, i) => {
    const { request, pathParams } = requestFor(op, env, multi && value ? { pathParams: { [multi.name]: value } } : {});
    return {
      id: `baseline:${i}`,
      kind: 'documented',
      purpose: `the documented request${value ? ` for ${multi!.name} ${value}` : ''}`,
      request,
      pathParams,
      expect: {
        statuses: [200],
        reason: 'the documented request with valid credentials succeeds',
        basis: documented(op, 'responses', '200'),
      },
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

export async function runOperation(op: ManifestOperation, options: OperationRunOptions): Promise<OperationResult> {
  const started = performance.now();
  const statusesSeen: Record<string, number> = {};
  const created: string[] = [];
  let probeCount = 0;
  // Per operation: its probes are what repeat one another's answers, and what it keeps ends with it.
  const bodies = new ResponseBodies();

  const states: Running[] = options.checks.map(({ check, selected }) => {
    const record = createCheckContext({ check, operation: op, env: options.env, spec: options.spec });
    if (selected !== true) record.ctx.skip(selected);
    return { record, check, observes: new Set(check.observes ?? DEFAULT_OBSERVED), crashed: false };
  });
  const active = () => states.filter((s) => s.run && !s.crashed);
  const crash = (state: Running, error: unknown, phase: string) => {
    state.crashed = true;
    state.record.error(crashOf(error, phase));
  };

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
        ...bodies.parse(response.body),
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
      if (!state.run!.observe || !state.observes.has(result.probe.kind)) continue;
      try {
        state.run!.observe(result);
      } catch (error) {
        crash(state, error, `observe of ${result.probe.id}`);
      }
    }
  };

  const send =
    (owner: Running | undefined) =>
    async (input: ProbeInput): Promise<ProbeResult> => {
      const probe: Probe = { ...input, owner: owner?.check.name ?? DOCUMENTED_OWNER };
      const result = await options.limiter.run(() => execute(probe));
      probeCount++;
      owner?.record.countProbe();
      options.emit?.({
        type: 'probe-finished',
        operation: op.key,
        probe: { id: probe.id, kind: probe.kind, owner: probe.owner, purpose: probe.purpose },
        ...(result.status !== undefined ? { status: result.status } : {}),
        ...(result.error ? { error: result.error } : {}),
        ...(result.exchange.durationMs !== undefined ? { durationMs: result.exchange.durationMs } : {}),
      });
      if (result.status !== undefined && probe.kind !== 'foreign') {
        statusesSeen[result.status] = (statusesSeen[result.status] ?? 0) + 1;
        const id = (result.json as { id?: unknown } | undefined)?.id;
        // Whatever a request was answered with exists (side-effects reads this); the first is the documented one's.
        if (op.method === 'POST' && result.status < 300 && typeof id === 'string') created.push(id);
      }
      if (result.error) {
        const entry = { probe: probe.id, code: result.error.code, message: result.error.message };
        // The owner cannot conclude without this answer; checks that only observe depend on the documented requests.
        const concerned = new Set<Running>(owner ? [owner] : []);
        if (probe.kind === 'documented') for (const state of active()) if (!state.run!.exercise) concerned.add(state);
        for (const state of concerned) state.record.error(entry);
      }
      observe(result);
      return result;
    };

  for (const state of states) {
    if (state.record.skipReason) continue;
    try {
      state.run = state.check.start(state.record.ctx);
    } catch (error) {
      crash(state, error, 'start');
    }
  }

  await Promise.all(documentedProbes(op, options.env).map((p) => send(undefined)(p)));
  // Checks exercise concurrently: the limiter, not the order of checks, bounds requests in flight.
  await Promise.all(
    active()
      .filter((state) => state.run!.exercise)
      .map(async (state) => {
        const t = performance.now();
        const sendOwn = send(state);
        try {
          await state.run!.exercise!({ send: sendOwn, sendAll: (probes) => Promise.all(probes.map(sendOwn)) });
        } catch (error) {
          if (error instanceof HarnessError) state.record.error({ probe: '(exercise)', code: error.code, message: error.message });
          else crash(state, error, 'exercise');
        }
        state.record.addDuration(performance.now() - t);
      }),
  );
  for (const state of active()) {
    try {
      state.run!.conclude?.();
    } catch (error) {
      crash(state, error, 'conclude');
    }
  }

  return {
    operation: op.key,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    documentedStatuses: options.spec.documentedStatuses(op),
    statusesSeen,
    outcomes: outcomesOf(states.map((s) => s.record)),
    probes: probeCount,
    durationMs: Math.round(performance.now() - started),
    created,
  };
}
