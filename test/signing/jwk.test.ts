/** Public keys as JWK and JWKS: what our mock serves and what Upvest serves at /auth/verify_keys. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SigningKeyError } from '../../src/errors.js';
import { keyResolverFromJwks, publicJwk, publicKeyFromJwk, signRequest, verifyRequest } from '../../src/signing/index.js';
import { generateKeys } from './keys.js';

/** The example JWKS in Upvest's documentation. */
const UPVEST_DOCS_JWKS = {
  keys: [
    {
      kid: '9ed77463-c18e-4794-ab5c-17423f9b801a',
      kty: 'EC',
      crv: 'P-521',
      x: 'AcYAf5Ou0UvtehpeRvyhnvvrUQvjI4B3VCxfSmxK4gqKJGxO_jTB-nTdrHbBfmZpwmwYR86DppMg43E579K5MQ54',
      y: 'ALkrId77iD0Ye2vBS5bTkLqPH-bo8urTpTXiNc6Ub-VOFbXfJrR0tQ8COvVXXu58BTu8jWV-1mtbjfJpDl3ISbcK',
    },
  ],
};

describe('JWK and JWKS', () => {
  it('publicJwk → keyResolverFromJwks → verify round-trips a P-521 key', () => {
    const { signing } = generateKeys('P-521', 'webhook-key-1');
    const jwk = publicJwk(signing);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-521', kid: 'webhook-key-1', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    const jwks = JSON.parse(JSON.stringify({ keys: [publicJwk(generateKeys('P-521', 'other').signing), jwk] }));
    const signed = signRequest(
      { method: 'POST', url: '/webhooks', headers: { 'content-type': 'application/json' }, body: '{"id":"e-1"}' },
      signing,
      { created: 1700000000 },
    );
    const result = verifyRequest(
      { method: 'POST', url: '/webhooks', headers: signed.headers, body: '{"id":"e-1"}' },
      keyResolverFromJwks(jwks),
      { now: () => 1700000000_000 },
    );
    expect(result).toMatchObject({ ok: true, keyId: 'webhook-key-1' });
  });

  it("parses the JWKS example from Upvest's docs as an ECDSA P-521 key", () => {
    const resolve = keyResolverFromJwks(UPVEST_DOCS_JWKS);
    const key = resolve('9ed77463-c18e-4794-ab5c-17423f9b801a');
    expect(key).toMatchObject({ keyId: '9ed77463-c18e-4794-ab5c-17423f9b801a', algorithm: 'ecdsa-p521-sha512' });
    expect(key?.publicKey.type).toBe('public');
    expect(publicJwk(key!)).toEqual({ ...UPVEST_DOCS_JWKS.keys[0], use: 'sig' });
    expect(resolve('another-kid')).toBeUndefined();
  });

  it('skips keys that are not for signing, unsupported, or without kid', () => {
    const rsa = { ...generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }), kid: 'rsa' };
    const docsKey = UPVEST_DOCS_JWKS.keys[0];
    const resolve = keyResolverFromJwks({
      keys: [rsa, { ...docsKey, kid: 'enc', use: 'enc' }, { ...docsKey, kid: undefined }, { ...docsKey, kid: 'sig' }],
    });
    expect(resolve('rsa')).toBeUndefined();
    expect(resolve('enc')).toBeUndefined();
    expect(resolve('sig')).toMatchObject({ algorithm: 'ecdsa-p521-sha512' });
  });

  it('imports Ed25519 (OKP) JWKs, and only the public part of a private JWK', () => {
    const { signing } = generateKeys('ed25519', 'ed');
    expect(publicKeyFromJwk(publicJwk(signing))).toMatchObject({ keyId: 'ed', algorithm: 'ed25519' });
    const privateJwk = signing.privateKey.export({ format: 'jwk' });
    expect(privateJwk).toHaveProperty('d');
    expect(publicKeyFromJwk(privateJwk, 'given-id')).toMatchObject({ keyId: 'given-id', publicKey: { type: 'public' } });
  });

  it('throws SigningKeyError for a JWK without kid, or one it cannot import', () => {
    const { kid: _kid, ...withoutKid } = UPVEST_DOCS_JWKS.keys[0];
    expect(() => publicKeyFromJwk(withoutKid)).toThrow(SigningKeyError);
    expect(() => publicKeyFromJwk({ ...withoutKid, x: 'AAAA' }, 'broken')).toThrow(/JWK "broken" \(kty EC, crv P-521\) cannot be imported/);
  });
});
