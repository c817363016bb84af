import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UpvestClient, type ApiRequest } from '../../src/client/upvest-client.js';
import { signRequest } from '../../src/signing/index.js';
import { conformanceProblems, mockSetup, type MockSetup } from '../helpers/mock-setup.js';

let s: MockSetup;
let account: string;
let execution: string;
beforeAll(async () => {
  s = await mockSetup();
  account = s.mock.fixtures.accounts[0].id;
  execution = s.mock.fixtures.executions[0].id;
});
afterAll(async () => s.close());

const read = { scopes: ['portfolios:read'] };
const valuations = { scopes: ['valuations:read'] };
const admin = { scopes: ['portfolios:admin'] };
const unknownId = '5b7f3c9e-0d3a-4e57-9a1c-2f6d8e4b7a10';

interface Case {
  name: string;
  operationId: string;
  status: number;
  detail: string | RegExp;
  request: () => ApiRequest;
}

const history = (query: [string, string][]): ApiRequest => ({
  method: 'GET',
  path: `/accounts/${account}/valuations`,
  query,
  auth: valuations,
});
const orders = (query: [string, string][]): ApiRequest => ({
  method: 'GET',
  path: `/portfolios/rebalancings/executions/${execution}/orders`,
  query,
  auth: read,
});
const trigger = (body: unknown, extra: Partial<ApiRequest> = {}): ApiRequest => ({
  method: 'POST',
  path: '/portfolios/rebalancings/executions',
  body,
  idempotencyKey: UpvestClient.idempotencyKey(),
  auth: admin,
  ...extra,
});

const cases: Case[] = [
  {
    name: 'limit above its maximum',
    operationId: 'listAccountValuations',
    status: 400,
    detail: "query parameter 'limit' must be <= 1000",
    request: () => history([['limit', '1001']]),
  },
  {
    name: 'limit below its minimum',
    operationId: 'listAccountValuations',
    status: 400,
    detail: "query parameter 'limit' must be >= 0",
    request: () => history([['limit', '-1']]),
  },
  {
    name: 'limit not an integer',
    operationId: 'listAccountValuations',
    status: 400,
    detail: "query parameter 'limit' must be integer",
    request: () => history([['limit', 'abc']]),
  },
  {
    name: 'limit a fraction',
    operationId: 'listAccountValuations',
    status: 400,
    detail: "query parameter 'limit' must be integer",
    request: () => history([['limit', '1.5']]),
  },
  {
    name: 'offset below its minimum',
    operationId: 'listPortfolioRebalancingExecutionOrders',
    status: 400,
    detail: "query parameter 'offset' must be >= 0",
    request: () => orders([['offset', '-1']]),
  },
  {
    name: 'offset repeated',
    operationId: 'listAccountValuations',
    status: 400,
    detail: "query parameter 'offset'",
    request: () =>
      history([
        ['offset', '1'],
        ['offset', '2'],
      ]),
  },
  {
    name: 'unknown sort',
    operationId: 'listAccountValuations',
    status: 400,
    detail: "query parameter 'sort' must be equal to one of the allowed values (valuation_time)",
    request: () => history([['sort', 'created_at']]),
  },
  {
    name: 'unknown order',
    operationId: 'listAccountValuations',
    status: 400,
    detail: "query parameter 'order'",
    request: () => history([['order', 'UP']]),
  },
  {
    name: 'DESC on the orders list (documented ASC only)',
    operationId: 'listPortfolioRebalancingExecutionOrders',
    status: 400,
    detail: "query parameter 'order'",
    request: () => orders([['order', 'DESC']]),
  },
  {
    name: 'malformed start_date',
    operationId: 'listAccountValuations',
    status: 400,
    detail: 'query parameter \'start_date\' must match format "date"',
    request: () => history([['start_date', '2024-13-01']]),
  },
  {
    name: 'malformed end_date',
    operationId: 'listPortfolioRebalancingExecutionOrders',
    status: 400,
    detail: "query parameter 'end_date'",
    request: () => orders([['end_date', 'yesterday']]),
  },
  {
    name: 'missing price_quality',
    operationId: 'getCurrentAccountValuation',
    status: 400,
    detail: "query parameter 'price_quality' is required",
    request: () => ({ method: 'GET', path: `/accounts/${account}/valuations/current`, auth: valuations }),
  },
  {
    name: 'unknown price_quality',
    operationId: 'getCurrentAccountValuation',
    status: 400,
    detail: "query parameter 'price_quality'",
    request: () => ({
      method: 'GET',
      path: `/accounts/${account}/valuations/current`,
      query: [['price_quality', 'INTRADAY']],
      auth: valuations,
    }),
  },
  {
    name: 'malformed account uuid',
    operationId: 'listAccountValuations',
    status: 400,
    detail: 'path parameter \'account_id\' must match format "uuid"',
    request: () => ({ method: 'GET', path: '/accounts/not-a-uuid/valuations', auth: valuations }),
  },
  {
    name: 'malformed execution uuid where 400 is documented',
    operationId: 'listPortfolioRebalancingExecutionOrders',
    status: 400,
    detail: "path parameter 'execution_id'",
    request: () => ({ method: 'GET', path: '/portfolios/rebalancings/executions/123/orders', auth: read }),
  },
  {
    name: 'malformed execution uuid where only 404 is documented',
    operationId: 'retrievePortfolioRebalancingExecution',
    status: 404,
    detail: "path parameter 'execution_id'",
    request: () => ({ method: 'GET', path: '/portfolios/rebalancings/executions/123', auth: read }),
  },
  {
    name: 'unsupported upvest-api-version',
    operationId: 'listAccountValuations',
    status: 400,
    detail: "header 'upvest-api-version'",
    request: () => ({ ...history([]), headers: { 'upvest-api-version': '2' } }),
  },
  {
    name: 'unsupported upvest-api-version where only 404 fits',
    operationId: 'retrievePortfolioRebalancingExecution',
    status: 404,
    detail: "header 'upvest-api-version'",
    request: () => ({
      method: 'GET',
      path: `/portfolios/rebalancings/executions/${execution}`,
      auth: read,
      headers: { 'upvest-api-version': '2' },
    }),
  },
  {
    name: 'missing upvest-client-id where 400 is undocumented',
    operationId: 'retrievePortfolioRebalancingExecution',
    status: 401,
    detail: "header 'upvest-client-id' is required",
    request: () => ({
      method: 'GET',
      path: `/portfolios/rebalancings/executions/${execution}`,
      auth: read,
      headers: { 'upvest-client-id': null },
    }),
  },
  {
    name: 'missing upvest-client-id',
    operationId: 'listAccountValuations',
    status: 400,
    detail: "header 'upvest-client-id' is required",
    request: () => ({ ...history([]), headers: { 'upvest-client-id': null } }),
  },
  {
    name: 'missing idempotency-key',
    operationId: 'triggerPortfolioRebalancing',
    status: 400,
    detail: "header 'idempotency-key' is required",
    request: () => trigger({ accounts: [account] }, { idempotencyKey: null }),
  },
  {
    name: 'malformed idempotency-key',
    operationId: 'triggerPortfolioRebalancing',
    status: 400,
    detail: "header 'idempotency-key'",
    request: () => trigger({ accounts: [account] }, { idempotencyKey: 'not-a-key' }),
  },
  {
    name: 'body with both branches',
    operationId: 'triggerPortfolioRebalancing',
    status: 400,
    detail: 'request body',
    request: () => trigger({ accounts: [account], allocations: [account] }),
  },
  {
    name: 'body with neither branch',
    operationId: 'triggerPortfolioRebalancing',
    status: 400,
    detail: 'request body',
    request: () => trigger({}),
  },
  {
    name: 'body with an extra property',
    operationId: 'triggerPortfolioRebalancing',
    status: 400,
    detail: "('mode')",
    request: () => trigger({ accounts: [account], mode: 'FULL' }),
  },
  {
    name: 'body with a non-uuid item',
    operationId: 'triggerPortfolioRebalancing',
    status: 400,
    detail: 'must match format "uuid"',
    request: () => trigger({ accounts: ['nope'] }),
  },
  {
    name: 'body that is not JSON',
    operationId: 'triggerPortfolioRebalancing',
    status: 400,
    detail: 'not valid JSON',
    request: () => ({ ...trigger(undefined), rawBody: { text: '{"accounts": [', contentType: 'application/json' } }),
  },
  {
    name: 'body that is not application/json',
    operationId: 'triggerPortfolioRebalancing',
    status: 400,
    detail: 'must be application/json',
    request: () => ({ ...trigger(undefined), rawBody: { text: 'accounts=x', contentType: 'application/x-www-form-urlencoded' } }),
  },
  {
    name: 'no body',
    operationId: 'triggerPortfolioRebalancing',
    status: 400,
    detail: 'body is required',
    request: () => trigger(undefined),
  },
  {
    name: 'unknown allocation',
    operationId: 'triggerPortfolioRebalancing',
    status: 404,
    detail: `allocation ${unknownId} not found`,
    request: () => trigger({ allocations: [unknownId] }),
  },
  {
    name: 'no bearer',
    operationId: 'listAccountValuations',
    status: 401,
    detail: 'authorization header is missing',
    request: () => ({ ...history([]), auth: { none: true } }),
  },
  {
    name: 'bad bearer',
    operationId: 'listAccountValuations',
    status: 401,
    detail: 'bearer token is not valid',
    request: () => ({ ...history([]), auth: { header: 'Bearer bm90LWEtdG9rZW4=' } }),
  },
  {
    name: 'not a bearer',
    operationId: 'listAccountValuations',
    status: 401,
    detail: 'not a bearer token',
    request: () => ({ ...history([]), auth: { header: 'Basic dXNlcjpwYXNz' } }),
  },
  {
    name: 'no signature',
    operationId: 'listAccountValuations',
    status: 401,
    detail: 'not signed',
    request: () => ({ ...history([]), signing: 'none' }),
  },
  {
    name: 'forged signature',
    operationId: 'listAccountValuations',
    status: 401,
    detail: 'signature rejected (signature)',
    request: () => ({ ...history([]), signing: 'tamper' }),
  },
  {
    name: 'token without the scope',
    operationId: 'listAccountValuations',
    status: 403,
    detail: 'lacks the scope',
    request: () => ({ ...history([]), auth: { scopes: ['portfolios:read'] } }),
  },
  {
    name: 'read scope on the trigger',
    operationId: 'triggerPortfolioRebalancing',
    status: 403,
    detail: 'portfolios:admin',
    request: () => ({ ...trigger({ accounts: [account] }), auth: read }),
  },
  {
    name: 'client id of another client',
    operationId: 'listAccountValuations',
    status: 403,
    detail: 'does not match',
    request: () => ({ ...history([]), headers: { 'upvest-client-id': unknownId } }),
  },
  {
    name: 'unknown account',
    operationId: 'listAccountValuations',
    status: 404,
    detail: `account ${unknownId} not found`,
    request: () => ({ method: 'GET', path: `/accounts/${unknownId}/valuations`, auth: valuations }),
  },
  {
    name: 'unknown account (current)',
    operationId: 'getCurrentAccountValuation',
    status: 404,
    detail: 'not found',
    request: () => ({
      method: 'GET',
      path: `/accounts/${unknownId}/valuations/current`,
      query: [['price_quality', 'EOD']],
      auth: valuations,
    }),
  },
  {
    name: 'unknown execution',
    operationId: 'retrievePortfolioRebalancingExecution',
    status: 404,
    detail: `execution ${unknownId} not found`,
    request: () => ({ method: 'GET', path: `/portfolios/rebalancings/executions/${unknownId}`, auth: read }),
  },
  {
    name: 'orders of an unknown execution',
    operationId: 'listPortfolioRebalancingExecutionOrders',
    status: 404,
    detail: 'not found',
    request: () => ({ method: 'GET', path: `/portfolios/rebalancings/executions/${unknownId}/orders`, auth: read }),
  },
  {
    name: 'DELETE on a valuation list',
    operationId: 'listAccountValuations',
    status: 405,
    detail: 'DELETE is not allowed',
    request: () => ({ method: 'DELETE', path: `/accounts/${account}/valuations`, auth: valuations }),
  },
  {
    name: 'POST on an execution',
    operationId: 'retrievePortfolioRebalancingExecution',
    status: 405,
    detail: 'allowed: GET',
    request: () => ({ method: 'POST', path: `/portfolios/rebalancings/executions/${execution}`, body: {}, auth: read }),
  },
  {
    name: 'Accept: text/html',
    operationId: 'listAccountValuations',
    status: 406,
    detail: 'text/html',
    request: () => ({ ...history([]), headers: { accept: 'text/html' } }),
  },
  {
    name: 'Accept: application/json;q=0',
    operationId: 'getCurrentAccountValuation',
    status: 406,
    detail: 'Accept',
    request: () => ({
      method: 'GET',
      path: `/accounts/${account}/valuations/current`,
      query: [['price_quality', 'EOD']],
      auth: valuations,
      headers: { accept: 'application/json;q=0' },
    }),
  },
];

describe('mock: every documented error, as problem+json naming the cause', () => {
  test.for(cases.map((c) => [c.name, c] as const))('%s', async ([, c]) => {
    const response = await s.send(c.request());
    const body = response.json<{ detail: string }>();
    expect(response.status, body.detail).toBe(c.status);
    if (typeof c.detail === 'string') expect(body.detail).toContain(c.detail);
    else expect(body.detail).toMatch(c.detail);
    // 405 on a path is not always documented for the operation of that path; the rest must be.
    if (c.status !== 405 || c.operationId !== 'getCurrentAccountValuation')
      expect(conformanceProblems(c.operationId, response)).toEqual([]);
  });

  test('405 names the allowed methods in an Allow header', async () => {
    const response = await s.send({ method: 'PUT', path: '/portfolios/rebalancings/executions', body: {}, auth: admin });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });

  test('an unknown path is a problem+json 404 with a request id', async () => {
    const response = await s.send({ method: 'GET', path: '/accounts', auth: valuations });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json<{ request_id: string }>().request_id).toBe(response.headers['upvest-request-id']);
  });

  test('an expired token is refused with 401', async () => {
    await s.client.tokens.token(['valuations:read']);
    s.clock.advance(3_601_000);
    const response = await s.send(history([]));
    expect(response.status).toBe(401);
    expect(response.json<{ detail: string }>().detail).toContain('expired');
    s.client.tokens.invalidate(['valuations:read']);
  });

  test('a signature whose time window passed is refused with 401', async () => {
    const url = `${s.mock.url}/accounts/${account}/valuations`;
    const token = await s.client.tokens.token(['valuations:read']);
    const headers = signRequest(
      {
        method: 'GET',
        url,
        headers: { accept: 'application/json', 'upvest-client-id': s.mock.fixtures.clientId, authorization: `Bearer ${token}` },
      },
      s.key,
      { created: Math.floor(Date.now() / 1000) - 600, expiresInSeconds: 5 },
    ).headers;
    const res = await request(url, { headers });
    expect(res.statusCode).toBe(401);
    expect(((await res.body.json()) as { detail: string }).detail).toContain('expired');
  });
});

describe('mock: token endpoint', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  // Token requests are signed like every other request.
  const signedPost = (setup: MockSetup, body: string, contentType = 'application/x-www-form-urlencoded') => {
    const url = `${setup.mock.url}/auth/token`;
    return request(url, {
      method: 'POST',
      headers: signRequest({ method: 'POST', url, headers: { 'content-type': contentType }, body }, setup.key).headers,
      body,
    });
  };
  const post = (body: string, contentType?: string) => signedPost(s, body, contentType);

  test('refuses an unsigned token request when the mock verifies signatures', async () => {
    const res = await request(`${s.mock.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ client_id: s.mock.fixtures.clientId, client_secret: s.mock.fixtures.clientSecret, grant_type: 'client_credentials' }),
    });
    expect(res.statusCode).toBe(401);
    expect(((await res.body.json()) as { detail: string }).detail).toContain('signature rejected (missing-headers)');
  });

  test('issues a bearer limited to the requested scopes, with expires_in', async () => {
    const res = await post(
      form({
        client_id: s.mock.fixtures.clientId,
        client_secret: s.mock.fixtures.clientSecret,
        grant_type: 'client_credentials',
        scope: 'valuations:read',
      }),
    );
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(res.statusCode).toBe(200);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'valuations:read' });
    const token = body.access_token as string;
    const denied = await s.send({
      method: 'GET',
      path: `/portfolios/rebalancings/executions/${execution}`,
      auth: { header: `Bearer ${token}` },
    });
    expect(denied.status).toBe(403);
  });

  test.for([
    [
      'wrong secret',
      form({ client_id: 'x', client_secret: 'y', grant_type: 'client_credentials' }),
      'application/x-www-form-urlencoded',
      401,
    ],
    ['wrong grant type', form({ client_id: 'x', client_secret: 'y', grant_type: 'password' }), 'application/x-www-form-urlencoded', 400],
    ['JSON instead of a form', '{}', 'application/json', 400],
  ] as const)('refuses %s', async ([, body, type, status]) => {
    const res = await post(body, type);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json');
    await res.body.dump();
  });

  test('refuses a scope the client may not request', async () => {
    const limited = await mockSetup({
      clients: [{ clientId: '33333333-3333-4333-8333-333333333333', clientSecret: 'limited-secret', scopes: ['valuations:read'] }],
    });
    try {
      const res = await signedPost(
        limited,
        form({
          client_id: '33333333-3333-4333-8333-333333333333',
          client_secret: 'limited-secret',
          grant_type: 'client_credentials',
          scope: 'portfolios:admin',
        }),
      );
      expect(res.statusCode).toBe(403);
      expect(((await res.body.json()) as { detail: string }).detail).toContain('portfolios:admin');
    } finally {
      await limited.close();
    }
  });
});

describe('mock: rate limiting', () => {
  test('--rate-limit answers 429 with Retry-After past the quota', async () => {
    const limited = await mockSetup({ rateLimit: 3 }, { retry: { maxAttempts: 1 }, throwOnRateLimit: false });
    try {
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 8; i++) {
        const r = await limited.send({
          method: 'GET',
          path: `/accounts/${limited.mock.fixtures.accounts[0].id}/valuations/current`,
          query: [['price_quality', 'EOD']],
          auth: valuations,
        });
        statuses.push(r.status);
        if (r.status === 429) {
          retryAfter = r.headers['retry-after'];
          expect(conformanceProblems('getCurrentAccountValuation', r)).toEqual([]);
        }
      }
      expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(3);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });
});

describe('mock without a client key', () => {
  test('requires the signature headers and upvest-signature-version but does not verify them', async () => {
    const plain = await mockSetup({ signatureKeys: undefined });
    try {
      const path = `/accounts/${plain.mock.fixtures.accounts[0].id}/valuations/current`;
      const unsigned = await plain.send({ method: 'GET', path, query: [['price_quality', 'EOD']], auth: valuations, signing: 'none' });
      expect(unsigned.status).toBe(401);
      const placeholder = await plain.send({
        method: 'GET',
        path,
        query: [['price_quality', 'EOD']],
        auth: valuations,
        signing: 'none',
        headers: { signature: 'sig1=:AAAA:', 'signature-input': 'sig1=("@method");keyid="x"' },
      });
      expect(placeholder.status).toBe(401);
      expect(placeholder.json()).toMatchObject({ detail: expect.stringMatching(/signature-version.*no upvest-signature-version header/) });
      const versioned = await plain.send({
        method: 'GET',
        path,
        query: [['price_quality', 'EOD']],
        auth: valuations,
        signing: 'none',
        headers: { signature: 'sig1=:AAAA:', 'signature-input': 'sig1=("@method");keyid="x"', 'upvest-signature-version': '6' },
      });
      expect(versioned.status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});
