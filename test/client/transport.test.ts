import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Deadline } from '../../src/client/deadline.js';
import { parseRetryAfter } from '../../src/client/retry-policy.js';
import { Transport } from '../../src/client/transport.js';
import {
  BodyTimeoutError,
  DeadlineExceededError,
  HeadersTimeoutError,
  InvalidJsonError,
  RateLimitedError,
  ResponseAbortedError,
  ResponseTooLargeError,
  TargetUnreachableError,
} from '../../src/errors.js';
import { behaviours, startHostileServer, type HostileServer } from '../helpers/hostile-server.js';

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer({
    '/ok': behaviours.json(200, { ok: true }),
    '/hang': behaviours.hang(),
    '/drip': behaviours.drip(400),
    '/huge': behaviours.huge(2 * 1024 * 1024),
    '/huge-declared': behaviours.huge(50 * 1024 * 1024, true),
    '/truncated': behaviours.truncated(),
    '/reset': behaviours.reset(),
    '/html': behaviours.raw(200, 'application/json', '<!doctype html><html><body>Maintenance</body></html>'),
    '/empty': behaviours.raw(200, 'application/json', ''),
    '/redirect': behaviours.redirect('https://elsewhere.example/steal'),
    '/429-once': behaviours.sequence(
      1,
      behaviours.json(429, { status: 429, type: 'too_many_requests' }, { 'retry-after': '1' }),
      behaviours.json(200, { ok: true }),
    ),
    '/429-forever': behaviours.json(429, { status: 429, type: 'too_many_requests' }, { 'retry-after': '3600' }),
    '/429-no-header': behaviours.json(429, { status: 429, type: 'too_many_requests' }),
    '/503-twice': behaviours.sequence(
      2,
      behaviours.json(503, { status: 503, type: 'service_unavailable' }),
      behaviours.json(200, { ok: true }),
    ),
    '/500': behaviours.json(500, { status: 500, type: 'internal_server_error' }),
    '/reset-once': behaviours.sequence(1, behaviours.reset(), behaviours.json(200, { ok: true })),
    '/reset-post': behaviours.reset(),
  });
});
afterAll(async () => server.close());

const fast = (options: ConstructorParameters<typeof Transport>[0] = {}) =>
  new Transport({
    headersTimeoutMs: 300,
    bodyTimeoutMs: 200,
    connectTimeoutMs: 1_000,
    maxResponseBytes: 1024 * 1024,
    retry: { baseDelayMs: 10, maxDelayMs: 20 },
    ...options,
  });

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail');
}

describe('transport against misbehaving servers', () => {
  test('no response headers within the timeout → HeadersTimeoutError naming the request', async () => {
    const t = fast();
    const error = await failure(t.send({ method: 'GET', url: `${server.url}/hang` }));
    expect(error).toBeInstanceOf(HeadersTimeoutError);
    expect(error.message).toContain(`GET ${server.url}/hang`);
    await t.close();
  });

  test('a body that drips forever still ends within the request timeout → BodyTimeoutError', async () => {
    const t = fast({ requestTimeoutMs: 1_000 });
    const error = await failure(t.send({ method: 'GET', url: `${server.url}/drip` }));
    expect(error).toBeInstanceOf(BodyTimeoutError);
    expect(error.message).toContain('did not complete within 1 s');
    await t.close();
  });

  test('a body larger than the cap → ResponseTooLargeError, without buffering it', async () => {
    const t = fast();
    const streamed = await failure(t.send({ method: 'GET', url: `${server.url}/huge` }));
    expect(streamed).toBeInstanceOf(ResponseTooLargeError);
    expect(streamed.message).toContain('more than 1048576 bytes');
    const declared = await failure(t.send({ method: 'GET', url: `${server.url}/huge-declared` }));
    expect(declared).toBeInstanceOf(ResponseTooLargeError);
    expect(declared.message).toContain('declares content-length 52428800');
    await t.close();
  });

  test('a truncated body, a reset and a refused connection are named as such', async () => {
    const t = fast({ retry: { maxAttempts: 1 } });
    expect(await failure(t.send({ method: 'GET', url: `${server.url}/truncated` }))).toBeInstanceOf(ResponseAbortedError);
    expect(await failure(t.send({ method: 'GET', url: `${server.url}/reset` }))).toBeInstanceOf(ResponseAbortedError);
    const refused = await failure(t.send({ method: 'GET', url: 'http://127.0.0.1:9/' }));
    expect(refused).toBeInstanceOf(TargetUnreachableError);
    expect(refused.message).toContain('connection refused');
    await t.close();
  });

  test('a name that does not resolve → TargetUnreachableError', async () => {
    const t = fast();
    const error = await failure(t.send({ method: 'GET', url: 'http://no-such-host.invalid/' }));
    expect(error).toBeInstanceOf(TargetUnreachableError);
    expect(error.message).toContain('no-such-host.invalid');
    await t.close();
  });

  test('JSON parsing reports the content type and the first bytes', async () => {
    const t = fast();
    const html = await t.send({ method: 'GET', url: `${server.url}/html` });
    expect(html.status).toBe(200);
    const error = await failure(Promise.resolve().then(() => html.json()));
    expect(error).toBeInstanceOf(InvalidJsonError);
    expect(error.message).toContain('content-type application/json');
    expect(error.message).toContain('<!doctype html><html><body>Maintenance');
    const empty = await t.send({ method: 'GET', url: `${server.url}/empty` });
    expect(() => empty.json()).toThrow(/the body is empty/);
    await t.close();
  });

  test('redirects are not followed', async () => {
    const t = fast();
    const response = await t.send({
      method: 'GET',
      url: `${server.url}/redirect`,
      headers: { authorization: 'Bearer secret-token-value' },
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('https://elsewhere.example/steal');
    expect(server.hits.get('/redirect')).toBe(1);
    await t.close();
  });
});

describe('retries', () => {
  test('429 with Retry-After is retried after the time it asks for', async () => {
    const waits: number[] = [];
    const t = fast({ sleep: async (ms) => void waits.push(ms) });
    const response = await t.send({ method: 'GET', url: `${server.url}/429-once` });
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    // Retry-After: 1, not the 10–20 ms backoff the transport would otherwise take.
    expect(waits).toEqual([1000]);
    await t.close();
  });

  test('a Retry-After longer than the run may wait → RateLimitedError at once, not a hang', async () => {
    const t = fast();
    const error = await failure(t.send({ method: 'GET', url: `${server.url}/429-forever` }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.message).toContain('Retry-After 3600 asks for 3600 s');
    expect(server.hits.get('/429-forever')).toBe(1);
    await t.close();
  });

  test('429 without Retry-After: bounded exponential backoff, then RateLimitedError', async () => {
    const waits: number[] = [];
    const t = fast({
      retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 12 },
      random: () => 1,
      sleep: async (ms) => void waits.push(ms),
    });
    const error = await failure(t.send({ method: 'GET', url: `${server.url}/429-no-header` }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(server.hits.get('/429-no-header')).toBe(4);
    expect(waits).toEqual([5, 10, 12]);
    await t.close();
  });

  test('503 is retried; 500 is not', async () => {
    const t = fast();
    expect((await t.send({ method: 'GET', url: `${server.url}/503-twice` })).attempts).toBe(3);
    const five = await t.send({ method: 'GET', url: `${server.url}/500` });
    expect(five.status).toBe(500);
    expect(five.attempts).toBe(1);
    await t.close();
  });

  test('a connection reset is retried for an idempotent request only', async () => {
    const t = fast();
    expect((await t.send({ method: 'GET', url: `${server.url}/reset-once` })).status).toBe(200);
    const post = await failure(t.send({ method: 'POST', url: `${server.url}/reset-post`, body: '{}' }));
    expect(post).toBeInstanceOf(ResponseAbortedError);
    expect(server.hits.get('/reset-post')).toBe(1);
    await t.close();
  });

  test('backoff grows exponentially, is jittered and bounded', () => {
    const t = new Transport({ retry: { baseDelayMs: 100, maxDelayMs: 1000 }, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map((a) => t.backoffMs(a))).toEqual([100, 200, 400, 800, 1000, 1000]);
    const low = new Transport({ retry: { baseDelayMs: 100, maxDelayMs: 1000 }, random: () => 0 });
    expect(low.backoffMs(3)).toBe(200);
  });

  test('Retry-After as seconds or HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    expect(parseRetryAfter(new Date(now + 10_000).toUTCString(), now)).toBe(10_000);
    expect(parseRetryAfter(new Date(now - 10_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  test('the global deadline aborts a running request and prevents new ones', async () => {
    const deadline = new Deadline(300);
    const t = fast({ headersTimeoutMs: 10_000, deadline });
    const error = await failure(t.send({ method: 'GET', url: `${server.url}/hang` }));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    const next = await failure(t.send({ method: 'GET', url: `${server.url}/ok` }));
    expect(next).toBeInstanceOf(DeadlineExceededError);
    expect(next.message).toContain('before GET');
    deadline.dispose();
    await t.close();
  });
});

describe('recording', () => {
  test('every attempt is recorded with status, headers, excerpt and timing; secrets are redacted', async () => {
    const t = fast();
    await t.send({
      method: 'POST',
      url: `${server.url}/ok`,
      headers: { authorization: 'Bearer tok-123456789', 'content-type': 'application/json', signature: 'sig1=:c2lnbmF0dXJl:' },
      body: JSON.stringify({ accounts: ['a'], client_secret: 'shh-its-a-secret' }),
      purpose: 'recording test',
    });
    const [exchange] = t.recorder.exchanges;
    expect(exchange).toMatchObject({
      purpose: 'recording test',
      attempt: 1,
      request: { method: 'POST', headers: { authorization: 'Bearer [REDACTED]', signature: 'sig1=:[REDACTED]:' } },
      response: { status: 200, bodyExcerpt: '{"ok":true}' },
    });
    expect(exchange.durationMs).toEqual(expect.any(Number));
    const text = JSON.stringify(exchange);
    for (const secret of ['tok-123456789', 'shh-its-a-secret', 'c2lnbmF0dXJl']) expect(text).not.toContain(secret);
    await t.close();
  });

  test('a failed attempt is recorded with its error code', async () => {
    const t = fast({ retry: { maxAttempts: 1 } });
    await failure(t.send({ method: 'GET', url: `${server.url}/hang` }));
    expect(t.recorder.exchanges[0].error).toMatchObject({ code: 'CT_ERR_HEADERS_TIMEOUT' });
    await t.close();
  });
});
