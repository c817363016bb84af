/**
 * HTTP Message Signatures as the Upvest Investment API requires them (the Upvest profile of
 * draft-ietf-httpbis-message-signatures-15): signing for our client, verifying for our mock
 * server and webhook listener.
 */
export { generateSigningKey, keyResolverFromJwks, loadSigningKey, publicJwk, publicKeyFromJwk, publicKeyFromPem } from './keys.js';
export type { EcdsaEncoding, Jwk, KeyResolver, SigningAlgorithm, SigningKey, VerifyingKey } from './keys.js';
export { signRequest, signRequestAsync, SIGNATURE_LABEL, UPVEST_SIGNATURE_VERSION } from './sign.js';
export type { SignableRequest, SignedRequest, SignOptions } from './sign.js';
export { verifyRequest } from './verify.js';
export type { VerifyOptions, VerifyResult, VerifyStep } from './verify.js';
/** The RFC 9421 building blocks, for tests and for checking other profiles. */
export { buildSignatureBase, serializeSignatureParams } from './base.js';
export type { HttpMessage } from './base.js';
