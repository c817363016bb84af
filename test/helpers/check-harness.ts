/**
 * Runs one check against hand-made responses, without a network: a fake target answers each
 * probe through a function, and observed results can be fed directly.
 */
import type { Exchange } from '../../src/client/exchange.js';
import type { ApiRequest } from '../../src/client/upvest-client.js';
import type { Check, CheckEnvironment, CheckOutcome, Failure, Probe, ProbeInput, ProbeResult } from '../../src/checks/types.js';
import { createCheckContext } from '../../src/engine/check-context.js';
import type { ManifestOperation } from '../../src/spec/manifest-types.js';
import { SPEC, type SpecView } from '../../src/spec/spec-view.js';

export const ACCOUNT = '7d2a4c1e-5b3f-4a6d-8e9f-0a1b2c3d4e5f';
export const EXECUTION = '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7';
export const REQUEST_ID = '169ae4c7-ebd7-4041-94da-25369653eba7';

export function environment(overrides: Partial<CheckEnvironment> = {}): CheckEnvironment {
  return {
    pathValues: { account_id: [ACCOUNT], execution_id: [EXECUTION] },
    queryValues: { price_quality: 'EOD' },
    signing: true,
    expectSignatureVerification: true,
    foreignScopes: ['valuations:read'],
    requestBody: { accounts: [ACCOUNT] },
    pageLimit: 2,
    maxPages: 50,
    minEnumCoverage: 0,
    depth: 'quick',
    ...overrides,
  };
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  raw?: string;
}

function exchange(request: ApiRequest, response?: FakeResponse): Exchange {
  return {
    id: 1,
    attempt: 1,
    startedAt: '2025-01-01T00:00:00.000Z',
    request: {
      method: request.method,
      url: `https://target.example${request.path}`,
      headers: { accept: 'application/json', authorization: 'Bearer [REDACTED]' },
    },
    ...(response
      ? {
          response: {
            status: response.status,
            headers: response.headers ?? {},
            bodyExcerpt: response.raw ?? JSON.stringify(response.json ?? ''),
            bodyBytes: 10,
            truncated: false,
          },
        }
      : {}),
  };
}

/** A probe result as the engine would build it. */
export function result(response: FakeResponse, probe: Partial<Probe> = {}): ProbeResult {
  const request: ApiRequest = probe.request ?? { method: 'GET', path: '/x', auth: { scopes: [] } };
  const contentType = response.status >= 400 ? 'application/problem+json' : 'application/json';
  const headers = { 'content-type': contentType, 'upvest-request-id': REQUEST_ID, ...response.headers };
  const json = response.raw !== undefined ? undefined : response.json;
  return {
    probe: { id: 'baseline:0', kind: 'documented', purpose: 'the documented request', owner: 'status-code', request, ...probe },
    status: response.status,
    headers,
    json,
    ...(response.raw !== undefined ? { jsonError: 'not JSON' } : {}),
    bodyBytes: 10,
    exchange: exchange(request, { ...response, headers }),
  };
}

export interface CheckRunResult {
  failures: Failure[];
  warnings: Failure[];
  stats: CheckOutcome['stats'];
  enums?: CheckOutcome['enums'];
  probes: Probe[];
  status: CheckOutcome['status'];
  skipped?: string;
  errors: CheckOutcome['errors'];
}

/**
 * Run `check` on `operationId` in the context the engine gives it (createCheckContext): feed
 * `observed` results to its observe (when it observes their kind), and answer the check's own
 * probes with `answer` (which gets the probe and returns a fake response).
 */
export async function runCheck(
  check: Check,
  operationId: string,
  options: {
    env?: CheckEnvironment;
    observed?: ProbeResult[];
    answer?: (probe: Probe) => FakeResponse;
    operation?: ManifestOperation;
    exercise?: boolean;
    spec?: SpecView;
  } = {},
): Promise<CheckRunResult> {
  const spec = options.spec ?? SPEC;
  const operation = options.operation ?? spec.operation(operationId);
  const env = options.env ?? environment();
  const record = createCheckContext({ check, operation, env, spec });
  const probes: Probe[] = [];
  const run = check.start(record.ctx);
  const observes = new Set(check.observes ?? ['documented', 'variant']);
  const observe = (r: ProbeResult) => {
    if (observes.has(r.probe.kind)) run.observe?.(r);
  };
  const send = async (input: ProbeInput) => {
    const probe: Probe = { ...input, owner: check.name };
    probes.push(probe);
    record.countProbe();
    if (!options.answer) throw new Error(`unexpected probe ${probe.id}`);
    const r = result(options.answer(probe), probe);
    observe(r);
    return r;
  };
  if (run.exercise && options.exercise !== false) await run.exercise({ send, sendAll: (list) => Promise.all(list.map(send)) });
  for (const r of options.observed ?? []) observe(r);
  run.conclude?.();
  const outcome = record.outcome();
  return {
    failures: outcome.failures,
    warnings: outcome.warnings,
    stats: outcome.stats,
    ...(outcome.enums ? { enums: outcome.enums } : {}),
    probes,
    status: outcome.status,
    ...(outcome.skipReason ? { skipped: outcome.skipReason } : {}),
    errors: outcome.errors,
  };
}

/** The query of a probe as a map. */
export function queryOf(probe: Probe): Map<string, string> {
  return new Map(Array.isArray(probe.request.query) ? probe.request.query : []);
}
