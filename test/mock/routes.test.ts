import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UpvestClient } from '../../src/client/upvest-client.js';
import { DAY_MS } from '../../src/mock/clock.js';
import { isValidIsin } from '../../src/data/isin.js';
import { conformanceProblems, mockSetup, type MockSetup } from '../helpers/mock-setup.js';

let s: MockSetup;
beforeAll(async () => {
  s = await mockSetup();
});
afterAll(async () => s.close());

const read = { scopes: ['portfolios:read'] };
const valuations = { scopes: ['valuations:read'] };
const admin = { scopes: ['portfolios:admin'] };

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary paths of parsed bodies.
type Json = Record<string, any>;

async function ok(operationId: string, request: Parameters<MockSetup['send']>[0]): Promise<Json> {
  const response = await s.send(request);
  expect(
    conformanceProblems(operationId, response),
    `${request.method} ${request.path} → ${response.status} ${response.text().slice(0, 200)}`,
  ).toEqual([]);
  expect(response.status).toBe(200);
  return response.json<Json>();
}

describe('mock: every success body validates against its generated validator', () => {
  test('current valuation of every account', async () => {
    for (const account of s.mock.fixtures.accounts) {
      const body = await ok('getCurrentAccountValuation', {
        method: 'GET',
        path: `/accounts/${account.id}/valuations/current`,
        query: [['price_quality', 'EOD']],
        auth: valuations,
      });
      expect(body.account_id).toBe(account.id);
    }
  });

  test('valuation history of every account, both orders, filtered and paged', async () => {
    for (const account of s.mock.fixtures.accounts) {
      for (const query of [
        [],
        [
          ['order', 'DESC'],
          ['limit', '5'],
        ],
        [
          ['start_date', '2024-06-01'],
          ['end_date', '2024-06-10'],
          ['limit', '1000'],
        ],
        [
          ['offset', '395'],
          ['limit', '10'],
        ],
      ] as [string, string][][]) {
        await ok('listAccountValuations', { method: 'GET', path: `/accounts/${account.id}/valuations`, query, auth: valuations });
      }
    }
  });

  test('every seeded execution and its orders', async () => {
    for (const execution of s.mock.fixtures.executions) {
      const body = await ok('retrievePortfolioRebalancingExecution', {
        method: 'GET',
        path: `/portfolios/rebalancings/executions/${execution.id}`,
        auth: read,
      });
      expect(body.id).toBe(execution.id);
      const orders = await ok('listPortfolioRebalancingExecutionOrders', {
        method: 'GET',
        path: `/portfolios/rebalancings/executions/${execution.id}/orders`,
        auth: read,
      });
      expect(orders.meta.total_count).toBe(execution.orders);
    }
  });

  test('trigger by accounts and by allocations, then retrieve and list the new execution at every stage', async () => {
    const byAccounts = await ok('triggerPortfolioRebalancing', {
      method: 'POST',
      path: '/portfolios/rebalancings/executions',
      body: { accounts: s.mock.fixtures.accounts.map((a) => a.id) },
      idempotencyKey: UpvestClient.idempotencyKey(),
      auth: admin,
    });
    const byAllocations = await ok('triggerPortfolioRebalancing', {
      method: 'POST',
      path: '/portfolios/rebalancings/executions',
      body: { allocations: s.mock.fixtures.allocations },
      idempotencyKey: UpvestClient.idempotencyKey(),
      auth: admin,
    });
    for (const step of [0, 1600, 1000, 5000]) {
      s.clock.advance(step);
      for (const id of [byAccounts.id, byAllocations.id]) {
        await ok('retrievePortfolioRebalancingExecution', {
          method: 'GET',
          path: `/portfolios/rebalancings/executions/${id}`,
          auth: admin,
        });
        await ok('listPortfolioRebalancingExecutionOrders', {
          method: 'GET',
          path: `/portfolios/rebalancings/executions/${id}/orders`,
          auth: read,
        });
      }
    }
  });
});

describe('mock: seeded data is realistic', () => {
  test('accounts of both types, a Business Account, at least a year of daily EOD valuations', async () => {
    const types = s.mock.fixtures.accounts.map((a) => a.type);
    expect(types).toContain('TRADING');
    expect(types).toContain('PORTFOLIO');
    expect(s.mock.fixtures.accounts.some((a) => a.business)).toBe(true);
    const body = await ok('listAccountValuations', {
      method: 'GET',
      path: `/accounts/${s.mock.fixtures.accounts[0].id}/valuations`,
      query: [['limit', '1000']],
      auth: valuations,
    });
    expect(body.meta.total_count).toBeGreaterThanOrEqual(365);
    const times = body.data.map((v: Json) => Date.parse(v.valuation_time));
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(DAY_MS);
    expect(body.data.every((v: Json) => v.price_quality === 'EOD')).toBe(true);
  });

  test('positions: valid ISINs, decimal strings, weights summing to 1, a position without value and weight', async () => {
    const seen = { nullPosition: false };
    for (const account of s.mock.fixtures.accounts) {
      const body = await ok('listAccountValuations', {
        method: 'GET',
        path: `/accounts/${account.id}/valuations`,
        query: [['limit', '30']],
        auth: valuations,
      });
      for (const valuation of body.data as Json[]) {
        const positions = valuation.security_positions as Json[];
        for (const p of positions) {
          expect(isValidIsin(p.instrument.isin), p.instrument.isin).toBe(true);
          expect(p.quantity).toMatch(/^\d+\.\d+$/);
          if (p.value === null) {
            expect(p.weight).toBeNull();
            seen.nullPosition = true;
          }
        }
        const weights = positions.filter((p) => p.weight !== null).map((p) => Math.round(Number(p.weight) * 1e6));
        if (weights.length > 0 && Number(valuation.total_security_value.amount) > 0)
          expect(weights.reduce((a, b) => a + b, 0)).toBe(1_000_000);
        const sum = positions.reduce((total, p) => total + (p.value ? Math.round(Number(p.value.amount) * 100) : 0), 0);
        expect(sum).toBe(Math.round(Number(valuation.total_security_value.amount) * 100));
      }
    }
    expect(seen.nullPosition).toBe(true);
  });

  test('orders cover every status and every cancellation reason, with a null portfolio_order_id where it has none', async () => {
    const showcase = s.mock.fixtures.executions[0];
    const body = await ok('listPortfolioRebalancingExecutionOrders', {
      method: 'GET',
      path: `/portfolios/rebalancings/executions/${showcase.id}/orders`,
      query: [['limit', '100']],
      auth: read,
    });
    const orders = body.data as Json[];
    expect(new Set(orders.map((o) => o.status))).toEqual(new Set(['NEW', 'PROCESSING', 'FILLED', 'CANCELLED']));
    expect(new Set(orders.filter((o) => o.cancellation_reason).map((o) => o.cancellation_reason)).size).toBe(8);
    expect(orders.some((o) => o.portfolio_order_id === null)).toBe(true);
    expect(orders.every((o) => (o.status === 'CANCELLED') === 'cancellation_reason' in o)).toBe(true);
  });

  test('the same seed gives the same world; another seed another', async () => {
    const again = await mockSetup({ seed: 1 });
    const other = await mockSetup({ seed: 2 });
    try {
      expect(again.mock.fixtures).toEqual(s.mock.fixtures);
      expect(other.mock.fixtures.accounts[0].id).not.toBe(s.mock.fixtures.accounts[0].id);
    } finally {
      await again.close();
      await other.close();
    }
  });
});

describe('mock: pagination exactly as documented', () => {
  const history = (query: [string, string][]) =>
    ok('listAccountValuations', { method: 'GET', path: `/accounts/${s.mock.fixtures.accounts[1].id}/valuations`, query, auth: valuations });

  test('meta echoes offset, limit, sort and order; count is the page, total_count all matches', async () => {
    const first = await history([]);
    expect(first.meta).toEqual({
      offset: 0,
      limit: 100,
      count: 100,
      total_count: first.meta.total_count,
      sort: 'valuation_time',
      order: 'ASC',
    });
    const page = await history([
      ['offset', '7'],
      ['limit', '3'],
      ['order', 'DESC'],
      ['sort', 'valuation_time'],
    ]);
    expect(page.meta).toMatchObject({ offset: 7, limit: 3, count: 3, sort: 'valuation_time', order: 'DESC' });
    const last = await history([
      ['offset', String(first.meta.total_count - 2)],
      ['limit', '10'],
    ]);
    expect(last.meta.count).toBe(2);
    const beyond = await history([['offset', String(first.meta.total_count + 5)]]);
    expect(beyond.meta).toMatchObject({ count: 0, total_count: first.meta.total_count });
    expect(beyond.data).toEqual([]);
    const none = await history([['limit', '0']]);
    expect(none.meta).toMatchObject({ limit: 0, count: 0 });
  });

  test('ASC and DESC are monotonic and mirror each other; pages tile the whole list', async () => {
    const all = await history([['limit', '1000']]);
    const desc = await history([
      ['limit', '1000'],
      ['order', 'DESC'],
    ]);
    expect(desc.data.map((v: Json) => v.id)).toEqual([...all.data].reverse().map((v: Json) => v.id));
    const ids: string[] = [];
    for (let offset = 0; offset < all.meta.total_count; offset += 97)
      ids.push(
        ...(
          await history([
            ['offset', String(offset)],
            ['limit', '97'],
          ])
        ).data.map((v: Json) => v.id),
      );
    expect(ids).toEqual(all.data.map((v: Json) => v.id));
  });

  test('start_date and end_date are inclusive UTC days', async () => {
    const body = await history([
      ['start_date', '2024-03-01'],
      ['end_date', '2024-03-31'],
      ['limit', '1000'],
    ]);
    expect(body.meta.total_count).toBe(31);
    expect(body.data[0].valuation_time.slice(0, 10)).toBe('2024-03-01');
    expect(body.data[30].valuation_time.slice(0, 10)).toBe('2024-03-31');
  });

  test('orders: sorted by status, filtered by creation date', async () => {
    const showcase = s.mock.fixtures.executions[0].id;
    const all = await ok('listPortfolioRebalancingExecutionOrders', {
      method: 'GET',
      path: `/portfolios/rebalancings/executions/${showcase}/orders`,
      query: [['limit', '1000']],
      auth: read,
    });
    const statuses = all.data.map((o: Json) => o.status);
    expect(statuses).toEqual([...statuses].sort());
    const day = all.data[0].created_at.slice(0, 10);
    const filtered = await ok('listPortfolioRebalancingExecutionOrders', {
      method: 'GET',
      path: `/portfolios/rebalancings/executions/${showcase}/orders`,
      query: [
        ['start_date', day],
        ['end_date', day],
      ],
      auth: read,
    });
    expect(filtered.meta.total_count).toBe(all.data.filter((o: Json) => o.created_at.startsWith(day)).length);
    expect(filtered.meta.total_count).toBeLessThan(all.meta.total_count);
  });
});

describe('mock: state', () => {
  const trigger = (body: unknown, key: string, auth = admin) =>
    s.send({ method: 'POST', path: '/portfolios/rebalancings/executions', body, idempotencyKey: key, auth });

  test('idempotency: same key and body → same execution; other body → 400; new key → new execution', async () => {
    const key = UpvestClient.idempotencyKey();
    const body = { accounts: [s.mock.fixtures.accounts[0].id] };
    const first = await trigger(body, key);
    const again = await trigger(body, key);
    expect(again.status).toBe(200);
    expect(again.json<Json>().id).toBe(first.json<Json>().id);
    expect(again.headers['upvest-request-id']).not.toBe(first.headers['upvest-request-id']);
    const conflicting = await trigger({ accounts: [s.mock.fixtures.accounts[1].id] }, key);
    expect(conflicting.status).toBe(400);
    expect(conflicting.json<Json>().detail).toContain('idempotency-key');
    expect(conformanceProblems('triggerPortfolioRebalancing', conflicting)).toEqual([]);
    const fresh = await trigger(body, UpvestClient.idempotencyKey());
    expect(fresh.json<Json>().id).not.toBe(first.json<Json>().id);
  });

  test('orders progress NEW → PROCESSING → FILLED or CANCELLED as the clock moves', async () => {
    const [portfolio, , trading] = s.mock.fixtures.accounts;
    const unknown = '00000000-0000-4000-8000-000000000001';
    const created = (await trigger({ accounts: [portfolio.id, trading.id, unknown] }, UpvestClient.idempotencyKey())).json<Json>();
    const statuses = async () =>
      Object.fromEntries(
        (
          (
            await ok('listPortfolioRebalancingExecutionOrders', {
              method: 'GET',
              path: `/portfolios/rebalancings/executions/${created.id}/orders`,
              auth: read,
            })
          ).data as Json[]
        ).map((o) => [o.account_id, [o.status, o.cancellation_reason ?? null, o.portfolio_order_id === null]]),
      );
    expect(await statuses()).toEqual({
      [portfolio.id]: ['NEW', null, true],
      [trading.id]: ['NEW', null, true],
      [unknown]: ['NEW', null, true],
    });
    s.clock.advance(2_000);
    expect(await statuses()).toEqual({
      [portfolio.id]: ['PROCESSING', null, false],
      [trading.id]: ['CANCELLED', 'INVALID_ACCOUNT_TYPE', true],
      [unknown]: ['CANCELLED', 'ACCOUNT_NOT_FOUND', true],
    });
    s.clock.advance(3_000);
    expect((await statuses())[portfolio.id]).toEqual(['FILLED', null, false]);
  });

  test('idempotency keys are scoped per client and expire', async () => {
    const before = s.mock.operations.idempotencyKeys;
    expect(before).toBeGreaterThan(0);
    s.clock.advance(25 * 3_600_000);
    // Mock tokens live in mock time: after a day the cached one has expired there.
    s.client.tokens.invalidate(admin.scopes);
    expect((await trigger({ accounts: [s.mock.fixtures.accounts[0].id] }, UpvestClient.idempotencyKey())).status).toBe(200);
    expect(s.mock.operations.idempotencyKeys).toBe(1);
  });

  test('executions are visible to the client that created them only', async () => {
    const other = await mockSetup({
      clients: [
        { clientId: '11111111-1111-4111-8111-111111111111', clientSecret: 'secret-one-1', scopes: ['portfolios:admin', 'portfolios:read'] },
        { clientId: '22222222-2222-4222-8222-222222222222', clientSecret: 'secret-two-2', scopes: ['portfolios:admin', 'portfolios:read'] },
      ],
    });
    try {
      const created = (
        await other.send({
          method: 'POST',
          path: '/portfolios/rebalancings/executions',
          body: { accounts: [other.mock.fixtures.accounts[0].id] },
          idempotencyKey: '0b0e7a5e-46b1-4c8b-9d35-6f7b2f0c3d11',
          auth: admin,
        })
      ).json<Json>();
      const second = new UpvestClient({
        baseUrl: other.mock.url,
        clientId: '22222222-2222-4222-8222-222222222222',
        clientSecret: 'secret-two-2',
        signingKey: other.key,
        transport: other.transport,
      });
      const seen = await second.send({ method: 'GET', path: `/portfolios/rebalancings/executions/${created.id}`, auth: read });
      expect(seen.status).toBe(404);
      // The same idempotency key from another client creates its own execution.
      const own = await second.send({
        method: 'POST',
        path: '/portfolios/rebalancings/executions',
        body: { accounts: [other.mock.fixtures.accounts[0].id] },
        idempotencyKey: '0b0e7a5e-46b1-4c8b-9d35-6f7b2f0c3d11',
        auth: admin,
      });
      expect(own.json<Json>().id).not.toBe(created.id);
    } finally {
      await other.close();
    }
  });
});
