/**
 * RFC 9421 Appendix B test vectors, with the keys of Appendix B.1 (test/fixtures/keys/).
 * B.2.6 (Ed25519, deterministic) is reproduced byte for byte; B.2.4 (ECDSA P-256, randomized)
 * is verified as published, in its raw r||s (p1363) encoding.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildSignatureBase,
  loadSigningKey,
  publicKeyFromPem,
  serializeSignatureParams,
  verifyRequest,
  type HttpMessage,
} from '../../src/signing/index.js';
import { signBytes, verifyBytes } from '../../src/signing/keys.js';
import { parseDictionary } from '../../src/signing/structured-fields.js';

const fixture = (name: string) => new URL(`../fixtures/keys/${name}`, import.meta.url);
const CREATED = 1618884473;

/** The RFC's test-request (Appendix B.2), as received by a server. */
const TEST_REQUEST_TARGET = '/foo?param=Value&Pet=dog';
const TEST_REQUEST: HttpMessage = {
  method: 'POST',
  url: TEST_REQUEST_TARGET,
  headers: {
    Host: 'example.com',
    Date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'Content-Type': 'application/json',
    'Content-Digest': 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
    'Content-Length': '18',
  },
};
const TEST_REQUEST_BODY = '{"hello": "world"}';

/** The RFC's test-response (Appendix B.2). */
const TEST_RESPONSE: HttpMessage = {
  status: 200,
  headers: {
    Date: 'Tue, 20 Apr 2021 02:07:56 GMT',
    'Content-Type': 'application/json',
    'Content-Digest': 'sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:',
    'Content-Length': '23',
  },
};

describe('RFC 9421 Appendix B.1 test keys', () => {
  it('each published public key is the one of its private key', () => {
    for (const name of ['rfc9421-test-key-ed25519', 'rfc9421-test-key-ecc-p256']) {
      const derived = createPublicKey(createPrivateKey(readFileSync(fixture(`${name}.pem`)))).export({ type: 'spki', format: 'pem' });
      expect(derived).toBe(readFileSync(fixture(`${name}.pub.pem`), 'utf8'));
    }
  });
});

describe('RFC 9421 B.2.6: signing a request using ed25519', () => {
  const components = ['date', '@method', '@path', '@authority', 'content-type', 'content-length'];
  const params = new Map<string, string | number>([
    ['created', CREATED],
    ['keyid', 'test-key-ed25519'],
  ]);
  const expectedBase = [
    '"date": Tue, 20 Apr 2021 02:07:55 GMT',
    '"@method": POST',
    '"@path": /foo',
    '"@authority": example.com',
    '"content-type": application/json',
    '"content-length": 18',
    '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
  ].join('\n');
  const expectedSignatureInput =
    'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
  const expectedSignature = 'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:';

  it('reproduces the signature base, Signature-Input and Signature byte for byte', () => {
    const base = buildSignatureBase(TEST_REQUEST, components, params);
    expect(base).toBe(expectedBase);
    expect(`sig-b26=${serializeSignatureParams(components, params)}`).toBe(expectedSignatureInput);
    const key = loadSigningKey({ key: fileURLToPath(fixture('rfc9421-test-key-ed25519.pem')), keyId: 'test-key-ed25519' });
    expect(key.algorithm).toBe('ed25519');
    expect(`sig-b26=:${signBytes(Buffer.from(base), key).toString('base64')}:`).toBe(expectedSignature);
  });

  it('takes @authority from an absolute URL as well as from the host header', () => {
    const absolute = {
      ...TEST_REQUEST,
      url: 'https://Example.com/foo?param=Value&Pet=dog',
      headers: { ...TEST_REQUEST.headers, Host: 'ignored.example' },
    };
    expect(buildSignatureBase(absolute, components, params)).toBe(expectedBase);
  });

  it("verifies the published signature; verifyRequest adds the Upvest profile's rules on top", () => {
    const key = publicKeyFromPem(readFileSync(fixture('rfc9421-test-key-ed25519.pub.pem'), 'utf8'), 'test-key-ed25519');
    expect(verifyBytes(Buffer.from(expectedBase), Buffer.from(expectedSignature.slice('sig-b26=:'.length, -1), 'base64'), key)).toBe(true);
    // This RFC example covers neither @query nor content-digest, both of which the Upvest profile requires here.
    const request = {
      method: 'POST',
      url: TEST_REQUEST_TARGET,
      headers: { ...TEST_REQUEST.headers, 'Signature-Input': expectedSignatureInput, Signature: expectedSignature },
      body: TEST_REQUEST_BODY,
    };
    const options = { label: 'sig-b26', now: () => CREATED * 1000 };
    expect(verifyRequest(request, () => key, options)).toMatchObject({
      ok: false,
      step: 'required-components',
      message: expect.stringMatching(/not covered: @query/),
    });
    expect(verifyRequest({ ...request, url: '/foo' }, () => key, options)).toMatchObject({
      ok: false,
      step: 'content-digest',
      keyId: 'test-key-ed25519',
    });
  });

  it('parses and re-serializes the published Signature-Input exactly', () => {
    const member = parseDictionary(expectedSignatureInput).get('sig-b26');
    expect(
      member &&
        'items' in member &&
        serializeSignatureParams(
          member.items.map((item) => item.value as string),
          member.params,
        ),
    ).toBe(expectedSignatureInput.slice('sig-b26='.length));
  });
});

describe('RFC 9421 B.2.4: signing a response using ecdsa-p256-sha256', () => {
  const components = ['@status', 'content-type', 'content-digest', 'content-length'];
  const params = new Map<string, string | number>([
    ['created', CREATED],
    ['keyid', 'test-key-ecc-p256'],
  ]);
  const expectedBase = [
    '"@status": 200',
    '"content-type": application/json',
    '"content-digest": sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:',
    '"content-length": 23',
    '"@signature-params": ("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256"',
  ].join('\n');
  const publishedSignature = Buffer.from(
    'wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==',
    'base64',
  );
  const publicKey = () => publicKeyFromPem(readFileSync(fixture('rfc9421-test-key-ecc-p256.pub.pem'), 'utf8'), 'test-key-ecc-p256');

  it('reproduces the signature base and verifies the published p1363 signature', () => {
    const base = buildSignatureBase(TEST_RESPONSE, components, params);
    expect(base).toBe(expectedBase);
    expect(publicKey().algorithm).toBe('ecdsa-p256-sha256');
    expect(verifyBytes(Buffer.from(base), publishedSignature, { ...publicKey(), ecdsaEncoding: 'p1363' })).toBe(true);
    expect(verifyBytes(Buffer.from(base), publishedSignature, publicKey())).toBe(true);
  });

  it('rejects it as DER, and over a changed base', () => {
    expect(verifyBytes(Buffer.from(expectedBase), publishedSignature, { ...publicKey(), ecdsaEncoding: 'der' })).toBe(false);
    expect(verifyBytes(Buffer.from(expectedBase.replace('200', '201')), publishedSignature, publicKey())).toBe(false);
  });

  it('signs with the RFC private key (SEC1 PEM) so that the RFC public key verifies', () => {
    const key = loadSigningKey({
      key: readFileSync(fixture('rfc9421-test-key-ecc-p256.pem'), 'utf8'),
      keyId: 'test-key-ecc-p256',
      ecdsaEncoding: 'p1363',
    });
    const signature = signBytes(Buffer.from(expectedBase), key);
    expect(signature).toHaveLength(64);
    expect(verifyBytes(Buffer.from(expectedBase), signature, { ...publicKey(), ecdsaEncoding: 'p1363' })).toBe(true);
  });
});

describe('RFC 9421 §2.2 derived components', () => {
  const base = (message: HttpMessage, component: string) => buildSignatureBase(message, [component], new Map()).split('\n')[0];

  it('values them as the RFC says', () => {
    const message: HttpMessage = { method: 'post', url: '', headers: { HOST: ' Example.COM ' } };
    expect(base(message, '@method')).toBe('"@method": POST');
    expect(base(message, '@path')).toBe('"@path": /');
    expect(base(message, '@query')).toBe('"@query": ?'); // §2.2.7: an absent query is "?"
    expect(base({ ...message, url: '/p?' }, '@query')).toBe('"@query": ?');
    expect(base({ ...message, url: '/p?a=1&b' }, '@query')).toBe('"@query": ?a=1&b');
    expect(base(message, '@authority')).toBe('"@authority": example.com');
    expect(base({ ...message, url: 'https://API.example:443/x' }, '@authority')).toBe('"@authority": api.example');
    expect(base({ status: 404, headers: {} }, '@status')).toBe('"@status": 404');
  });

  it('refuses components the message does not have, and upper-case names', () => {
    expect(() => base({ method: 'GET', url: '/', headers: {} }, 'content-type')).toThrow('The message has no "content-type" component');
    expect(() => base({ method: 'GET', url: '/', headers: {} }, '@target-uri')).toThrow('The message has no "@target-uri" component');
    expect(() => base({ method: 'GET', url: '/', headers: { Accept: 'x' } }, 'Accept')).toThrow('must be lower-case');
  });
});
