/**
 * HTTP Message Signatures as the Upvest Investment API uses them, in its two versions (the
 * Upvest profiles of draft-ietf-httpbis-message-signatures-15 and -06): signing for our client
 * and webhook deliveries, verifying for our mock server and webhook listener.
 */
export {
  generateSigningKey,
  keyResolverFromJwks,
  loadSigningKey,
  publicJwk,
  publicKeyFromJwk,
  publicKeyFromPem,
  signerOf,
  withLibrary,
} from './keys.js';
export type { EcdsaEncoding, Jwk, KeyResolver, SigningAlgorithm, SigningKey, SigningKeyInput, VerifyingKey } from './keys.js';
export { SIGNING_LIBRARIES, type SigningLibrary } from './system-openssl.js';
export { isCoveredHeader, signRequest, signRequestAsync, SIGNATURE_LABEL, UPVEST_SIGNATURE_VERSION } from './sign.js';
export { NonceStore } from './nonces.js';
export {
  DRAFT_NAME,
  parseSignatureVersion,
  SIGNATURE_VERSION_HEADER,
  SIGNATURE_VERSIONS,
  type SignatureVersion,
} from './versions.js';
export type { SignableRequest, SignedRequest, SignOptions } from './sign.js';
export { verifyRequest } from './verify.js';
export type { VerifyOptions, VerifyResult, VerifyStep, VersionSource } from './verify.js';
/** The RFC 9421 building blocks, for tests and for checking other profiles. */
export { buildSignatureBase, headersFromRaw, serializeSignatureParams } from './base.js';
export type { HttpMessage } from './base.js';
