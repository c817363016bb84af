/**
 * Each check, on a small hand-made faulty response, fails with its title and the right pointer;
 * on a correct one, it passes. No network: see test/helpers/check-harness.ts.
 */
import { describe, expect, test } from 'vitest';
import { auth } from '../../src/checks/auth.js';
import { contentType } from '../../src/checks/content-type.js';
import { dateFilter } from '../../src/checks/date-filter.js';
import { enumCoverage } from '../../src/checks/enum-coverage.js';
import { errorShape } from '../../src/checks/error-shape.js';
import { idempotency } from '../../src/checks/idempotency.js';
import { inputValidation } from '../../src/checks/input-validation.js';
import { methodNotAllowed } from '../../src/checks/method-not-allowed.js';
import { noServerError } from '../../src/checks/no-server-error.js';
import { notAcceptable } from '../../src/checks/not-acceptable.js';
import { notFound } from '../../src/checks/not-found.js';
import { ordering } from '../../src/checks/ordering.js';
import { paginationMeta } from '../../src/checks/pagination-meta.js';
import { paginationTraversal } from '../../src/checks/pagination-traversal.js';
import { resourceAvailability } from '../../src/checks/resource-availability.js';
import { resourceIdentity } from '../../src/checks/resource-identity.js';
import { responseHeaders } from '../../src/checks/response-headers.js';
import { responseSchema } from '../../src/checks/response-schema.js';
import { statusCode } from '../../src/checks/status-code.js';
import { undocumentedProperty } from '../../src/checks/undocumented-property.js';
import type { Probe } from '../../src/checks/types.js';
import { generateInstance, type Schema } from '../../src/data/instance-generator.js';
import { storedSchema } from '../../src/spec/manifest.js';
import { ACCOUNT, EXECUTION, environment, queryOf, result, runCheck, type FakeResponse } from '../helpers/check-harness.js';

const LIST_VALUATIONS = 'listAccountValuations';
const LIST_ORDERS = 'listPortfolioRebalancingExecutionOrders';

function valuation(day: number, id = `00000000-0000-4000-8000-${String(day).padStart(12, '0')}`) {
  const v = generateInstance(storedSchema('response_getCurrentAccountValuation_200_json') as Schema, { seed: day }) as Record<
    string,
    unknown
  >;
  const time = new Date(Date.UTC(2024, 0, 1) + day * 86_400_000 + 22 * 3_600_000).toISOString().replace('.000', '');
  return { ...v, id, account_id: ACCOUNT, valuation_time: time };
}

interface ListFaults {
  ignoreOffset?: boolean;
  ignoreOrder?: boolean;
  ignoreDates?: boolean;
  repeatOnPage?: number;
  countOff?: number;
  echoLimit?: number;
  totalDrift?: boolean;
}

/** A correct list endpoint over `items` (sorted by valuation_time), with optional faults. */
function listAnswer(items: Record<string, unknown>[], faults: ListFaults = {}, field = '/valuation_time') {
  let calls = 0;
  return (probe: Probe): FakeResponse => {
    calls++;
    const q = queryOf(probe);
    const offset = Number(q.get('offset') ?? 0);
    const limit = Number(q.get('limit') ?? 100);
    const key = field.slice(1);
    let matching = [...items];
    if (!faults.ignoreDates) {
      const start = q.get('start_date');
      const end = q.get('end_date');
      matching = matching.filter(
        (item) => (!start || String(item[key]).slice(0, 10) >= start) && (!end || String(item[key]).slice(0, 10) <= end),
      );
    }
    if (q.get('order') === 'DESC' && !faults.ignoreOrder) matching.reverse();
    let page = matching.slice(faults.ignoreOffset ? 0 : offset, (faults.ignoreOffset ? 0 : offset) + limit);
    if (faults.repeatOnPage !== undefined && offset === faults.repeatOnPage * limit && page.length > 0)
      page = [matching[0], ...page.slice(1)];
    return {
      status: 200,
      json: {
        meta: {
          offset,
          limit: faults.echoLimit ?? limit,
          count: page.length + (faults.countOff ?? 0),
          total_count: matching.length + (faults.totalDrift ? calls % 2 : 0),
          sort: q.get('sort') ?? 'valuation_time',
          order: q.get('order') ?? 'ASC',
        },
        data: page,
      },
    };
  };
}

const history = Array.from({ length: 12 }, (_, day) => valuation(day));

describe('response-schema', () => {
  test('an out-of-enum value fails with the instance pointer, schema pointer and value', async () => {
    const body = { ...valuation(1), price_quality: 'INTRADAY' };
    const { failures } = await runCheck(responseSchema, 'getCurrentAccountValuation', { observed: [result({ status: 200, json: body })] });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      check: 'response-schema',
      title: 'Every response body validates against its documented schema',
      pointer: '/price_quality',
      received: '"INTRADAY"',
      expected: 'one of "EOD"',
      severity: 'error',
    });
    expect(failures[0].schemaPointer).toBe('response_getCurrentAccountValuation_200_json#/properties/price_quality/enum');
  });

  test('a fault repeated over many items is one failure; a non-JSON body is named', async () => {
    const page = {
      meta: { offset: 0, limit: 5, count: 5, total_count: 5 },
      data: history.slice(0, 5).map((v) => ({ ...v, total_security_value: { amount: 12.5, currency: 'EUR' } })),
    };
    const { failures } = await runCheck(responseSchema, LIST_VALUATIONS, {
      observed: [result({ status: 200, json: page }), result({ status: 200, raw: '<html>' })],
    });
    expect(failures.map((f) => [f.pointer, f.received])).toEqual([
      ['/data/0/total_security_value/amount', '12.5'],
      [undefined, 'not JSON'],
    ]);
  });

  test('a valid body passes; an undocumented status is left to status-code', async () => {
    const { failures } = await runCheck(responseSchema, 'getCurrentAccountValuation', {
      observed: [result({ status: 200, json: valuation(2) }), result({ status: 418, json: { nonsense: true } })],
    });
    expect(failures).toEqual([]);
  });
});

describe('undocumented-property', () => {
  test('an extra property is a warning at its pointer, never a failure', async () => {
    const { failures, warnings } = await runCheck(undocumentedProperty, 'getCurrentAccountValuation', {
      observed: [result({ status: 200, json: { ...valuation(1), portfolio_id: 'x' } })],
    });
    expect(failures).toEqual([]);
    expect(warnings).toMatchObject([
      { check: 'undocumented-property', severity: 'warning', pointer: '/portfolio_id', received: 'property "portfolio_id"' },
    ]);
  });
});

describe('status-code', () => {
  test('an undocumented status fails; the documented request must succeed', async () => {
    const { failures } = await runCheck(statusCode, 'getCurrentAccountValuation', {
      observed: [
        result({ status: 422, json: { type: 'x', status: 422 } }, { owner: 'input-validation', id: 'query:limit:x', purpose: 'x' }),
        result(
          { status: 404, json: { type: 'not_found', status: 404 } },
          { expect: { statuses: [200], reason: 'happy path', basis: { kind: 'documented', pointer: '#/x' } } },
        ),
      ],
    });
    expect(failures.map((f) => [f.received, f.expected])).toEqual([
      ['422', 'one of 200, 400, 401, 403, 404, 406, 429, 500, 503, 504'],
      ['404', '200: happy path'],
    ]);
  });

  test('a 405 of another method on the path is not judged against this operation', async () => {
    const { failures } = await runCheck(statusCode, 'getCurrentAccountValuation', {
      observed: [result({ status: 405, json: {} }, { kind: 'foreign' })],
    });
    expect(failures).toEqual([]);
  });
});

describe('content-type', () => {
  test('JSON for success (documented: a failure); problem+json for errors (RFC 7807: a warning); parameters are allowed', async () => {
    const { failures, warnings } = await runCheck(contentType, LIST_VALUATIONS, {
      observed: [
        result({ status: 200, json: {}, headers: { 'content-type': 'application/json; charset=utf-8' } }),
        result({ status: 400, json: {}, headers: { 'content-type': 'application/json' } }),
        result({ status: 200, json: {}, headers: { 'content-type': 'text/html' } }),
      ],
    });
    expect(failures.map((f) => [f.received, f.expected, f.basis?.kind])).toEqual([['text/html', 'application/json', 'documented']]);
    expect(warnings.map((f) => [f.received, f.expected, f.basis?.kind])).toEqual([
      ['application/json', 'application/problem+json', 'convention'],
    ]);
  });
});

describe('response-headers', () => {
  test('missing and malformed upvest-request-id fail (documented); a repeated one warns (convention)', async () => {
    const { failures, warnings } = await runCheck(responseHeaders, LIST_VALUATIONS, {
      observed: [
        result({ status: 200, json: {}, headers: { 'upvest-request-id': 'req-123' } }),
        result({ status: 401, json: {}, headers: { 'upvest-request-id': undefined as unknown as string } }),
        result({ status: 200, json: {} }, { id: 'a' }),
        result({ status: 200, json: {} }, { id: 'b' }),
      ],
    });
    expect(failures.map((f) => f.message)).toEqual(['upvest-request-id is not a uuid', 'the 401 response has no upvest-request-id header']);
    expect(warnings.map((f) => f.message)).toEqual(['two responses carry the same upvest-request-id (a and b)']);
  });
});

describe('error-shape', () => {
  test('status mismatch and missing type fail; a request_id other than the header and a misused documented type warn', async () => {
    const { failures, warnings } = await runCheck(errorShape, LIST_VALUATIONS, {
      observed: [
        result({ status: 400, json: { type: 'bad_request', status: 422 } }),
        result({ status: 404, json: { status: 404 } }),
        result({ status: 401, json: { type: 'unauthorized', status: 401, request_id: '11111111-1111-4111-8111-111111111111' } }),
        result({ status: 503, json: { type: 'method_not_allowed', status: 503 } }),
        result({ status: 500, raw: 'Internal Server Error' }),
      ],
    });
    expect(failures.map((f) => [f.pointer, f.received])).toEqual([
      ['/status', '422'],
      ['/type', '(absent)'],
      [undefined, 'not JSON'],
    ]);
    expect(warnings.map((w) => w.message)).toEqual([
      "the problem's request_id differs from the upvest-request-id header",
      'problem type "method_not_allowed" is documented for 405, not 503',
    ]);
  });
});

describe('no-server-error', () => {
  test('a 5xx to a valid request fails (its documented success); to a broken one, or a 503, warns', async () => {
    const { failures, warnings } = await runCheck(noServerError, LIST_VALUATIONS, {
      observed: [
        result({ status: 502, json: {} }, { purpose: 'the documented request' }),
        result({ status: 500, json: {} }, { kind: 'negative', purpose: 'limit=abc' }),
        result({ status: 503, json: {} }, { purpose: 'the documented request' }),
      ],
    });
    expect(failures).toMatchObject([{ message: 'the documented request: answered 502', received: '502', basis: { kind: 'documented' } }]);
    expect(warnings.map((w) => w.message)).toEqual(['limit=abc: answered 500', 'the documented request: answered 503']);
  });
});

describe('resource-identity', () => {
  test('an item of another account fails at its pointer', async () => {
    const other = { ...valuation(3), account_id: '99999999-9999-4999-8999-999999999999' };
    const page = { meta: { offset: 0, limit: 2, count: 2, total_count: 2 }, data: [valuation(2), other] };
    const { failures } = await runCheck(resourceIdentity, LIST_VALUATIONS, {
      observed: [result({ status: 200, json: page }, { pathParams: { account_id: ACCOUNT } })],
    });
    expect(failures).toMatchObject([{ pointer: '/data/1/account_id', received: '"99999999-9999-4999-8999-999999999999"' }]);
  });
});

describe('enum-coverage', () => {
  test('records what was seen, and fails only below --min-enum-coverage', async () => {
    const page = { meta: { offset: 0, limit: 1, count: 1, total_count: 1, order: 'ASC', sort: 'status' }, data: [{ status: 'NEW' }] };
    const observed = [result({ status: 200, json: page })];
    const relaxed = await runCheck(enumCoverage, LIST_ORDERS, { observed });
    expect(relaxed.failures).toEqual([]);
    expect(relaxed.stats.coverage).toEqual({ observed: 3, total: 15, percent: 20 });
    const strict = await runCheck(enumCoverage, LIST_ORDERS, { observed, env: environment({ minEnumCoverage: 50 }) });
    expect(strict.failures[0].expected).toBe('at least 50% (--min-enum-coverage)');
  });
});

describe('negative requests', () => {
  const correct = (probe: Probe): FakeResponse => ({
    status: probe.expect!.statuses[0],
    json: { type: 'x', status: probe.expect!.statuses[0] },
  });

  test('auth: a target that accepts a missing bearer, a wrong scope or a forged signature fails, case by case', async () => {
    const { failures, probes } = await runCheck(auth, LIST_VALUATIONS, {
      answer: (probe) =>
        ['auth:no-bearer', 'auth:wrong-scope', 'auth:forged-signature'].includes(probe.id) ? { status: 200, json: {} } : correct(probe),
    });
    expect(probes.map((p) => p.id)).toEqual([
      'auth:no-bearer',
      'auth:bad-bearer',
      'auth:no-client-id',
      'auth:wrong-scope',
      'auth:unsigned',
      'auth:forged-signature',
      // One at a time, from the manifest's required headers.
      'auth:upvest-client-id:malformed',
      'auth:authorization:malformed',
      'auth:signature:removed',
      'auth:signature-input:removed',
      'auth:signature-input:malformed',
    ]);
    expect(failures.map((f) => f.expected)).toEqual([
      'a 4xx refusal (documented: 400, 401, 403) (authorization is a required header)',
      '403 (the operation needs valuations:read ("authenticated but not allowed"))',
      'a 4xx refusal (documented: 400, 401, 403) (a forged signature must be refused)',
    ]);
  });

  test('auth: without signing, signature cases are not sent', async () => {
    const { probes } = await runCheck(auth, LIST_VALUATIONS, { env: environment({ signing: false }), answer: correct });
    expect(probes.map((p) => p.id)).not.toContain('auth:unsigned');
  });

  test('input-validation: a constraint the target ignores fails with the case named', async () => {
    const { failures } = await runCheck(inputValidation, LIST_VALUATIONS, {
      answer: (probe) => (probe.id === 'query:limit:above-maximum' ? { status: 200, json: {} } : correct(probe)),
    });
    expect(failures).toMatchObject([
      { message: 'limit=1001 (maximum 1000): answered 200', expected: '400 (query parameter limit breaks its documented constraint)' },
    ]);
  });

  test('input-validation: a 500 where 400 is due fails', async () => {
    const { failures } = await runCheck(inputValidation, 'triggerPortfolioRebalancing', {
      answer: (probe) => (probe.id === 'body:Accounts:extra-property' ? { status: 500, json: {} } : correct(probe)),
    });
    expect(failures.map((f) => f.received)).toEqual(['500']);
  });

  test('not-found, method-not-allowed, not-acceptable', async () => {
    expect(
      (await runCheck(notFound, 'retrievePortfolioRebalancingExecution', { answer: () => ({ status: 200, json: {} }) })).failures[0]
        .message,
    ).toBe('execution_id=f0f0f0f0-dead-4bad-8bad-0123456789ab (well-formed, unknown): answered 200');
    const noAllow = await runCheck(methodNotAllowed, LIST_VALUATIONS, { answer: () => ({ status: 405, json: {} }) });
    expect(noAllow.warnings[0]).toMatchObject({ received: '(no Allow header)', expected: 'Allow: GET (RFC 9110 §15.5.6)' });
    expect(
      (await runCheck(methodNotAllowed, LIST_VALUATIONS, { answer: () => ({ status: 405, json: {}, headers: { allow: 'GET' } }) }))
        .failures,
    ).toEqual([]);
    expect((await runCheck(notAcceptable, LIST_VALUATIONS, { answer: () => ({ status: 200, json: {} }) })).failures[0].received).toBe(
      '200',
    );
  });
});

describe('pagination', () => {
  test('a correct list passes meta, traversal, ordering and date filter', async () => {
    for (const check of [paginationMeta, paginationTraversal, ordering, dateFilter]) {
      const { failures, skipped } = await runCheck(check, LIST_VALUATIONS, { answer: listAnswer(history) });
      expect(failures, check.name).toEqual([]);
      expect(skipped, check.name).toBeUndefined();
    }
  });

  test('pagination-meta: count ≠ data.length, limit not echoed', async () => {
    expect((await runCheck(paginationMeta, LIST_VALUATIONS, { answer: listAnswer(history, { countOff: 1 }) })).failures[0]).toMatchObject({
      pointer: '/meta/count',
    });
    expect(
      (await runCheck(paginationMeta, LIST_VALUATIONS, { answer: listAnswer(history, { echoLimit: 100 }) })).failures[0],
    ).toMatchObject({ pointer: '/meta/limit', received: '100', expected: '3' });
  });

  test('pagination-traversal: offset ignored, an item repeated on a late page, total_count drifting', async () => {
    expect(
      (await runCheck(paginationTraversal, LIST_VALUATIONS, { answer: listAnswer(history, { ignoreOffset: true }) })).failures.map(
        (f) => f.message,
      )[0],
    ).toMatch(/appear on more than one page/);
    const late = await runCheck(paginationTraversal, LIST_VALUATIONS, { answer: listAnswer(history, { repeatOnPage: 4 }) });
    expect(late.failures.map((f) => f.message)).toContain('1 id(s) appear on more than one page at limit 2');
    const drift = await runCheck(paginationTraversal, LIST_VALUATIONS, { answer: listAnswer(history, { totalDrift: true }) });
    expect(drift.warnings.map((f) => f.message)).toContainEqual(expect.stringMatching(/total_count changed/));
  });

  test('ordering: DESC ignored fails with the first inversion', async () => {
    const { failures } = await runCheck(ordering, LIST_VALUATIONS, { answer: listAnswer(history, { ignoreOrder: true }) });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      message: 'items are not descending by valuation_time (sort=valuation_time&order=DESC)',
      pointer: '/data/1/valuation_time',
    });
  });

  test('date-filter: an ignored filter returns items outside the range', async () => {
    const { failures } = await runCheck(dateFilter, LIST_VALUATIONS, { answer: listAnswer(history, { ignoreDates: true }) });
    expect(failures[0].message).toMatch(/^an item outside start_date=2024-01-04&end_date=2024-01-10 is returned$/);
    expect(failures[0].pointer).toBe('/data/0/valuation_time');
  });

  test('an empty list skips what it cannot judge, with the reason', async () => {
    for (const check of [paginationTraversal, ordering, dateFilter]) {
      expect((await runCheck(check, LIST_VALUATIONS, { answer: listAnswer([]) })).skipped, check.name).toMatch(/empty|total_count is 0/);
    }
  });
});

describe('idempotency and resource availability', () => {
  const created = new Map<string, string>();
  const idempotent =
    (replayNewId: boolean) =>
    (probe: Probe): FakeResponse => {
      const key = probe.request.idempotencyKey as string;
      const body = JSON.stringify(probe.request.body);
      const previous = created.get(key);
      if (previous && previous !== body) return { status: 400, json: { type: 'bad_request', status: 400 } };
      created.set(key, body);
      return { status: 200, json: { id: replayNewId || !previous ? crypto.randomUUID() : `same-${key}` } };
    };

  test('a replayed key that creates a new resource fails', async () => {
    const { failures } = await runCheck(idempotency, 'triggerPortfolioRebalancing', { answer: idempotent(true) });
    expect(failures.map((f) => f.message)).toEqual(['replaying key K did not return the resource it created']);
  });

  test('a created execution that cannot be read back warns; one that is another resource fails', async () => {
    const { failures, warnings } = await runCheck(resourceAvailability, 'triggerPortfolioRebalancing', {
      answer: (probe) =>
        probe.request.method === 'POST'
          ? { status: 200, json: { id: EXECUTION } }
          : probe.request.path.endsWith('/orders')
            ? { status: 200, json: { meta: {}, data: [{ execution_id: 'someone-else' }] } }
            : { status: 404, json: {} },
    });
    expect(failures.map((f) => f.message)).toEqual([
      'GET /portfolios/rebalancings/executions/{execution_id}/orders of the created resource returns another resource',
    ]);
    // How soon a created resource is readable is not documented: a warning.
    expect(warnings.map((f) => f.message)).toEqual([
      'GET /portfolios/rebalancings/executions/{execution_id} of the resource just created was answered 404',
    ]);
  });

  test('an order of the created execution without execution_id is left to response-schema (one cause, one finding)', async () => {
    const { failures } = await runCheck(resourceAvailability, 'triggerPortfolioRebalancing', {
      answer: (probe) =>
        probe.request.method === 'POST' || !probe.request.path.endsWith('/orders')
          ? { status: 200, json: { id: EXECUTION } }
          : { status: 200, json: { meta: {}, data: [{ status: 'CANCELLED' }] } },
    });
    expect(failures).toEqual([]);
  });
});
