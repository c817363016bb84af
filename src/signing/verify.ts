/**
 * The verifying side: rebuilds the signature base from the request as received, over whatever
 * components the signer listed, and reports the first check that fails.
 */
import {
  buildSignatureBase,
  checkContentDigest,
  componentValue,
  DERIVED_COMPONENTS,
  headerMap,
  toBytes,
  toUrl,
  type HttpMessage,
} from './base.js';
import { verifyBytes, type KeyResolver } from './keys.js';
import { SIGNATURE_LABEL, type SignableRequest } from './sign.js';
import { ByteSequence, isInnerList, parseDictionary, StructuredFieldError, type Dictionary } from './structured-fields.js';

export type VerifyStep =
  | 'missing-headers'
  | 'malformed-signature-input'
  | 'malformed-signature'
  | 'label'
  | 'unknown-key'
  | 'required-components'
  | 'content-digest'
  | 'content-length'
  | 'created-in-future'
  | 'expired'
  | 'too-old'
  | 'signature';

export type VerifyResult =
  | { ok: true; keyId: string; coveredComponents: string[]; created: number; expires?: number; nonce?: string }
  | { ok: false; step: VerifyStep; message: string; keyId?: string };

export interface VerifyOptions {
  /** Milliseconds, like Date.now. */
  now?: () => number;
  /** Default 30. */
  clockSkewSeconds?: number;
  /** Without `expires`, a signature created longer ago than this is rejected. Default 300. */
  maxAgeSeconds?: number;
  /**
   * Components that must be covered, e.g. ['@method', '@path']. Whatever is given, @query must be
   * covered when the URL has a query, and content-digest and content-length when there is a body.
   */
  requiredComponents?: string[];
  /** Default 'sig1'. */
  label?: string;
}

const STRING_PARAMS = ['keyid', 'nonce', 'alg', 'tag'];
const INTEGER_PARAMS = ['created', 'expires'];

function parseField(value: string): Dictionary | string {
  try {
    return parseDictionary(value);
  } catch (error) {
    if (error instanceof StructuredFieldError) return error.message;
    throw error;
  }
}

export function verifyRequest(request: SignableRequest, keys: KeyResolver, options: VerifyOptions = {}): VerifyResult {
  const label = options.label ?? SIGNATURE_LABEL;
  const headers = headerMap(request.headers);
  const inputField = headers.get('signature-input');
  const signatureField = headers.get('signature');
  const absent = [inputField === undefined && 'signature-input', signatureField === undefined && 'signature'].filter(Boolean);
  if (inputField === undefined || signatureField === undefined)
    return { ok: false, step: 'missing-headers', message: `The request has no ${absent.join(' and no ')} header` };

  const inputs = parseField(inputField);
  if (typeof inputs === 'string')
    return { ok: false, step: 'malformed-signature-input', message: `signature-input is not a structured dictionary: ${inputs}` };
  const signatures = parseField(signatureField);
  if (typeof signatures === 'string')
    return { ok: false, step: 'malformed-signature', message: `signature is not a structured dictionary: ${signatures}` };
  const input = inputs.get(label);
  const signatureMember = signatures.get(label);
  if (input === undefined || signatureMember === undefined) {
    const labels = [...new Set([...inputs.keys(), ...signatures.keys()])].join(', ') || 'none';
    return {
      ok: false,
      step: 'label',
      message: `Expected a signature labelled "${label}" in both signature-input and signature; labels received: ${labels}`,
    };
  }

  const malformedInput = (message: string): VerifyResult => ({
    ok: false,
    step: 'malformed-signature-input',
    message: `signature-input ${label}: ${message}`,
  });
  if (!isInnerList(input)) return malformedInput('is not an inner list of components');
  const coveredComponents: string[] = [];
  for (const item of input.items) {
    if (typeof item.value !== 'string') return malformedInput('lists a component that is not a string');
    if (item.params.size) return malformedInput(`component "${item.value}" has parameters, which are not supported`);
    if (item.value !== item.value.toLowerCase()) return malformedInput(`component "${item.value}" is not lower-case`);
    if (coveredComponents.includes(item.value)) return malformedInput(`component "${item.value}" is listed twice`);
    if (item.value.startsWith('@') && !(DERIVED_COMPONENTS as readonly string[]).includes(item.value))
      return malformedInput(`derived component "${item.value}" is not supported`);
    coveredComponents.push(item.value);
  }
  for (const [name, value] of input.params) {
    if (STRING_PARAMS.includes(name) && typeof value !== 'string') return malformedInput(`parameter ${name} is not a string`);
    if (INTEGER_PARAMS.includes(name) && typeof value !== 'number') return malformedInput(`parameter ${name} is not an integer`);
  }
  const keyId = input.params.get('keyid') as string | undefined;
  const created = input.params.get('created') as number | undefined;
  const expires = input.params.get('expires') as number | undefined;
  const nonce = input.params.get('nonce') as string | undefined;
  const alg = input.params.get('alg') as string | undefined;
  if (keyId === undefined) return malformedInput('has no keyid parameter');
  if (created === undefined) return malformedInput('has no created parameter');
  if (isInnerList(signatureMember) || !(signatureMember.value instanceof ByteSequence))
    return { ok: false, step: 'malformed-signature', message: `signature ${label} is not a byte sequence (:base64:)`, keyId };

  const fail = (step: VerifyStep, message: string): VerifyResult => ({ ok: false, step, message, keyId });
  const key = keys(keyId);
  if (key === undefined) return fail('unknown-key', `No public key is known for keyid "${keyId}"`);
  if (alg !== undefined && alg !== key.algorithm)
    return fail('signature', `signature-input says alg="${alg}" but key "${keyId}" is ${key.algorithm}`);

  const body = request.body == null ? Buffer.alloc(0) : toBytes(request.body);
  const hasQuery = Boolean(toUrl(request.url).search);
  const required = [
    ...(options.requiredComponents ?? []),
    ...(hasQuery ? ['@query'] : []),
    ...(body.length ? ['content-digest', 'content-length'] : []),
  ];
  const uncovered = required.filter((component) => !coveredComponents.includes(component));
  // Digest and length have their own steps; the others are plain required components.
  const uncoveredOther = uncovered.filter((component) => component !== 'content-digest' && component !== 'content-length');
  if (uncoveredOther.length)
    return fail(
      'required-components',
      `Required components not covered: ${uncoveredOther.join(', ')} (covered: ${coveredComponents.join(', ') || 'none'})`,
    );

  const message: HttpMessage = { method: request.method, url: request.url, headers: request.headers };
  const missing = coveredComponents.filter((component) => componentValue(message, component) === undefined);
  if (missing.length) return fail('missing-headers', `Covered components missing from the request: ${missing.join(', ')}`);

  if (uncovered.includes('content-digest'))
    return fail('content-digest', `The request has a ${body.length}-byte body but content-digest is not covered`);
  if (coveredComponents.includes('content-digest')) {
    const problem = checkContentDigest(headers.get('content-digest') ?? '', body);
    if (problem) return fail('content-digest', problem);
  }
  if (uncovered.includes('content-length'))
    return fail('content-length', `The request has a ${body.length}-byte body but content-length is not covered`);
  if (coveredComponents.includes('content-length') && headers.get('content-length')?.trim() !== String(body.length)) {
    return fail('content-length', `content-length is ${headers.get('content-length')} but the body has ${body.length} bytes`);
  }

  const now = (options.now ?? Date.now)() / 1000;
  const skew = options.clockSkewSeconds ?? 30;
  const maxAge = options.maxAgeSeconds ?? 300;
  const at = (seconds: number) => new Date(seconds * 1000).toISOString();
  if (created > now + skew) return fail('created-in-future', `created ${at(created)} is more than ${skew}s after now (${at(now)})`);
  if (expires !== undefined && now > expires + skew)
    return fail('expired', `expires ${at(expires)} passed more than ${skew}s before now (${at(now)})`);
  if (expires === undefined && now - created > maxAge)
    return fail('too-old', `created ${at(created)} is more than ${maxAge}s before now (${at(now)}) and there is no expires`);

  const signatureBase = buildSignatureBase(message, coveredComponents, input.params);
  if (!verifyBytes(Buffer.from(signatureBase, 'utf8'), signatureMember.value.bytes, key)) {
    return fail(
      'signature',
      `The signature does not verify with key "${keyId}" (${key.algorithm}) over the components ${coveredComponents.join(', ')}`,
    );
  }
  return { ok: true, keyId, coveredComponents, created, expires, nonce };
}
