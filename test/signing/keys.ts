/** Test-only keys generated per run, and helpers shared by the signing tests. */
import { generateKeyPairSync } from 'node:crypto';
import {
  loadSigningKey,
  publicKeyFromPem,
  type EcdsaEncoding,
  type KeyResolver,
  type SigningKey,
  type VerifyingKey,
} from '../../src/signing/index.js';

export type KeyKind = 'P-256' | 'P-521' | 'ed25519';

export function generatePem(kind: KeyKind): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: kind });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function generateKeys(
  kind: KeyKind,
  keyId = 'test-key',
  ecdsaEncoding: EcdsaEncoding = 'der',
): { signing: SigningKey; verifying: VerifyingKey } {
  const { privatePem, publicPem } = generatePem(kind);
  return { signing: loadSigningKey({ key: privatePem, keyId, ecdsaEncoding }), verifying: publicKeyFromPem(publicPem, keyId) };
}

export function resolverOf(...keys: VerifyingKey[]): KeyResolver {
  return (keyId) => keys.find((key) => key.keyId === keyId);
}
