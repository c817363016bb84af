/**
 * The signing side of the Upvest profile of HTTP Message Signatures (draft-ietf-httpbis-message-
 * signatures-15), as Upvest's reference signer (upvestco/http-signature-examples) builds it.
 */
import { randomUUID } from 'node:crypto';
import {
  buildSignatureBase,
  checkContentDigest,
  contentDigest,
  headerMap,
  serializeSignatureParams,
  toBytes,
  toUrl,
  type HttpMessage,
} from './base.js';
import { signBytes, signBytesAsync, type SigningKey } from './keys.js';
import type { Parameters } from './structured-fields.js';

export const SIGNATURE_LABEL = 'sig1';
export const UPVEST_SIGNATURE_VERSION = '15';

export interface SignableRequest {
  method: string;
  /** Absolute, or a path with optional query. */
  url: string | URL;
  headers: Record<string, string>;
  body?: Uint8Array | string | null;
}

export interface SignOptions {
  /** Unix seconds; default: now. */
  created?: number;
  /** Default 5, as Upvest's reference signer; null sends no `expires`. */
  expiresInSeconds?: number | null;
  /** Default: a random UUID. */
  nonce?: string;
  /** Not sent unless given (Upvest does not send it). */
  alg?: string;
  /** Milliseconds, like Date.now. */
  now?: () => number;
}

export interface SignedRequest {
  /** Every header to send, names lower-cased. */
  headers: Record<string, string>;
  signatureBase: string;
  coveredComponents: string[];
}

/** Upvest's reference signer never covers these (prefixes of lower-cased names). */
const UPVEST_IGNORED_PREFIXES = ['cf-', 'cdn-', 'cookie', 'x-', 'priority', 'upvest-signature', 'sec-'];
/** Nor do we: the signature fields themselves, and hop-by-hop fields that a client or proxy may rewrite. */
const NEVER_COVERED = new Set(['signature', 'signature-input', 'connection', 'keep-alive', 'transfer-encoding']);

function isCoveredHeader(name: string): boolean {
  return !NEVER_COVERED.has(name) && !UPVEST_IGNORED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

interface PreparedSignature {
  headers: Record<string, string>;
  coveredComponents: string[];
  params: Parameters;
  signatureBase: string;
}

function prepareSignature(request: SignableRequest, key: SigningKey, options: SignOptions): PreparedSignature {
  const created = options.created ?? Math.floor((options.now ?? Date.now)() / 1000);
  const expiresInSeconds = options.expiresInSeconds === undefined ? 5 : options.expiresInSeconds;
  const headers = headerMap(request.headers);
  if (!headers.has('date')) headers.set('date', new Date(created * 1000).toUTCString());

  if (request.body != null) {
    const body = toBytes(request.body);
    const length = String(body.length);
    const givenLength = headers.get('content-length');
    if (givenLength !== undefined && givenLength.trim() !== length)
      throw new Error(`content-length is ${givenLength} but the body has ${length} bytes`);
    const givenDigest = headers.get('content-digest');
    const digestProblem = givenDigest === undefined ? undefined : checkContentDigest(givenDigest, body);
    if (digestProblem) throw new Error(digestProblem);
    // Re-inserted so that they come last, after date, as in Upvest's reference signer.
    headers.delete('content-length');
    headers.delete('content-digest');
    headers.set('content-length', length);
    headers.set('content-digest', givenDigest ?? contentDigest(body));
  }

  const message: HttpMessage = { method: request.method, url: request.url, headers: Object.fromEntries(headers) };
  const coveredComponents = [
    '@method',
    '@path',
    ...(toUrl(request.url).search ? ['@query'] : []),
    ...[...headers.keys()].filter(isCoveredHeader),
  ];
  // Upvest's reference signer puts alg first when it sends one.
  const params: Parameters = new Map();
  if (options.alg !== undefined) params.set('alg', options.alg);
  params.set('keyid', key.keyId);
  params.set('created', created);
  if (expiresInSeconds !== null) params.set('expires', created + expiresInSeconds);
  params.set('nonce', options.nonce ?? randomUUID());
  return { headers: message.headers, coveredComponents, params, signatureBase: buildSignatureBase(message, coveredComponents, params) };
}

function signed(prepared: PreparedSignature, signature: Buffer): SignedRequest {
  return {
    headers: {
      ...prepared.headers,
      'signature-input': `${SIGNATURE_LABEL}=${serializeSignatureParams(prepared.coveredComponents, prepared.params)}`,
      signature: `${SIGNATURE_LABEL}=:${signature.toString('base64')}:`,
      'upvest-signature-version': UPVEST_SIGNATURE_VERSION,
    },
    signatureBase: prepared.signatureBase,
    coveredComponents: prepared.coveredComponents,
  };
}

export function signRequest(request: SignableRequest, key: SigningKey, options: SignOptions = {}): SignedRequest {
  const prepared = prepareSignature(request, key, options);
  return signed(prepared, signBytes(Buffer.from(prepared.signatureBase, 'utf8'), key));
}

/**
 * The same signature, off the event loop where that pays: a P-521 signature costs about 2 ms
 * of CPU, which would hold up every other exchange of a concurrent run, so it is computed on
 * libuv's thread pool. P-256 and Ed25519 take some 0.04 ms, less than the hop to a thread.
 */
export async function signRequestAsync(request: SignableRequest, key: SigningKey, options: SignOptions = {}): Promise<SignedRequest> {
  const prepared = prepareSignature(request, key, options);
  const data = Buffer.from(prepared.signatureBase, 'utf8');
  return signed(prepared, key.algorithm === 'ecdsa-p521-sha512' ? await signBytesAsync(data, key) : signBytes(data, key));
}
