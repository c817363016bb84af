/**
 * The bundled mock under random and malformed input (fast-check, bounded in runs and time):
 * it answers every request with a documented client error or a success, never a 5xx, never
 * crashes; and it holds a concurrent load of many parallel clients with zero 5xx.
 */
import fc from 'fast-check';
import { Pool, request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock, type MockHandle } from '../../src/mock/server.js';
import { manifest } from '../../src/spec/manifest.js';

let mock: MockHandle;
let token: string;
let pool: Pool;

beforeAll(async () => {
  mock = await startMock();
  const res = await request(`${mock.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: mock.fixtures.clientId,
      client_secret: mock.fixtures.clientSecret,
      grant_type: 'client_credentials',
    }).toString(),
  });
  token = ((await res.body.json()) as { access_token: string }).access_token;
  pool = new Pool(mock.url, { connections: 16 });
});
afterAll(async () => {
  await pool.close();
  await mock.close();
});

const uuid = fc.uuid();
/** Ids as they appear in a path: percent-encoded, except the deliberately malformed escapes. */
const enc = (x: string) => (x.startsWith('%') ? x : encodeURIComponent(x));
const id = () =>
  fc.oneof(
    uuid,
    fc.constantFrom(mock.fixtures.accounts[0].id, mock.fixtures.executions[0].id),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('..', '%00', '%zz', '%E0%A4%A', '😀', 'a'.repeat(3000)),
  );
const segment = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('accounts', 'valuations', 'current', 'portfolios', 'rebalancings', 'executions', 'orders', 'auth', 'token', '__mock'),
);

const paths = () =>
  fc.oneof(
    id().map((x) => `/accounts/${enc(x)}/valuations`),
    id().map((x) => `/accounts/${enc(x)}/valuations/current`),
    id().map((x) => `/portfolios/rebalancings/executions/${enc(x)}`),
    id().map((x) => `/portfolios/rebalancings/executions/${enc(x)}/orders`),
    fc.constant('/portfolios/rebalancings/executions'),
    fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.map((p) => encodeURIComponent(p)).join('/')}`),
  );

const query = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('limit', 'offset', 'sort', 'order', 'start_date', 'end_date', 'price_quality', 'x'),
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.integer().map(String),
          fc.constantFrom('-1', '1001', '1e3', '0x10', 'NaN', '2024-02-30', 'EOD', 'DESC', 'status', '%zz'),
        ),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v.includes('%zz') ? v : encodeURIComponent(v)}`).join('&')}`),
);

const headers = fc.record(
  {
    authorization: fc.oneof(
      fc.constant('__valid__'),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('Bearer', 'Bearer ', 'Basic abc', 'Bearer !!!'),
    ),
    'upvest-client-id': fc.oneof(fc.constant('__valid__'), fc.string({ maxLength: 40 }), uuid),
    signature: fc.oneof(fc.constant('sig1=:AAAA:'), fc.string({ maxLength: 20 })),
    'signature-input': fc.oneof(fc.constant('sig1=("@method");keyid="k"'), fc.string({ maxLength: 20 })),
    accept: fc.constantFrom(
      'application/json',
      '*/*',
      'text/html',
      'application/json;q=0',
      '',
      'application/problem+json',
      'image/*, application/*;q=0.1',
    ),
    'content-type': fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-8',
    ),
    'idempotency-key': fc.oneof(uuid, fc.string({ maxLength: 40 })),
    'upvest-api-version': fc.constantFrom('1', '2', '', 'v1'),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.record({ accounts: fc.array(fc.oneof(uuid, fc.string({ maxLength: 10 })), { maxLength: 3 }) }).map((x) => JSON.stringify(x)),
  fc.record({ allocations: fc.array(uuid, { maxLength: 2 }), extra: fc.anything() }).map((x) => JSON.stringify(x)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);

/** Every status the mock may give: those the spec documents anywhere, and 404/405 for what it does not know. */
const acceptable = new Set(
  [...manifest.operations.flatMap((o) => o.responses.map((r) => Number(r.status))), 404, 405].filter((s) => s < 500),
);

describe('the mock under random and malformed requests', () => {
  test('answers only documented statuses below 500, always with a request id and a problem body for errors', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        paths(),
        query,
        headers,
        body,
        async (method, p, q, h, b) => {
          const sent: Record<string, string> = {};
          for (const [name, value] of Object.entries(h)) {
            const v = value === '__valid__' ? (name === 'authorization' ? `Bearer ${token}` : mock.fixtures.clientId) : value;
            // Header values must be valid field values for the request to leave the client at all.
            if (/^[\t\x20-\x7e]*$/.test(v)) sent[name] = v;
          }
          const res = await pool.request({
            path: `${p}${q}`,
            method: method as 'GET',
            headers: sent,
            body: method === 'GET' ? undefined : b,
          });
          const text = await res.body.text();
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          expect(acceptable.has(res.statusCode), `${method} ${p}${q} → ${res.statusCode} ${text.slice(0, 200)}`).toBe(true);
          expect(res.headers['upvest-request-id']).toBeTruthy();
          if (res.statusCode >= 400) {
            expect(res.headers['content-type']).toBe('application/problem+json');
            expect((JSON.parse(text) as { status: number }).status).toBe(res.statusCode);
          }
        },
      ),
      { numRuns: 1500, interruptAfterTimeLimit: 25_000, seed: 20251121 },
    );
    // The mock still serves a good request afterwards.
    const after = await request(`${mock.url}/auth/verify_keys`);
    expect(after.statusCode).toBe(200);
    await after.body.dump();
    // The property explored the error space, not one corner of it.
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(5);
  }, 60_000);
});

describe('the mock under concurrent load', () => {
  test('64 parallel clients, 2,560 mixed requests: zero 5xx, every request answered', async () => {
    const load = new Pool(mock.url, { connections: 64 });
    const account = mock.fixtures.accounts[0].id;
    const execution = mock.fixtures.executions[0].id;
    const valid = {
      authorization: `Bearer ${token}`,
      'upvest-client-id': mock.fixtures.clientId,
      signature: 'sig1=:AAAA:',
      'signature-input': 'sig1=("@method");keyid="k"',
      'upvest-signature-version': '15',
    };
    const requests = [
      { path: `/accounts/${account}/valuations?limit=100`, headers: valid },
      { path: `/portfolios/rebalancings/executions/${execution}/orders?limit=5&offset=3`, headers: valid },
      { path: `/accounts/${account}/valuations/current?price_quality=EOD`, headers: valid },
      { path: `/accounts/${account}/valuations?limit=9999`, headers: valid },
      { path: '/accounts/not-a-uuid/valuations', headers: valid },
      { path: `/accounts/${account}/valuations`, headers: {} },
    ];
    const statuses = new Map<number, number>();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async (_, client) => {
        for (let i = 0; i < 40; i++) {
          const r = requests[(client + i) % requests.length];
          const res = await load.request({ path: r.path, method: 'GET', headers: r.headers });
          await res.body.dump();
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await load.close();
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(2560);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(Object.fromEntries(statuses)).toEqual({ 200: expect.any(Number), 400: expect.any(Number), 401: expect.any(Number) });
    // A figure for the record (not an assertion: machines here are shared).
    console.log(`mock load: ${total} requests from 64 clients in ${seconds.toFixed(2)} s`);
  }, 60_000);
});
