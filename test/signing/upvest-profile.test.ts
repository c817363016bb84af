/** The shape of what signRequest sends under the Upvest profile, with fixed created and nonce. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signRequest, verifyRequest } from '../../src/signing/index.js';
import { generateKeys, resolverOf } from './keys.js';

const CREATED = 1700000000;
const DATE = 'Tue, 14 Nov 2023 22:13:20 GMT';
const { signing, verifying } = generateKeys('P-521', 'key-1');
const fixed = { created: CREATED, nonce: 'nonce-1' };

/** Headers the profile never covers but passes through. */
const UNCOVERED_HEADERS = {
  'X-Request-Id': 'req-1',
  Cookie: 'session=1',
  'CF-Ray': 'ray',
  'CDN-Loop': 'cdn',
  'Sec-Fetch-Mode': 'cors',
  Priority: 'u=1',
  'Upvest-Signature-Extra': 'x',
  Connection: 'keep-alive',
};

describe('signRequest: a GET with a query', () => {
  const signed = signRequest(
    {
      method: 'get',
      url: 'https://sandbox.upvest.co/users?limit=10&offset=0',
      headers: { Authorization: 'Bearer token-1', Accept: 'application/json', ...UNCOVERED_HEADERS, 'Upvest-Client-Id': 'client-1' },
    },
    signing,
    fixed,
  );

  it('sends the exact signature-input and signs the exact base', () => {
    const params =
      '("@method" "@path" "@query" "authorization" "accept" "upvest-client-id" "date");keyid="key-1";created=1700000000;expires=1700000005;nonce="nonce-1"';
    expect(signed.headers['signature-input']).toBe(`sig1=${params}`);
    expect(signed.signatureBase).toBe(
      [
        '"@method": GET',
        '"@path": /users',
        '"@query": ?limit=10&offset=0',
        '"authorization": Bearer token-1',
        '"accept": application/json',
        '"upvest-client-id": client-1',
        `"date": ${DATE}`,
        `"@signature-params": ${params}`,
      ].join('\n'),
    );
    expect(signed.coveredComponents).toEqual(['@method', '@path', '@query', 'authorization', 'accept', 'upvest-client-id', 'date']);
  });

  it('sends every input header, the added date and the version header, none of the excluded ones covered', () => {
    expect(signed.headers).toMatchObject({
      date: DATE,
      'upvest-signature-version': '15',
      'x-request-id': 'req-1',
      cookie: 'session=1',
      connection: 'keep-alive',
    });
    expect(signed.headers.signature).toMatch(/^sig1=:[A-Za-z0-9+/]+=*:$/);
    for (const name of [...Object.keys(UNCOVERED_HEADERS), 'upvest-signature-version', 'signature', 'signature-input']) {
      expect(signed.coveredComponents).not.toContain(name.toLowerCase());
      expect(signed.signatureBase).not.toContain(`"${name.toLowerCase()}"`);
    }
    expect(signed.headers).not.toHaveProperty('content-length');
    expect(signed.headers).not.toHaveProperty('content-digest');
  });

  it('verifies', () => {
    expect(
      verifyRequest({ method: 'GET', url: '/users?limit=10&offset=0', headers: signed.headers }, resolverOf(verifying), {
        now: () => CREATED * 1000,
      }),
    ).toMatchObject({ ok: true, keyId: 'key-1', created: CREATED, expires: CREATED + 5, nonce: 'nonce-1' });
  });
});

describe('signRequest: a POST with a JSON body', () => {
  // 49 characters but 50 bytes: content-length counts bytes.
  const body = '{"amount":"10.00","currency":"EUR","note":"café"}';
  const digest = `sha-512=:${createHash('sha512').update(body, 'utf8').digest('base64')}:`;
  const request = {
    method: 'POST',
    url: '/orders',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer token-1', 'Idempotency-Key': 'idem-1' },
    body,
  };

  it('adds and covers content-length (bytes) and content-digest (sha-512), after date, and has no @query', () => {
    const signed = signRequest(request, signing, fixed);
    const params =
      '("@method" "@path" "content-type" "authorization" "idempotency-key" "date" "content-length" "content-digest");keyid="key-1";created=1700000000;expires=1700000005;nonce="nonce-1"';
    expect(signed.headers['signature-input']).toBe(`sig1=${params}`);
    expect(signed.signatureBase).toBe(
      [
        '"@method": POST',
        '"@path": /orders',
        '"content-type": application/json',
        '"authorization": Bearer token-1',
        '"idempotency-key": idem-1',
        `"date": ${DATE}`,
        '"content-length": 50',
        `"content-digest": ${digest}`,
        `"@signature-params": ${params}`,
      ].join('\n'),
    );
    expect(signed.headers).toMatchObject({ 'content-length': '50', 'content-digest': digest, 'upvest-signature-version': '15' });
    expect(verifyRequest({ ...request, headers: signed.headers }, resolverOf(verifying), { now: () => CREATED * 1000 })).toMatchObject({
      ok: true,
    });
  });

  it('hashes Uint8Array bodies as given', () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const signed = signRequest({ ...request, body: bytes }, signing, fixed);
    expect(signed.headers['content-digest']).toBe(`sha-512=:${createHash('sha512').update(bytes).digest('base64')}:`);
    expect(signed.headers['content-length']).toBe('4');
  });

  it('keeps a given content-length/content-digest that match the body, and throws on ones that do not', () => {
    const matching = signRequest(
      { ...request, headers: { ...request.headers, 'Content-Length': '50', 'Content-Digest': digest } },
      signing,
      fixed,
    );
    expect(matching.coveredComponents.slice(-2)).toEqual(['content-length', 'content-digest']);
    expect(() => signRequest({ ...request, headers: { ...request.headers, 'Content-Length': '49' } }, signing, fixed)).toThrow(
      /content-length is 49 but the body has 50 bytes/,
    );
    expect(() => signRequest({ ...request, headers: { ...request.headers, 'Content-Digest': 'sha-512=:AAAA:' } }, signing, fixed)).toThrow(
      /content-digest sha-512 is AAAA but the body/,
    );
  });
});

describe('signRequest options', () => {
  const request = { method: 'GET', url: '/accounts', headers: { Date: 'Mon, 13 Nov 2023 00:00:00 GMT' } };

  it('covers a given date header as given, instead of adding one', () => {
    const signed = signRequest(request, signing, fixed);
    expect(signed.headers.date).toBe('Mon, 13 Nov 2023 00:00:00 GMT');
    expect(signed.coveredComponents).toEqual(['@method', '@path', 'date']);
    expect(signed.signatureBase).toContain('"@path": /accounts\n"date": Mon, 13 Nov 2023 00:00:00 GMT\n');
  });

  it('sends alg only when asked (first, as Upvest does) and no expires when expiresInSeconds is null', () => {
    const signed = signRequest(request, signing, { ...fixed, alg: 'ecdsa-p521-sha512', expiresInSeconds: null });
    expect(signed.headers['signature-input']).toBe(
      'sig1=("@method" "@path" "date");alg="ecdsa-p521-sha512";keyid="key-1";created=1700000000;nonce="nonce-1"',
    );
  });

  it('takes created from now() and makes a fresh UUID nonce by default', () => {
    const options = { now: () => 1700000123999, expiresInSeconds: 60 };
    const first = signRequest(request, signing, options);
    const second = signRequest(request, signing, options);
    expect(first.headers['signature-input']).toMatch(
      /;keyid="key-1";created=1700000123;expires=1700000183;nonce="[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$/,
    );
    // Everything else equal, only the nonce tells the two apart.
    const nonce = (input: string) => /;nonce="([^"]+)"$/.exec(input)?.[1];
    expect(nonce(first.headers['signature-input'])).not.toBe(nonce(second.headers['signature-input']));
    expect(first.headers['signature-input'].replace(/nonce="[^"]+"/, '')).toBe(
      second.headers['signature-input'].replace(/nonce="[^"]+"/, ''),
    );
  });

  it('uses / for an empty path', () => {
    expect(signRequest({ method: 'GET', url: 'https://sandbox.upvest.co', headers: {} }, signing, fixed).signatureBase).toContain(
      '"@path": /\n',
    );
  });
});
