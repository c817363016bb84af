import { describe, expect, test } from 'vitest';
import { TokenProvider, type TokenRequestSender } from '../../src/client/oauth.js';
import { secrets } from '../../src/client/redact.js';
import { TokenRequestError, CrossOriginRedirectError } from '../../src/errors.js';
import type { HttpResponse } from '../../src/client/transport.js';
import { parseJsonBody } from '../../src/client/transport-errors.js';

function response(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  const buffer = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    method: 'POST',
    url: 'https://t.example/auth/token',
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: buffer,
    durationMs: 1,
    attempts: 1,
    exchange: {} as HttpResponse['exchange'],
    text: () => buffer.toString(),
    json: <T>() => parseJsonBody<T>(buffer, 'application/json', 'POST', 'u', status),
  };
}

function provider(reply: (body: URLSearchParams, n: number) => HttpResponse, clock = { t: 0 }) {
  const sent: URLSearchParams[] = [];
  const send: TokenRequestSender = async (request) => {
    const form = new URLSearchParams(request.body);
    sent.push(form);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    await new Promise((r) => setTimeout(r, 5));
    return reply(form, sent.length);
  };
  const tokens = new TokenProvider({
    baseUrl: 'https://t.example',
    clientId: 'client-1',
    clientSecret: 'the-client-secret-value',
    tokenPath: '/auth/token',
    send,
    now: () => clock.t,
  });
  return { tokens, sent, clock };
}

describe('OAuth2 client credentials', () => {
  test('sends the form fields Upvest expects and caches the token per scope set', async () => {
    const { tokens, sent } = provider((form, n) =>
      response(200, { access_token: `tok-${form.get('scope')}-${n}`, expires_in: 3600, token_type: 'bearer' }),
    );
    const a = await tokens.token(['valuations:read']);
    const b = await tokens.token(['valuations:read']);
    const c = await tokens.token(['portfolios:read', 'portfolios:admin']);
    const d = await tokens.token(['portfolios:admin', 'portfolios:read']);
    expect(a).toBe(b);
    expect(c).toBe(d);
    expect(a).not.toBe(c);
    expect(sent).toHaveLength(2);
    expect(Object.fromEntries(sent[0])).toEqual({
      client_id: 'client-1',
      client_secret: 'the-client-secret-value',
      grant_type: 'client_credentials',
      scope: 'valuations:read',
    });
    expect(sent[1].get('scope')).toBe('portfolios:admin portfolios:read');
  });

  test('concurrent callers share one token request', async () => {
    const { tokens, sent } = provider(() => response(200, { access_token: 'shared-token-1', expires_in: 3600 }));
    const all = await Promise.all(Array.from({ length: 10 }, () => tokens.token(['valuations:read'])));
    expect(new Set(all)).toEqual(new Set(['shared-token-1']));
    expect(sent).toHaveLength(1);
  });

  test('refreshes before expiry, not after', async () => {
    const { tokens, sent, clock } = provider((_f, n) => response(200, { access_token: `token-number-${n}`, expires_in: 600 }));
    expect(await tokens.token(['x'])).toBe('token-number-1');
    clock.t = 530_000; // inside the refresh margin (a tenth of 600 s)
    expect(await tokens.token(['x'])).toBe('token-number-1');
    clock.t = 545_000;
    expect(await tokens.token(['x'])).toBe('token-number-2');
    expect(sent).toHaveLength(2);
  });

  test('issued tokens and the client secret are registered for redaction', async () => {
    const { tokens } = provider(() => response(200, { access_token: 'fresh-token-to-hide', expires_in: 60 }));
    await tokens.token(['x']);
    expect(secrets.scrub('Bearer fresh-token-to-hide and the-client-secret-value')).toBe('Bearer [REDACTED] and [REDACTED]');
  });

  test.for([
    [
      401,
      { type: 'unauthorized', detail: 'invalid client the-client-secret-value' },
      'POST /auth/token → 401 for scopes "x" (unauthorized: invalid client [REDACTED])',
      'Check --client-id',
    ],
    [
      403,
      { error: 'invalid_scope', error_description: 'scope x not allowed' },
      '403 for scopes "x" (invalid_scope: scope x not allowed)',
      'may request the scopes',
    ],
    [500, '<html>oops</html>', '500 for scopes "x" (no readable error body)', undefined],
  ] as const)('a %s from the token endpoint is a TokenRequestError that names it, secret-free', async ([status, body, message, hint]) => {
    const { tokens } = provider(() => response(status, body));
    const error = (await tokens.token(['x']).catch((e: unknown) => e)) as TokenRequestError;
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('the-client-secret-value');
    if (hint) expect(error.hint).toContain(hint);
  });

  test('a 200 without access_token is an error', async () => {
    const { tokens } = provider(() => response(200, { token: 'x' }));
    await expect(tokens.token(['x'])).rejects.toThrow(/without an access_token/);
  });

  test('a redirect to another origin is refused: credentials never leave the origin', async () => {
    const { tokens } = provider(() => response(302, '', { location: 'https://evil.example/auth/token' }));
    const error = await tokens.token(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrossOriginRedirectError);
    expect((error as Error).message).toContain('https://evil.example');
  });
});
