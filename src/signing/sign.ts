/**
 * The signing side of Upvest's two profiles of HTTP Message Signatures.
 *
 * draft-15, as Upvest's reference signer (http-signature-examples Javascript/Signature.mjs) builds
 * it: label `sig1`; `@method`, `@path`, `@query` (only when there is a query), every header but
 * the excluded ones in the order given, `date` (added when absent), then `content-length` and a
 * `sha-512` `content-digest` when there is a body; parameters `alg` (only when asked), `keyid`,
 * `created`, `expires` (created + 5 s), `nonce`; the header `upvest-signature-version: 15`,
 * not covered.
 *
 * draft-06, as Upvest's draft-06 signer (httpsignature-proxy v1.3.8, service/signer/material)
 * builds it: every header but the excluded ones first, in the order given (content-length only
 * when given: the proxy covers it only when its client sent one), then `@method`, `@path`,
 * `digest` (`SHA-256=<base64>`, RFC 3230) when there is a body,
 * then `@query` when there is a query; parameters `keyid`, `created`, `nonce`, `expires`
 * (created + 60 s); the base written with unquoted names (see base.ts). No `date` is added (the
 * proxy adds none). Upvest's own draft-06 signer sends no version header (the API reads a request
 * without one as draft-06); this signer sends `upvest-signature-version: 6` unless told not to,
 * because the bundled mock, like Upvest's documentation for draft-15, wants every request to say
 * which version it is (spec/README.md, "Signature versions"). Webhook deliveries, which Upvest
 * signs with draft-06 and no version header, are sent without it.
 *
 * Both: the test vectors of Upvest's signers run on fixed inputs are in test/fixtures/signing/.
 */
import { randomUUID } from 'node:crypto';
import {
  buildSignatureBase,
  checkContentDigest,
  checkDigestHeader,
  contentDigest,
  digestHeader,
  headerMap,
  serializeSignatureParams,
  toBytes,
  toUrl,
  type HttpMessage,
} from './base.js';
import { signBytes, signBytesAsync, type SigningKey } from './keys.js';
import type { Parameters } from './structured-fields.js';
import { SIGNATURE_VERSION_HEADER, type SignatureVersion } from './versions.js';

export const SIGNATURE_LABEL = 'sig1';
/** The version this project signs with unless told otherwise (Upvest's recommendation for API calls). */
export const UPVEST_SIGNATURE_VERSION: SignatureVersion = '15';

export interface SignableRequest {
  method: string;
  /** Absolute, or a path with optional query. */
  url: string | URL;
  headers: Record<string, string>;
  body?: Uint8Array | string | null;
}

export interface SignOptions {
  /** Default '15'. */
  version?: SignatureVersion;
  /** Send `upvest-signature-version` (default true; webhook deliveries in draft-06 send none, as Upvest). */
  versionHeader?: boolean;
  /** Unix seconds; default: now. */
  created?: number;
  /** Default 5 for draft-15 (the JavaScript reference signer) and 60 for draft-06 (the proxy); null sends no `expires`. */
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
  version: SignatureVersion;
}

/**
 * Never covered (prefixes of lower-cased names): the list Upvest's signers share ("Copied from
 * ignoreHeadersWithPrefix in …/sign/domain.go", Javascript/UpvestNodeSigner.mjs; the proxy has
 * its first four since v1.3.8).
 */
const UPVEST_IGNORED_PREFIXES = ['cf-', 'cdn-', 'cookie', 'x-', 'priority', 'upvest-signature', 'sec-'];
/**
 * Nor these: the signature fields themselves, and hop-by-hop or transport fields that a client
 * library or proxy adds or rewrites after signing. The proxy excludes host, user-agent,
 * accept-encoding and connection (service/runtime/handler.go excludedHeaders), the Python
 * signer user-agent, accept-encoding and connection.
 */
const NEVER_COVERED = new Set([
  'signature',
  'signature-input',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'upgrade',
  'host',
  'user-agent',
  'accept-encoding',
]);

export function isCoveredHeader(name: string): boolean {
  return !NEVER_COVERED.has(name) && !UPVEST_IGNORED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

interface PreparedSignature {
  headers: Record<string, string>;
  coveredComponents: string[];
  /** The signature parameters as sent in signature-input (and as the base ends). */
  serializedParams: string;
  signatureBase: string;
  version: SignatureVersion;
  versionHeader: boolean;
}

function checkGiven(headers: Map<string, string>, body: Buffer, version: SignatureVersion): void {
  const givenLength = headers.get('content-length');
  if (givenLength !== undefined && givenLength.trim() !== String(body.length))
    throw new Error(`content-length is ${givenLength} but the body has ${body.length} bytes`);
  const givenContentDigest = headers.get('content-digest');
  const contentDigestProblem = givenContentDigest === undefined ? undefined : checkContentDigest(givenContentDigest, body);
  if (contentDigestProblem) throw new Error(contentDigestProblem);
  const givenDigest = headers.get('digest');
  const digestProblem = givenDigest === undefined ? undefined : checkDigestHeader(givenDigest, body);
  if (digestProblem) throw new Error(digestProblem);
  if (version === '6' && givenContentDigest !== undefined)
    throw new Error('content-digest is the draft-15 body digest; draft-06 uses digest');
  if (version === '15' && givenDigest !== undefined) throw new Error('digest is the draft-06 body digest; draft-15 uses content-digest');
}

function prepareSignature(request: SignableRequest, key: SigningKey, options: SignOptions): PreparedSignature {
  const version = options.version ?? UPVEST_SIGNATURE_VERSION;
  const created = options.created ?? Math.floor((options.now ?? Date.now)() / 1000);
  const expiresInSeconds = options.expiresInSeconds === undefined ? (version === '6' ? 60 : 5) : options.expiresInSeconds;
  const headers = headerMap(request.headers);
  headers.delete(SIGNATURE_VERSION_HEADER);
  const body = request.body == null ? undefined : toBytes(request.body);
  if (body) checkGiven(headers, body, version);
  const hasQuery = Boolean(toUrl(request.url).search);
  let coveredComponents: string[];

  if (version === '15') {
    if (!headers.has('date')) headers.set('date', new Date(created * 1000).toUTCString());
    if (body) {
      const givenDigest = headers.get('content-digest');
      // Re-inserted so that they come last, after date, as in Upvest's reference signer.
      headers.delete('content-length');
      headers.delete('content-digest');
      headers.set('content-length', String(body.length));
      headers.set('content-digest', givenDigest ?? contentDigest(body));
    }
    coveredComponents = ['@method', '@path', ...(hasQuery ? ['@query'] : []), ...[...headers.keys()].filter(isCoveredHeader)];
  } else {
    // content-length is covered only when given, as the proxy does (it signs the headers its client sent).
    if (body && !headers.has('digest')) headers.set('digest', digestHeader(body));
    const coveredHeaders = [...headers.keys()].filter((name) => name !== 'digest' && isCoveredHeader(name));
    coveredComponents = [...coveredHeaders, '@method', '@path', ...(body ? ['digest'] : []), ...(hasQuery ? ['@query'] : [])];
  }

  const message: HttpMessage = { method: request.method, url: request.url, headers: Object.fromEntries(headers) };
  const params: Parameters = new Map();
  // Upvest's reference signer puts alg first when it sends one.
  if (options.alg !== undefined) params.set('alg', options.alg);
  params.set('keyid', key.keyId);
  params.set('created', created);
  const nonce = options.nonce ?? randomUUID();
  const expires = expiresInSeconds === null ? undefined : created + expiresInSeconds;
  if (version === '15') {
    if (expires !== undefined) params.set('expires', expires);
    params.set('nonce', nonce);
  } else {
    params.set('nonce', nonce);
    if (expires !== undefined) params.set('expires', expires);
  }
  const serializedParams = serializeSignatureParams(coveredComponents, params);
  return {
    headers: message.headers,
    coveredComponents,
    serializedParams,
    signatureBase: buildSignatureBase(message, coveredComponents, params, version, serializedParams),
    version,
    versionHeader: options.versionHeader ?? true,
  };
}

function signed(prepared: PreparedSignature, signature: Buffer): SignedRequest {
  return {
    headers: {
      ...prepared.headers,
      'signature-input': `${SIGNATURE_LABEL}=${prepared.serializedParams}`,
      signature: `${SIGNATURE_LABEL}=:${signature.toString('base64')}:`,
      ...(prepared.versionHeader ? { [SIGNATURE_VERSION_HEADER]: prepared.version } : {}),
    },
    signatureBase: prepared.signatureBase,
    coveredComponents: prepared.coveredComponents,
    version: prepared.version,
  };
}

export function signRequest(request: SignableRequest, key: SigningKey, options: SignOptions = {}): SignedRequest {
  const prepared = prepareSignature(request, key, options);
  return signed(prepared, signBytes(Buffer.from(prepared.signatureBase, 'utf8'), key));
}

/**
 * The same signature, off the event loop where that pays: a P-521 signature costs node:crypto
 * 1.4–2 ms of CPU, which would hold up every other exchange of a concurrent run, so it is
 * computed on libuv's thread pool. P-256 and Ed25519 take some 0.04 ms, and P-521 through the
 * system's OpenSSL 0.2 ms: less than the hop to a thread.
 */
export async function signRequestAsync(request: SignableRequest, key: SigningKey, options: SignOptions = {}): Promise<SignedRequest> {
  const prepared = prepareSignature(request, key, options);
  const data = Buffer.from(prepared.signatureBase, 'utf8');
  return signed(prepared, key.algorithm === 'ecdsa-p521-sha512' ? await signBytesAsync(data, key) : signBytes(data, key));
}
