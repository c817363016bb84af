/** verifyRequest names the step that fails, and never echoes the signature or a bearer token. */
import { describe, expect, it } from 'vitest';
import {
  signRequest,
  verifyRequest,
  type SignableRequest,
  type VerifyOptions,
  type VerifyResult,
  type VerifyStep,
} from '../../src/signing/index.js';
import { generateKeys, resolverOf } from './keys.js';

const CREATED = 1700000000;
const TOKEN = 'secret-bearer-token';
const { signing, verifying } = generateKeys('P-521', 'key-1');
const sent = {
  method: 'POST',
  url: 'https://sandbox.upvest.co/orders?account=a-1',
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
  body: '{"amount":"10.00"}',
};
const signed = signRequest(sent, signing, { created: CREATED, nonce: 'nonce-1' });
const signature = signed.headers.signature.slice('sig1=:'.length, -1);
/** The request as a server receives it. */
const received: SignableRequest = { method: 'POST', url: '/orders?account=a-1', headers: signed.headers, body: sent.body };
const atCreated = { now: () => CREATED * 1000 };

function verify(change: Partial<SignableRequest> = {}, options: VerifyOptions = atCreated, keys = resolverOf(verifying)): VerifyResult {
  const result = verifyRequest({ ...received, ...change }, keys, options);
  if (!result.ok) {
    expect(result.message).not.toContain(signature);
    expect(result.message).not.toContain(TOKEN);
  }
  return result;
}

function withHeaders(change: (headers: Record<string, string>) => void): Partial<SignableRequest> {
  const headers = { ...signed.headers };
  change(headers);
  return { headers };
}

describe('verifyRequest', () => {
  it('accepts the request as signed, with header names in any case', () => {
    expect(verify()).toEqual({
      ok: true,
      keyId: 'key-1',
      coveredComponents: signed.coveredComponents,
      created: CREATED,
      expires: CREATED + 5,
      nonce: 'nonce-1',
      version: '15',
      versionSource: 'header',
    });
    const upperCased = Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toUpperCase(), value]));
    expect(verify({ headers: upperCased })).toMatchObject({ ok: true });
    expect(verify({ body: Buffer.from(sent.body) })).toMatchObject({ ok: true });
  });

  it.each<[string, Partial<SignableRequest>, VerifyStep, RegExp]>([
    ['body changed', { body: '{"amount":"99.00"}' }, 'content-digest', /content-digest sha-512 is .+ but the body \(18 bytes\) hashes to /],
    [
      'body added to a request signed without one',
      { headers: signRequest({ ...sent, body: null }, signing, { created: CREATED }).headers },
      'content-digest',
      /18-byte body but content-digest is not covered/,
    ],
    [
      'content-length changed',
      withHeaders((h) => {
        h['content-length'] = '17';
      }),
      'content-length',
      /content-length is 17 but the body has 18 bytes/,
    ],
    ['path changed', { url: '/orders/x?account=a-1' }, 'signature', /does not verify with key "key-1" \(ecdsa-p521-sha512\)/],
    ['query changed', { url: '/orders?account=a-2' }, 'signature', /does not verify/],
    ['query removed', { url: '/orders' }, 'signature', /does not verify/],
    [
      'query added to a request signed without one',
      { url: '/orders?account=a-1&extra=1', headers: signRequest({ ...sent, url: '/orders' }, signing, { created: CREATED }).headers },
      'required-components',
      /not covered: @query/,
    ],
    ['method changed', { method: 'PUT' }, 'signature', /does not verify/],
    [
      'covered header changed',
      withHeaders((h) => {
        h['content-type'] = 'text/plain';
      }),
      'signature',
      /does not verify/,
    ],
    [
      'covered header removed',
      withHeaders((h) => {
        delete h['content-type'];
      }),
      'missing-headers',
      /Covered components missing from the request: content-type/,
    ],
    [
      'signature header missing',
      withHeaders((h) => {
        delete h.signature;
      }),
      'missing-headers',
      /no signature header/,
    ],
    [
      'both signature headers missing',
      withHeaders((h) => {
        delete h.signature;
        delete h['signature-input'];
      }),
      'missing-headers',
      /no signature-input and no signature header/,
    ],
    [
      'garbled signature-input',
      withHeaders((h) => {
        h['signature-input'] = 'sig1=("@method" "@path";keyid="key-1"';
      }),
      'malformed-signature-input',
      /not a structured dictionary/,
    ],
    [
      'signature-input without created',
      withHeaders((h) => {
        h['signature-input'] = h['signature-input'].replace(/;created=\d+/, '');
      }),
      'malformed-signature-input',
      /no created parameter/,
    ],
    [
      'signature-input with an unsupported derived component',
      withHeaders((h) => {
        h['signature-input'] = h['signature-input'].replace('"@path"', '"@target-uri"');
      }),
      'malformed-signature-input',
      /derived component "@target-uri" is not supported/,
    ],
    [
      'garbled signature',
      withHeaders((h) => {
        h.signature = 'sig1=:not base64!:';
      }),
      'malformed-signature',
      /not a structured dictionary/,
    ],
    [
      'signature not a byte sequence',
      withHeaders((h) => {
        h.signature = 'sig1="abc"';
      }),
      'malformed-signature',
      /not a byte sequence/,
    ],
    [
      'label other than sig1',
      withHeaders((h) => {
        h.signature = h.signature.replace('sig1=', 'sig2=');
        h['signature-input'] = h['signature-input'].replace('sig1=', 'sig2=');
      }),
      'label',
      /labelled "sig1".*received: sig2/,
    ],
    [
      "alg that is not the key's",
      withHeaders((h) => {
        h['signature-input'] += ';alg="ed25519"';
      }),
      'signature',
      /alg="ed25519" but key "key-1" is ecdsa-p521-sha512/,
    ],
  ])('%s → %s', (_name, change, step, message) => {
    const result = verify(change);
    expect(result).toMatchObject({ ok: false, step });
    expect(!result.ok && result.message).toMatch(message);
  });

  it('unknown key id → unknown-key; wrong key under the right id → signature', () => {
    expect(verify({}, atCreated, () => undefined)).toMatchObject({
      ok: false,
      step: 'unknown-key',
      keyId: 'key-1',
      message: 'No public key is known for keyid "key-1"',
    });
    const impostor = { ...generateKeys('P-521', 'key-1').verifying };
    expect(verify({}, atCreated, resolverOf(impostor))).toMatchObject({ ok: false, step: 'signature' });
  });

  it('a required component not covered → required-components', () => {
    const result = verify({}, { ...atCreated, requiredComponents: ['@method', '@authority', 'idempotency-key'] });
    expect(result).toMatchObject({ ok: false, step: 'required-components' });
    expect(!result.ok && result.message).toMatch(
      /^Required components not covered: @authority, idempotency-key \(covered: @method, @path, @query, /,
    );
  });

  it('checks the time window with the clock skew', () => {
    const at = (seconds: number, extra: VerifyOptions = {}) => verify({}, { now: () => seconds * 1000, ...extra });
    expect(at(CREATED - 30)).toMatchObject({ ok: true });
    expect(at(CREATED - 31)).toMatchObject({ ok: false, step: 'created-in-future' });
    expect(at(CREATED + 5 + 30)).toMatchObject({ ok: true });
    expect(at(CREATED + 5 + 31)).toMatchObject({ ok: false, step: 'expired' });
    expect(at(CREATED + 6, { clockSkewSeconds: 0 })).toMatchObject({ ok: false, step: 'expired' });
    expect(at(CREATED - 1, { clockSkewSeconds: 0 })).toMatchObject({ ok: false, step: 'created-in-future' });
  });

  it('without expires, rejects a signature older than maxAgeSeconds', () => {
    const noExpiry = signRequest(sent, signing, { created: CREATED, expiresInSeconds: null });
    const at = (seconds: number, extra: VerifyOptions = {}) =>
      verify({ headers: noExpiry.headers }, { now: () => seconds * 1000, ...extra });
    expect(at(CREATED + 300)).toMatchObject({ ok: true });
    expect(at(CREATED + 301)).toMatchObject({ ok: false, step: 'too-old' });
    expect(at(CREATED + 61, { maxAgeSeconds: 60 })).toMatchObject({ ok: false, step: 'too-old' });
  });

  it('verifies a label other than sig1 when told to', () => {
    const relabelled = withHeaders((h) => {
      h.signature = h.signature.replace('sig1=', 'sig2=');
      h['signature-input'] = h['signature-input'].replace('sig1=', 'sig2=');
    });
    expect(verify(relabelled, { ...atCreated, label: 'sig2' })).toMatchObject({ ok: true });
  });
});
