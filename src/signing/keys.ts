/**
 * Keys for HTTP Message Signatures: loading private keys (file or inline PEM, optionally
 * encrypted), public keys from PEM, JWK and JWKS, and the sign/verify primitives per algorithm.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SigningKeyError } from '../errors.js';
import { derToP1363, systemSignerFor, type SigningLibrary, type SystemSigner } from './system-openssl.js';

export type SigningAlgorithm = 'ecdsa-p256-sha256' | 'ecdsa-p521-sha512' | 'ed25519';
export type EcdsaEncoding = 'der' | 'p1363';

export interface SigningKey {
  keyId: string;
  algorithm: SigningAlgorithm;
  privateKey: KeyObject;
  /** Upvest's reference signer sends DER; RFC 9421 (and JOSE) use raw r||s (p1363). */
  ecdsaEncoding: EcdsaEncoding;
  /** P-521 only: the system's OpenSSL, when it signs this key (src/signing/system-openssl.ts); else node:crypto. */
  systemSigner?: SystemSigner;
}

export interface VerifyingKey {
  keyId: string;
  algorithm: SigningAlgorithm;
  publicKey: KeyObject;
  /** When absent, both encodings are accepted. */
  ecdsaEncoding?: EcdsaEncoding;
}

export type KeyResolver = (keyId: string) => VerifyingKey | undefined;
export type Jwk = JsonWebKey & { kid?: string };

const PUBLIC_KEY_HINT = 'Give an SPKI PEM public key or a JWK (EC P-256/P-521 or OKP Ed25519).';

function supportedAlgorithm(key: KeyObject, source: string, hint?: string): SigningAlgorithm {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (curve === 'prime256v1') return 'ecdsa-p256-sha256';
  if (curve === 'secp521r1') return 'ecdsa-p521-sha512';
  const type = key.asymmetricKeyType === 'ec' ? `EC curve ${curve ?? 'unknown'}` : (key.asymmetricKeyType ?? 'unknown').toUpperCase();
  throw new SigningKeyError(
    `${source} has an unsupported key type (${type}); supported are ECDSA P-521 (what Upvest requires), ECDSA P-256 and Ed25519`,
    { hint },
  );
}

/** Reads the PEM text from a file path or takes it inline; `source` names it in messages without echoing key material. */
function readPem(key: string): { pem: string; source: string } {
  if (key.includes('-----BEGIN')) return { pem: key, source: 'The inline PEM key' };
  const source = `Signing key file "${key}"`;
  let text: string;
  try {
    text = readFileSync(key, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Bare base64 is likely key material pasted without its armour: never echo it.
    if (code === 'ENOENT' && /^[A-Za-z0-9+/=\s]{40,}$/.test(key))
      throw new SigningKeyError('The signing key is neither a PEM (it has no -----BEGIN line) nor an existing file');
    const reason =
      code === 'ENOENT'
        ? 'not found'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${code ?? 'unknown error'})`;
    throw new SigningKeyError(`${source} ${reason}`, { cause: error });
  }
  if (!text.includes('-----BEGIN')) throw new SigningKeyError(`${source} is not a PEM file (it has no -----BEGIN line)`);
  return { pem: text, source };
}

export interface SigningKeyInput {
  key: string;
  keyId: string;
  passphrase?: string;
  ecdsaEncoding?: EcdsaEncoding;
  /** Default 'auto'. */
  library?: SigningLibrary;
}

export function loadSigningKey(input: SigningKeyInput): SigningKey {
  if (!input.keyId)
    throw new SigningKeyError('The signing key id is empty', { hint: 'Give the key id Upvest assigned to the uploaded public key.' });
  const { pem, source } = readPem(input.key);
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1] ?? 'unknown';
  if (label === 'PUBLIC KEY' || label === 'CERTIFICATE')
    throw new SigningKeyError(`${source} holds a ${label.toLowerCase()}, not a private key`);
  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
  // Checked up front: OpenSSL's own error for a missing passphrase says nothing useful.
  if (encrypted && !input.passphrase) throw new SigningKeyError(`${source} is encrypted and needs a passphrase, but none was given`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem', passphrase: input.passphrase });
  } catch (error) {
    // A wrong passphrase usually fails the decryption, occasionally only the decoding after it.
    const message = encrypted
      ? `${source} cannot be decrypted: the passphrase is wrong (or the key is damaged)`
      : `${source} cannot be parsed as a private key (PEM "${label}")`;
    throw new SigningKeyError(message, { cause: error });
  }
  const algorithm = supportedAlgorithm(privateKey, source);
  return withLibrary({ keyId: input.keyId, algorithm, privateKey, ecdsaEncoding: input.ecdsaEncoding ?? 'der' }, input.library ?? 'auto');
}

/**
 * The key, signing P-521 through the system's OpenSSL when `library` allows it and it is usable
 * (`system` insists: an error says why it is not). P-256 and Ed25519 keys always sign with
 * node:crypto, which is as fast for them.
 */
export function withLibrary(key: SigningKey, library: SigningLibrary): SigningKey {
  if (library === 'node' || key.algorithm !== 'ecdsa-p521-sha512') return key;
  const system = systemSignerFor(key.privateKey);
  if ('signer' in system) return { ...key, systemSigner: system.signer };
  if (library === 'system')
    throw new SigningKeyError(`--signing-library system: ${system.unavailable}`, {
      hint: 'Install OpenSSL 3 (libcrypto.so.3) and the optional dependency koffi, or use --signing-library auto (node:crypto when not).',
    });
  return key;
}

/** What signs with this key, for reports: the system's OpenSSL or node's. */
export function signerOf(key: SigningKey): string {
  return key.systemSigner?.description ?? `node:crypto, OpenSSL ${process.versions.openssl}`;
}

/** A fresh key pair, e.g. for the mock's webhook signing key. */
export function generateSigningKey(
  algorithm: SigningAlgorithm,
  keyId: string,
  ecdsaEncoding: EcdsaEncoding = 'der',
  library: SigningLibrary = 'auto',
): SigningKey {
  const { privateKey } =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: algorithm === 'ecdsa-p256-sha256' ? 'P-256' : 'P-521' });
  return withLibrary({ keyId, algorithm, privateKey, ecdsaEncoding }, library);
}

export function publicKeyFromPem(pem: string, keyId: string): VerifyingKey {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new SigningKeyError(`The public key for "${keyId}" cannot be parsed as PEM`, { cause: error, hint: PUBLIC_KEY_HINT });
  }
  return { keyId, algorithm: supportedAlgorithm(publicKey, `The public key for "${keyId}"`, PUBLIC_KEY_HINT), publicKey };
}

export function publicKeyFromJwk(jwk: Jwk, keyId: string | undefined = jwk.kid): VerifyingKey {
  if (!keyId) throw new SigningKeyError('The JWK has no "kid" and no key id was given', { hint: PUBLIC_KEY_HINT });
  // Only the public members: a JWK that also carries "d" must not become a private key here.
  const { kty, crv, x, y } = jwk;
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' });
  } catch (error) {
    throw new SigningKeyError(`The JWK "${keyId}" (kty ${kty ?? 'missing'}, crv ${crv ?? 'missing'}) cannot be imported`, {
      cause: error,
      hint: PUBLIC_KEY_HINT,
    });
  }
  return { keyId, algorithm: supportedAlgorithm(publicKey, `The JWK "${keyId}"`, PUBLIC_KEY_HINT), publicKey };
}

/** A resolver over a JWKS document; keys that are not for signing or not supported are skipped, as RFC 7517 §5 asks. */
export function keyResolverFromJwks(jwks: { keys: Jwk[] }): KeyResolver {
  const byKid = new Map<string, VerifyingKey>();
  for (const jwk of jwks.keys) {
    if (!jwk.kid || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    try {
      byKid.set(jwk.kid, publicKeyFromJwk(jwk));
    } catch (error) {
      if (!(error instanceof SigningKeyError)) throw error;
    }
  }
  return (keyId) => byKid.get(keyId);
}

export function publicJwk(key: SigningKey | VerifyingKey): JsonWebKey & { kid: string; use: 'sig' } {
  const publicKey = 'privateKey' in key ? createPublicKey(key.privateKey) : key.publicKey;
  return { ...(publicKey.export({ format: 'jwk' }) as JsonWebKey), kid: key.keyId, use: 'sig' };
}

function hashOf(algorithm: SigningAlgorithm): string | null {
  return algorithm === 'ecdsa-p256-sha256' ? 'sha256' : algorithm === 'ecdsa-p521-sha512' ? 'sha512' : null;
}

const DSA_ENCODING = { der: 'der', p1363: 'ieee-p1363' } as const;

const signingInput = (key: SigningKey) => ({ key: key.privateKey, dsaEncoding: DSA_ENCODING[key.ecdsaEncoding] });

/** P-521's halves are 66 bytes each in the r‖s form. */
const P521_HALF = 66;

export function signBytes(data: Buffer, key: SigningKey): Buffer {
  if (key.systemSigner) {
    const der = key.systemSigner.sign(data);
    return key.ecdsaEncoding === 'p1363' ? derToP1363(der, P521_HALF) : der;
  }
  return sign(hashOf(key.algorithm), data, signingInput(key));
}

/**
 * `signBytes` on libuv's thread pool (the callback form of crypto.sign); through the system's
 * OpenSSL it signs in place, since 0.2 ms costs less than the hop to a thread.
 */
export function signBytesAsync(data: Buffer, key: SigningKey): Promise<Buffer> {
  if (key.systemSigner) return Promise.resolve().then(() => signBytes(data, key));
  return new Promise((resolve, reject) => {
    sign(hashOf(key.algorithm), data, signingInput(key), (error, signature) => (error ? reject(error) : resolve(signature)));
  });
}

export function verifyBytes(data: Buffer, signature: Buffer, key: VerifyingKey): boolean {
  // The encoding only matters for ECDSA; Ed25519 ignores it.
  const encodings: EcdsaEncoding[] = key.algorithm === 'ed25519' ? ['der'] : key.ecdsaEncoding ? [key.ecdsaEncoding] : ['der', 'p1363'];
  return encodings.some((encoding) => {
    try {
      return verify(hashOf(key.algorithm), data, { key: key.publicKey, dsaEncoding: DSA_ENCODING[encoding] }, signature);
    } catch {
      return false; // a signature that does not even decode in this encoding
    }
  });
}
