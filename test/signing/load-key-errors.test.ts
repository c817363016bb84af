/** loadSigningKey: what it accepts, and a SigningKeyError naming the problem (never the key or passphrase) for what it does not. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SigningKeyError } from '../../src/errors.js';
import { loadSigningKey } from '../../src/signing/index.js';
import { generatePem } from './keys.js';

const PASSPHRASE = 'hunter2-passphrase';
const dir = mkdtempSync(join(tmpdir(), 'signing-key-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeKey(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const encryptedPem = generateKeyPairSync('ec', {
  namedCurve: 'P-521',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const rsaPem = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const secp256k1Pem = generateKeyPairSync('ec', {
  namedCurve: 'secp256k1',
  privateKeyEncoding: { type: 'sec1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const bareBase64 = generatePem('P-256')
  .privatePem.split('\n')
  .filter((line) => line && !line.startsWith('-----'))
  .join('');

/** Every line of a PEM between its armour lines. */
const bodyLines = (pem: string) => pem.split('\n').filter((line) => line.trim() && !line.startsWith('-----'));

function loadError(input: Parameters<typeof loadSigningKey>[0], pem?: string): SigningKeyError {
  let thrown: unknown;
  try {
    loadSigningKey(input);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SigningKeyError);
  const error = thrown as SigningKeyError;
  expect(error.code).toBe('CT_ERR_SIGNING_KEY');
  expect(error.message).not.toContain(PASSPHRASE);
  for (const line of bodyLines(pem ?? '')) expect(error.message).not.toContain(line);
  return error;
}

describe('loadSigningKey errors', () => {
  it('a missing file', () => {
    expect(loadError({ key: join(dir, 'nope.pem'), keyId: 'k' }).message).toBe(`Signing key file "${join(dir, 'nope.pem')}" not found`);
  });

  it('a directory', () => {
    expect(loadError({ key: dir, keyId: 'k' }).message).toMatch(/is a directory$/);
  });

  it('a file that is not a PEM', () => {
    expect(loadError({ key: writeKey('garbage.pem', 'just some garbage\n'), keyId: 'k' }).message).toMatch(
      /garbage\.pem" is not a PEM file \(it has no -----BEGIN line\)$/,
    );
  });

  it('garbage inside PEM armour', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nZ2FyYmFnZSBnYXJiYWdlIGdhcmJhZ2U=\n-----END PRIVATE KEY-----\n';
    expect(loadError({ key: pem, keyId: 'k' }, pem).message).toBe(
      'The inline PEM key cannot be parsed as a private key (PEM "PRIVATE KEY")',
    );
  });

  it('key material without its PEM armour is not echoed', () => {
    expect(loadError({ key: bareBase64, keyId: 'k' }, bareBase64).message).toBe(
      'The signing key is neither a PEM (it has no -----BEGIN line) nor an existing file',
    );
  });

  it('a public key instead of a private one', () => {
    const { publicPem } = generatePem('P-521');
    expect(loadError({ key: publicPem, keyId: 'k' }, publicPem).message).toBe('The inline PEM key holds a public key, not a private key');
  });

  it('a wrong passphrase', () => {
    const path = writeKey('encrypted.pem', encryptedPem);
    expect(loadError({ key: path, keyId: 'k', passphrase: 'wrong-passphrase' }, encryptedPem).message).toMatch(
      /encrypted\.pem" cannot be decrypted: the passphrase is wrong/,
    );
    expect(loadError({ key: encryptedPem, keyId: 'k', passphrase: 'wrong-passphrase' }, encryptedPem).message).not.toContain(
      'wrong-passphrase',
    );
  });

  it('no passphrase for an encrypted key (PKCS#8 and SEC1)', () => {
    expect(loadError({ key: encryptedPem, keyId: 'k' }, encryptedPem).message).toBe(
      'The inline PEM key is encrypted and needs a passphrase, but none was given',
    );
    const sec1 = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'sec1', format: 'pem', cipher: 'aes-128-cbc', passphrase: PASSPHRASE },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    expect(loadError({ key: sec1, keyId: 'k' }, sec1).message).toMatch(/is encrypted and needs a passphrase/);
  });

  it('an RSA key', () => {
    expect(loadError({ key: rsaPem, keyId: 'k' }, rsaPem).message).toMatch(
      /^The inline PEM key has an unsupported key type \(RSA\); supported are ECDSA P-521/,
    );
  });

  it('a secp256k1 key', () => {
    expect(loadError({ key: writeKey('k1.pem', secp256k1Pem), keyId: 'k' }, secp256k1Pem).message).toMatch(
      /k1\.pem" has an unsupported key type \(EC curve secp256k1\)/,
    );
  });

  it('an empty key id', () => {
    expect(loadError({ key: encryptedPem, keyId: '', passphrase: PASSPHRASE }).message).toBe('The signing key id is empty');
  });
});

describe('loadSigningKey', () => {
  it('loads a file path or an inline PEM, encrypted or not, and defaults to DER for ECDSA', () => {
    const fromFile = loadSigningKey({ key: writeKey('encrypted-ok.pem', encryptedPem), keyId: 'k1', passphrase: PASSPHRASE });
    expect(fromFile).toMatchObject({ keyId: 'k1', algorithm: 'ecdsa-p521-sha512', ecdsaEncoding: 'der', privateKey: { type: 'private' } });
    expect(loadSigningKey({ key: generatePem('ed25519').privatePem, keyId: 'k2', ecdsaEncoding: 'p1363' })).toMatchObject({
      algorithm: 'ed25519',
      ecdsaEncoding: 'p1363',
    });
  });
});
