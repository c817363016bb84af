/**
 * Runs one check against hand-made responses, without a network: a fake target answers each
 * probe through a function, and observed results can be fed directly.
 */
import type { Exchange } from '../../src/client/exchange.js';
import type { ApiRequest } from '../../src/client/upvest-client.js';
import type { Check, CheckEnvironment, Failure, Probe, ProbeResult } from '../../src/checks/types.js';
import { operationById } from '../../src/spec/manifest.js';
import type { ManifestOperation } from '../../src/spec/manifest-types.js';

export const ACCOUNT = '7d2a4c1e-5b3f-4a6d-8e9f-0a1b2c3d4e5f';
export const EXECUTION = '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7';
export const REQUEST_ID = '169ae4c7-ebd7-4041-94da-25369653eba7';

export function environment(overrides: Partial<CheckEnvironment> = {}): CheckEnvironment {
  return {
    pathValues: { account_id: [ACCOUNT], execution_id: [EXECUTION] },
    queryValues: { price_quality: 'EOD' },
    signing: true,
    foreignScopes: ['valuations:read'],
    requestBody: { accounts: [ACCOUNT] },
    pageLimit: 2,
    maxPages: 50,
    minEnumCoverage: 0,
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
    probe: { id: 'baseline:0', purpose: 'the documented request', owner: 'status-code', request, ...probe },
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
  stats: Record<string, unknown>;
  probes: Probe[];
  skipped?: string;
}

/**
 * Run `check` on `operationId`: feed `observed` results, and answer the check's own probes
 * with `answer` (which gets the probe and returns a fake response).
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
  } = {},
): Promise<CheckRunResult> {
  const operation = options.operation ?? operationById(operationId);
  const env = options.env ?? environment();
  const out: CheckRunResult = { failures: [], warnings: [], stats: {}, probes: [] };
  const run = check.start({
    operation,
    env,
    fail: (input) => {
      const failure: Failure = {
        check: check.name,
        operation: operation.key,
        title: check.title,
        message: input.message,
        severity: input.severity ?? check.severity,
        received: input.received,
        expected: input.expected,
        pointer: input.pointer,
        schemaPointer: input.schemaPointer,
      };
      (failure.severity === 'warning' ? out.warnings : out.failures).push(failure);
    },
    stat: (key, value) => (out.stats[key] = value),
    skip: (reason) => (out.skipped = reason),
    excuse: () => undefined,
  });
  const send = async (input: Omit<Probe, 'owner'>) => {
    const probe: Probe = { ...input, owner: check.name };
    out.probes.push(probe);
    if (!options.answer) throw new Error(`unexpected probe ${probe.id}`);
    const r = result(options.answer(probe), probe);
    run.observe?.(r);
    return r;
  };
  if (run.exercise && options.exercise !== false) await run.exercise({ send, sendAll: (probes) => Promise.all(probes.map(send)) });
  for (const r of options.observed ?? []) run.observe?.(r);
  run.conclude?.();
  return out;
}

/** The query of a probe as a map. */
export function queryOf(probe: Probe): Map<string, string> {
  return new Map(Array.isArray(probe.request.query) ? probe.request.query : []);
}
