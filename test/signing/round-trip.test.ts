/** Sign → verify for every supported key type, both ECDSA encodings, and encrypted PEM files. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generateSigningKey,
  loadSigningKey,
  publicJwk,
  publicKeyFromJwk,
  publicKeyFromPem,
  signRequest,
  signRequestAsync,
  verifyRequest,
  type EcdsaEncoding,
  type SigningKey,
  type VerifyingKey,
} from '../../src/signing/index.js';
import { generateKeys, resolverOf, type KeyKind } from './keys.js';

const NOW = 1700000000_000;
const request = {
  method: 'PATCH',
  url: 'https://sandbox.upvest.co/users/u-1?dry_run=true',
  headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
  body: '{"first_name":"Ada"}',
};

function roundTrip(signing: SigningKey, verifying: VerifyingKey) {
  const signed = signRequest(request, signing, { now: () => NOW });
  return {
    signed,
    result: verifyRequest({ ...request, url: '/users/u-1?dry_run=true', headers: signed.headers }, resolverOf(verifying), {
      now: () => NOW,
    }),
  };
}

const signatureBytes = (headers: Record<string, string>) => Buffer.from(headers.signature.slice('sig1=:'.length, -1), 'base64');

describe.each<[KeyKind, SigningKey['algorithm']]>([
  ['P-256', 'ecdsa-p256-sha256'],
  ['P-521', 'ecdsa-p521-sha512'],
  ['ed25519', 'ed25519'],
])('%s', (kind, algorithm) => {
  it(`signs as ${algorithm} and verifies`, () => {
    const { signing, verifying } = generateKeys(kind);
    expect(signing.algorithm).toBe(algorithm);
    expect(verifying.algorithm).toBe(algorithm);
    expect(roundTrip(signing, verifying).result).toMatchObject({ ok: true, keyId: 'test-key' });
  });

  it('generateSigningKey makes a working key of that type', () => {
    const signing = generateSigningKey(algorithm, 'generated');
    expect(signing).toMatchObject({ keyId: 'generated', algorithm, ecdsaEncoding: 'der' });
    expect(roundTrip(signing, publicKeyFromJwk(publicJwk(signing))).result).toMatchObject({ ok: true, keyId: 'generated' });
  });

  it('signRequestAsync (what the client uses) signs the same message, as verifiably', async () => {
    const { signing, verifying } = generateKeys(kind);
    const options = { now: () => NOW, nonce: 'fixed-nonce' };
    const [sync, async] = [signRequest(request, signing, options), await signRequestAsync(request, signing, options)];
    expect(async.signatureBase).toBe(sync.signatureBase);
    expect(async.headers['signature-input']).toBe(sync.headers['signature-input']);
    // Ed25519 is deterministic; ECDSA signatures differ per call, both verify.
    if (algorithm === 'ed25519') expect(async.headers.signature).toBe(sync.headers.signature);
    expect(
      verifyRequest({ ...request, url: '/users/u-1?dry_run=true', headers: async.headers }, resolverOf(verifying), { now: () => NOW }),
    ).toMatchObject({ ok: true, keyId: 'test-key' });
  });

  it('does not verify with another key of the same type', () => {
    expect(roundTrip(generateKeys(kind).signing, generateKeys(kind).verifying).result).toMatchObject({ ok: false, step: 'signature' });
  });
});

describe.each<[KeyKind, number]>([
  ['P-256', 64],
  ['P-521', 132],
])('%s ECDSA encodings', (kind, rawLength) => {
  it.each<EcdsaEncoding>(['der', 'p1363'])(
    '%s: signs in that encoding; a verifier accepts it when told so or when not told',
    (encoding) => {
      const { signing, verifying } = generateKeys(kind, 'test-key', encoding);
      const { signed, result } = roundTrip(signing, verifying);
      expect(result).toMatchObject({ ok: true });
      const bytes = signatureBytes(signed.headers);
      if (encoding === 'p1363') expect(bytes).toHaveLength(rawLength);
      else expect(bytes[0]).toBe(0x30); // a DER SEQUENCE
      expect(roundTrip(signing, { ...verifying, ecdsaEncoding: encoding }).result).toMatchObject({ ok: true });
      const other = encoding === 'der' ? 'p1363' : 'der';
      expect(roundTrip(signing, { ...verifying, ecdsaEncoding: other }).result).toMatchObject({ ok: false, step: 'signature' });
    },
  );
});

describe('encrypted PEM files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signing-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['PKCS#8 P-521', { type: 'pkcs8', cipher: 'aes-256-cbc' }, 'P-521'],
    ['SEC1 P-256', { type: 'sec1', cipher: 'aes-128-cbc' }, 'P-256'],
  ] as const)('%s with a passphrase signs and verifies', (_name, encoding, curve) => {
    const passphrase = 'correct horse battery staple';
    const pair = generateKeyPairSync('ec', {
      namedCurve: curve,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { ...encoding, format: 'pem', passphrase },
    });
    expect(pair.privateKey).toMatch(/ENCRYPTED/);
    const path = join(dir, `${encoding.type}.pem`);
    writeFileSync(path, pair.privateKey);
    const signing = loadSigningKey({ key: path, keyId: 'enc', passphrase });
    expect(roundTrip(signing, publicKeyFromPem(pair.publicKey, 'enc')).result).toMatchObject({ ok: true, keyId: 'enc' });
  });
});
