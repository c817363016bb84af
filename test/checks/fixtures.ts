/**
 * Given/want material shared by the per-check tests (test/checks/<check>.test.ts): sample
 * items of the documented lists, a correct list target with switchable faults, and the
 * comparison of a check's findings with what a case wants.
 */
import { expect } from 'vitest';
import type { Failure, Probe, ProbeResult } from '../../src/checks/types.js';
import { generateInstance, type Schema } from '../../src/data/instance-generator.js';
import { storedSchema } from '../../src/spec/manifest.js';
import { ACCOUNT, type CheckRunResult, type FakeResponse, queryOf, result } from '../helpers/check-harness.js';

export const LIST_VALUATIONS = 'listAccountValuations';
export const CURRENT_VALUATION = 'getCurrentAccountValuation';
export const LIST_ORDERS = 'listPortfolioRebalancingExecutionOrders';
export const RETRIEVE_EXECUTION = 'retrievePortfolioRebalancingExecution';
export const TRIGGER = 'triggerPortfolioRebalancing';

export const OTHER_ACCOUNT = '99999999-9999-4999-8999-999999999999';

/** A valid valuation of ACCOUNT on day `day` of 2024 (22:00 UTC), with a stable id. */
export function valuation(day: number, id = `00000000-0000-4000-8000-${String(day).padStart(12, '0')}`): Record<string, unknown> {
  const v = generateInstance(storedSchema('response_getCurrentAccountValuation_200_json') as Schema, { seed: day }) as Record<
    string,
    unknown
  >;
  const time = new Date(Date.UTC(2024, 0, 1) + day * 86_400_000 + 22 * 3_600_000).toISOString().replace('.000', '');
  return { ...v, id, account_id: ACCOUNT, valuation_time: time };
}

/** Twelve valuations, one a day from 2024-01-01, ascending by valuation_time. */
export const HISTORY = Array.from({ length: 12 }, (_, day) => valuation(day));

export interface ListFaults {
  /** Every page starts at the first item. */
  ignoreOffset?: boolean;
  /** order=DESC answered ascending. */
  ignoreOrder?: boolean;
  /** start_date / end_date ignored. */
  ignoreDates?: boolean;
  /** end_date exclusive: the end day's items left out. */
  endExclusive?: boolean;
  /** The page at this page index (offset = index × limit) starts with the list's first item. */
  repeatOnPage?: number;
  /** meta.count off by this much. */
  countOff?: number;
  /** meta.limit always this. */
  echoLimit?: number;
  /** meta.offset always this. */
  echoOffset?: number;
  /** total_count grows by one on every other call. */
  totalDrift?: boolean;
  /** total_count always this. */
  total?: number;
  /** Pages of at most this many items (a page short of the end). */
  capPage?: number;
  /** Pages at a limit below this hold the items in another (reversed) order. */
  reverseSmallPages?: number;
  /** Pages at a limit below this leave out this item id. */
  dropOnSmallPages?: { below: number; id: string };
  /** Any request with this query parameter is refused with 400. */
  refuseParameter?: string;
  /** The answer to each call: a status without a list. */
  statusOn?: (probe: Probe) => number | undefined;
}

/** A correct list endpoint over `items` (sorted by `field` ascending), with optional faults. */
export function listAnswer(items: Record<string, unknown>[], faults: ListFaults = {}, field = '/valuation_time') {
  let calls = 0;
  return (probe: Probe): FakeResponse => {
    calls++;
    const q = queryOf(probe);
    const status = faults.statusOn?.(probe);
    if (status !== undefined) return { status, json: { type: 'x', status } };
    if (faults.refuseParameter && q.has(faults.refuseParameter)) return { status: 400, json: { type: 'bad_request', status: 400 } };
    const offset = Number(q.get('offset') ?? 0);
    const limit = Number(q.get('limit') ?? 100);
    const key = field.slice(1);
    let matching = [...items];
    if (!faults.ignoreDates) {
      const start = q.get('start_date');
      const end = q.get('end_date');
      matching = matching.filter((item) => {
        const day = String(item[key]).slice(0, 10);
        return (!start || day >= start) && (!end || (faults.endExclusive ? day < end : day <= end));
      });
    }
    if (q.get('order') === 'DESC' && !faults.ignoreOrder) matching.reverse();
    if (faults.reverseSmallPages !== undefined && limit < faults.reverseSmallPages) matching.reverse();
    const drop = faults.dropOnSmallPages;
    if (drop && limit < drop.below) matching = matching.filter((item) => item.id !== drop.id);
    const from = faults.ignoreOffset ? 0 : offset;
    let page = matching.slice(from, from + Math.min(limit, faults.capPage ?? limit));
    if (faults.repeatOnPage !== undefined && offset === faults.repeatOnPage * limit && page.length > 0)
      page = [matching[0], ...page.slice(1)];
    return {
      status: 200,
      json: {
        meta: {
          offset: faults.echoOffset ?? offset,
          limit: faults.echoLimit ?? limit,
          count: page.length + (faults.countOff ?? 0),
          total_count: faults.total ?? matching.length + (faults.totalDrift ? calls % 2 : 0),
          sort: q.get('sort') ?? key,
          order: q.get('order') ?? 'ASC',
        },
        data: page,
      },
    };
  };
}

/** A list response observed for a request with `query`. */
export function listResult(
  query: [string, string][],
  json: { meta: Record<string, unknown>; data: unknown[] },
  probe: Partial<Probe> = {},
): ProbeResult {
  return result(
    { status: 200, json },
    { id: 'meta:explicit', kind: 'variant', request: { method: 'GET', path: '/x', query, auth: { scopes: [] } }, ...probe },
  );
}

/** What a case wants of one finding: the failure's facts, `message` and `expected` as fragments. */
export interface WantFinding {
  severity: Failure['severity'];
  basis: 'documented' | 'convention';
  /** Part of the failure's message. */
  message: string;
  pointer?: string;
  received?: string;
  /** Part of what the failure expected. */
  expected?: string;
  /** The spec pointer of a documented basis, exactly. */
  at?: string;
  occurrences?: number;
  probe?: string;
  /** Pointer into the validator's schema, exactly. */
  schemaPointer?: string;
}

/** Failures, then warnings, of a run, as a case states them. */
export function findingsOf(run: Pick<CheckRunResult, 'failures' | 'warnings'>): Failure[] {
  return [...run.failures, ...run.warnings];
}

/** The run found exactly `want`, in order (failures first, then warnings). */
export function expectFindings(run: Pick<CheckRunResult, 'failures' | 'warnings'>, want: WantFinding[]): void {
  const got = findingsOf(run).map((f) => ({
    severity: f.severity,
    basis: f.basis?.kind,
    message: f.message,
    ...(f.pointer !== undefined ? { pointer: f.pointer } : {}),
    received: f.received,
    expected: f.expected,
    at: f.basis?.kind === 'documented' ? f.basis.pointer : undefined,
    occurrences: f.occurrences,
    probe: f.probe,
    schemaPointer: f.schemaPointer,
  }));
  expect(got).toEqual(
    want.map((w) =>
      expect.objectContaining({
        severity: w.severity,
        basis: w.basis,
        message: expect.stringContaining(w.message),
        ...(w.pointer !== undefined ? { pointer: w.pointer } : {}),
        ...(w.received !== undefined ? { received: w.received } : {}),
        ...(w.expected !== undefined ? { expected: expect.stringContaining(w.expected) } : {}),
        ...(w.at !== undefined ? { at: w.at } : {}),
        ...(w.occurrences !== undefined ? { occurrences: w.occurrences } : {}),
        ...(w.probe !== undefined ? { probe: w.probe } : {}),
        ...(w.schemaPointer !== undefined ? { schemaPointer: w.schemaPointer } : {}),
      }),
    ),
  );
}

/** `#/paths/<escaped path>/<method>/…`: the spec pointer of an operation's requirement. */
export function at(path: string, method: string, ...segments: string[]): string {
  const escapeSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
  return ['#', 'paths', escapeSegment(path), method, ...segments.map(escapeSegment)].join('/');
}
export const VALUATIONS_PATH = '/accounts/{account_id}/valuations';
export const CURRENT_PATH = '/accounts/{account_id}/valuations/current';
export const EXECUTIONS_PATH = '/portfolios/rebalancings/executions';
export const EXECUTION_PATH = '/portfolios/rebalancings/executions/{execution_id}';
export const ORDERS_PATH = '/portfolios/rebalancings/executions/{execution_id}/orders';
