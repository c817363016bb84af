/** The mock as a strict verifier of both signature versions (src/mock/signature-policy.ts). */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../../src/client/transport.js';
import { UpvestClient } from '../../src/client/upvest-client.js';
import { contentDigest, digestHeader } from '../../src/signing/base.js';
import { buildSignatureBase, serializeSignatureParams, signRequest, type SignOptions } from '../../src/signing/index.js';
import { signBytes } from '../../src/signing/keys.js';
import type { Parameters } from '../../src/signing/structured-fields.js';
import { mockSetup, type MockSetup } from '../helpers/mock-setup.js';

const SCOPES = ['valuations:read'];

let setup: MockSetup;
let token: string;
let path: string;
beforeAll(async () => {
  setup = await mockSetup();
  token = await setup.client.tokens.token(SCOPES);
  path = `/accounts/${setup.mock.fixtures.accounts[0].id}/valuations/current`;
});
afterAll(() => setup.close());

function apiHeaders(): Record<string, string> {
  return {
    accept: 'application/json',
    authorization: `Bearer ${token}`,
    'upvest-client-id': setup.mock.fixtures.clientId,
    'upvest-api-version': '1',
  };
}

async function send(headers: Record<string, string>, url = `${path}?price_quality=EOD`, method = 'GET', body?: string) {
  const res = await request(`${setup.mock.url}${url}`, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, detail: (JSON.parse(text || '{}') as { detail?: string }).detail ?? '' };
}

function signed(options: SignOptions = {}, headers = apiHeaders(), url = `${path}?price_quality=EOD`, method = 'GET', body?: string) {
  return signRequest({ method, url, headers, body: body ?? null }, setup.key, options).headers;
}

describe('the mock verifies both versions', () => {
  it.each(['15', '6'] as const)('a draft-%s request signed by the client is accepted', async (version) => {
    const client = new UpvestClient({
      baseUrl: setup.mock.url,
      clientId: setup.mock.fixtures.clientId,
      clientSecret: setup.mock.fixtures.clientSecret,
      signingKey: setup.key,
      signatureVersion: version,
      transport: new Transport({ retry: { maxAttempts: 1 } }),
    });
    try {
      // The token request is signed with the same version.
      const res = await client.send({ method: 'GET', path, query: [['price_quality', 'EOD']], auth: { scopes: SCOPES } });
      expect(res.status).toBe(200);
      expect(res.exchange.request.headers['upvest-signature-version']).toBe(version);
      const tampered = await client.send({
        method: 'GET',
        path,
        query: [['price_quality', 'EOD']],
        auth: { scopes: SCOPES },
        signing: 'tamper',
      });
      expect(tampered.status).toBe(401);
      expect(tampered.json()).toMatchObject({ detail: expect.stringMatching(/^signature rejected \(signature\)/) });
    } finally {
      await client.transport.close();
    }
  });

  it('a POST signed with the body digest alone (content-length not covered) is accepted: the proxy signs a chunked body so', async () => {
    const body = JSON.stringify({ accounts: [setup.mock.fixtures.accounts.find((a) => a.type === 'PORTFOLIO')!.id] });
    const admin = await setup.client.tokens.token(['portfolios:admin']);
    for (const version of ['15', '6'] as const) {
      const headers: Record<string, string> = {
        ...apiHeaders(),
        authorization: `Bearer ${admin}`,
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
        ...(version === '15' ? { 'content-digest': contentDigest(Buffer.from(body)) } : { digest: digestHeader(Buffer.from(body)) }),
      };
      const components = [...Object.keys(headers), '@method', '@path'];
      const params: Parameters = new Map<string, string | number>([
        ['keyid', setup.key.keyId],
        ['created', Math.floor(Date.now() / 1000)],
        ['nonce', crypto.randomUUID()],
      ]);
      const url = '/portfolios/rebalancings/executions';
      const base = buildSignatureBase({ method: 'POST', url, headers }, components, params, version);
      const res = await send(
        {
          ...headers,
          'signature-input': `sig1=${serializeSignatureParams(components, params)}`,
          signature: `sig1=:${signBytes(Buffer.from(base), setup.key).toString('base64')}:`,
          'upvest-signature-version': version,
        },
        url,
        'POST',
        body,
      );
      expect(components).not.toContain('content-length');
      expect(res.status, res.detail).toBe(200);
    }
  });
});

describe('what the mock refuses, naming the step', () => {
  it.each<[string, () => Record<string, string>, RegExp]>([
    [
      'no upvest-signature-version',
      () => {
        const h = signed();
        delete h['upvest-signature-version'];
        return h;
      },
      /\(signature-version\): The request has no upvest-signature-version header/,
    ],
    [
      'an unknown version',
      () => ({ ...signed(), 'upvest-signature-version': '7' }),
      /\(signature-version\): upvest-signature-version is "7"/,
    ],
    [
      'a draft-06 signature under upvest-signature-version: 15',
      () => ({ ...signed({ version: '6' }), 'upvest-signature-version': '15' }),
      /\(signature-version\): upvest-signature-version says 15, but the signature verifies only over the draft-ietf-httpbis-message-signatures-06 base/,
    ],
    [
      'a draft-15 signature under upvest-signature-version: 6',
      () => ({ ...signed({ version: '15' }), 'upvest-signature-version': '6' }),
      /\(signature-version\): upvest-signature-version says 6, but the signature verifies only over the draft-ietf-httpbis-message-signatures-15 base/,
    ],
    [
      'authorization not covered',
      () => {
        const h = signed({}, { accept: 'application/json', 'upvest-client-id': setup.mock.fixtures.clientId, 'upvest-api-version': '1' });
        return { ...h, authorization: `Bearer ${token}` };
      },
      /\(required-components\): Required components not covered: authorization/,
    ],
    ['created 60 s ahead (tolerance 30 s)', () => signed({ created: Math.floor(Date.now() / 1000) + 60 }), /\(created-in-future\)/],
    [
      'expired 60 s ago (tolerance 30 s)',
      () => signed({ created: Math.floor(Date.now() / 1000) - 70, expiresInSeconds: 5 }),
      /\(expired\)/,
    ],
  ])('%s', async (name, headersOf, detail) => {
    const res = await send(headersOf());
    expect(res.status, name).toBe(401);
    expect(res.detail).toMatch(detail);
  });

  it('a signature without a nonce', async () => {
    const h = signed();
    h['signature-input'] = h['signature-input'].replace(/;nonce="[^"]*"/, '');
    const res = await send(h);
    expect(res.status).toBe(401);
    expect(res.detail).toMatch(/\(malformed-signature-input\): signature-input sig1: has no nonce parameter/);
  });

  it('@query covered although the URL has none (no Upvest signer does that)', async () => {
    const covering = signRequest({ method: 'GET', url: `${path}?price_quality=EOD`, headers: apiHeaders() }, setup.key).headers;
    const refused = await send(covering, path);
    expect(refused.status).toBe(401);
    expect(refused.detail).toMatch(/\(required-components\): @query is covered but the URL has no query/);
  });

  it('the same nonce twice within the signature’s validity: the second is a replay', async () => {
    const h = signed();
    expect((await send(h)).status).toBe(200);
    const again = await send(h);
    expect(again.status).toBe(401);
    expect(again.detail).toMatch(/\(replayed-nonce\): nonce "[0-9a-f-]+" of key "test-client-key" was already used/);
  });
});

describe('signature settings of the mock', () => {
  it('--signature-tolerance widens the window; --allow-nonce-reuse lets a load tool resend', async () => {
    const wide = await mockSetup({ signatureToleranceSeconds: 120, allowNonceReuse: true });
    try {
      const t = await wide.client.tokens.token(SCOPES);
      const p = `/accounts/${wide.mock.fixtures.accounts[0].id}/valuations/current?price_quality=EOD`;
      const headers = {
        accept: 'application/json',
        authorization: `Bearer ${t}`,
        'upvest-client-id': wide.mock.fixtures.clientId,
        'upvest-api-version': '1',
      };
      const ahead = signRequest({ method: 'GET', url: p, headers }, wide.key, { created: Math.floor(Date.now() / 1000) + 60 }).headers;
      const first = await request(`${wide.mock.url}${p}`, { headers: ahead });
      await first.body.dump();
      expect(first.statusCode).toBe(200);
      const second = await request(`${wide.mock.url}${p}`, { headers: ahead });
      await second.body.dump();
      expect(second.statusCode).toBe(200);
    } finally {
      await wide.close();
    }
  });
});
