/**
 * The verifying side: finds which of Upvest's two versions a request is signed with, rebuilds
 * the signature base from the request as received, over whatever components the signer listed,
 * and reports the first check that fails (the step) with a message saying what and where.
 *
 * The version: `upvest-signature-version` when the request has it (`15` or `6`, anything else
 * is refused); without it, a verifier that does not require it (the webhook listener: Upvest's
 * draft-06 webhooks carry none) reads it from the covered components: `content-digest` is
 * draft-15's body digest, `digest` draft-06's; with neither (no body), draft-06, which is what
 * Upvest reads a request without the header as ("HTTP signatures": v6 "is the default").
 * A signature is then checked against the version named: a draft-15 request must not cover
 * `digest` instead of `content-digest` (nor the reverse), and a signature that only verifies
 * over the other version's base is refused with step `signature-version`, saying so.
 */
import {
  buildSignatureBase,
  checkContentDigest,
  checkDigestHeader,
  componentReader,
  DERIVED_COMPONENTS,
  headerMap,
  toBytes,
  toUrl,
  type HttpMessage,
} from './base.js';
import { verifyBytes, type KeyResolver } from './keys.js';
import type { NonceStore } from './nonces.js';
import { SIGNATURE_LABEL, type SignableRequest } from './sign.js';
import { ByteSequence, isInnerList, parseDictionary, StructuredFieldError, type Dictionary } from './structured-fields.js';
import { BODY_DIGEST, DRAFT_NAME, SIGNATURE_VERSION_HEADER, type SignatureVersion } from './versions.js';

export type VerifyStep =
  | 'missing-headers'
  | 'signature-version'
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
  | 'replayed-nonce'
  | 'signature';

/** How the version was learnt: the header, the covered components, or Upvest's default (draft-06). */
export type VersionSource = 'header' | 'components' | 'default';

export type VerifyResult =
  | {
      ok: true;
      keyId: string;
      coveredComponents: string[];
      created: number;
      expires?: number;
      nonce?: string;
      version: SignatureVersion;
      versionSource: VersionSource;
    }
  | { ok: false; step: VerifyStep; message: string; keyId?: string; version?: SignatureVersion };

export interface VerifyOptions {
  /** Milliseconds, like Date.now. */
  now?: () => number;
  /** Tolerance around `created` and `expires`, in seconds. Default 30. */
  clockSkewSeconds?: number;
  /** Without `expires`, a signature created longer ago than this is rejected. Default 300. */
  maxAgeSeconds?: number;
  /**
   * Components that must be covered, e.g. ['@method', '@path']. Whatever is given, @query must be
   * covered when the URL has a query, and the version's body digest when there is a body.
   */
  requiredComponents?: string[];
  /** Headers that must be covered whenever the request carries them (the mock: the ones Upvest documents). */
  requiredWhenPresent?: string[];
  /** Refuse a covered @query on a URL without a query (no Upvest signer does it; Upvest says to leave it out). */
  strictQuery?: boolean;
  /** 'detect' (default): without `upvest-signature-version`, read the version as described above; 'require': refuse. */
  versionHeader?: 'detect' | 'require';
  /** Refuse a signature without a nonce (every Upvest signer sends one). */
  requireNonce?: boolean;
  /** Refuse a key id + nonce accepted before while its signature could still be valid, and remember new ones. */
  nonces?: NonceStore;
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

const other = (version: SignatureVersion): SignatureVersion => (version === '15' ? '6' : '15');

export function verifyRequest(request: SignableRequest, keys: KeyResolver, options: VerifyOptions = {}): VerifyResult {
  const label = options.label ?? SIGNATURE_LABEL;
  const headers = headerMap(request.headers);
  const inputField = headers.get('signature-input');
  const signatureField = headers.get('signature');
  const absent = [inputField === undefined && 'signature-input', signatureField === undefined && 'signature'].filter(Boolean);
  if (inputField === undefined || signatureField === undefined)
    return { ok: false, step: 'missing-headers', message: `The request has no ${absent.join(' and no ')} header` };

  const versionField = headers.get(SIGNATURE_VERSION_HEADER);
  let version: SignatureVersion | undefined;
  let versionSource: VersionSource = 'header';
  if (versionField !== undefined) {
    const named = versionField.trim();
    if (named !== '15' && named !== '6')
      return {
        ok: false,
        step: 'signature-version',
        message: `${SIGNATURE_VERSION_HEADER} is ${JSON.stringify(versionField.slice(0, 40))}; Upvest knows 15 (draft-15) and 6 (draft-06)`,
      };
    version = named;
  } else if (options.versionHeader === 'require') {
    return {
      ok: false,
      step: 'signature-version',
      message:
        `The request has no ${SIGNATURE_VERSION_HEADER} header: send "${SIGNATURE_VERSION_HEADER}: 15" with a draft-15 signature ` +
        '(Upvest reads a request without it as draft-06)',
    };
  }

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
  if (nonce === undefined && options.requireNonce)
    return malformedInput('has no nonce parameter (every Upvest signer sends one; it is what makes a replay detectable)');
  if (isInnerList(signatureMember) || !(signatureMember.value instanceof ByteSequence))
    return { ok: false, step: 'malformed-signature', message: `signature ${label} is not a byte sequence (:base64:)`, keyId };

  if (version === undefined) {
    const coversContentDigest = coveredComponents.includes('content-digest');
    const coversDigest = coveredComponents.includes('digest');
    version = coversContentDigest && !coversDigest ? '15' : '6';
    versionSource = coversContentDigest || coversDigest ? 'components' : 'default';
  }
  const named = version;
  const fail = (step: VerifyStep, message: string): VerifyResult => ({ ok: false, step, message, keyId, version: named });
  const said = versionSource === 'header' ? `${SIGNATURE_VERSION_HEADER} says ${version}` : `read as draft-${version.padStart(2, '0')}`;
  const wrongDigest = BODY_DIGEST[other(version)];
  if (coveredComponents.includes(wrongDigest))
    return fail(
      'signature-version',
      `${said}, but the signature covers ${wrongDigest}, the body digest of ${DRAFT_NAME[other(version)]}; ` +
        `${DRAFT_NAME[version]} covers ${BODY_DIGEST[version]}`,
    );

  const key = keys(keyId);
  if (key === undefined) return fail('unknown-key', `No public key is known for keyid "${keyId}"`);
  if (alg !== undefined && alg !== key.algorithm)
    return fail('signature', `signature-input says alg="${alg}" but key "${keyId}" is ${key.algorithm}`);

  const body = request.body == null ? Buffer.alloc(0) : toBytes(request.body);
  const hasQuery = Boolean(toUrl(request.url).search);
  const digest = BODY_DIGEST[version];
  const message: HttpMessage = { method: request.method, url: request.url, headers: request.headers };
  const present = (options.requiredWhenPresent ?? []).filter((name) => headers.has(name));
  const required = [...(options.requiredComponents ?? []), ...(hasQuery ? ['@query'] : []), ...present, ...(body.length ? [digest] : [])];
  const uncovered = required.filter((component) => !coveredComponents.includes(component));
  // The body digest has its own step; the others are plain required components.
  const uncoveredOther = uncovered.filter((component) => component !== digest);
  if (uncoveredOther.length)
    return fail(
      'required-components',
      `Required components not covered: ${uncoveredOther.join(', ')} (covered: ${coveredComponents.join(', ') || 'none'})`,
    );
  if (options.strictQuery && !hasQuery && coveredComponents.includes('@query'))
    return fail('required-components', '@query is covered but the URL has no query; Upvest leaves @query out of such a request');

  const componentOf = componentReader(message);
  const missing = coveredComponents.filter((component) => componentOf(component) === undefined);
  if (missing.length) return fail('missing-headers', `Covered components missing from the request: ${missing.join(', ')}`);

  if (uncovered.includes(digest)) return fail('content-digest', `The request has a ${body.length}-byte body but ${digest} is not covered`);
  if (coveredComponents.includes(digest)) {
    const value = headers.get(digest) ?? '';
    const problem = version === '15' ? checkContentDigest(value, body) : checkDigestHeader(value, body);
    if (problem) return fail('content-digest', problem);
  }
  // content-length need not be covered: Upvest's proxy covers it only when its client sent one.
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
  if (nonce !== undefined && options.nonces?.seenBefore(keyId, nonce, now))
    return fail(
      'replayed-nonce',
      `nonce "${nonce.slice(0, 64)}" of key "${keyId}" was already used by a request whose signature is still valid`,
    );

  const signature = signatureMember.value.bytes;
  const verifies = (v: SignatureVersion) =>
    verifyBytes(Buffer.from(buildSignatureBase(message, coveredComponents, input.params, v), 'utf8'), signature, key);
  if (!verifies(version)) {
    if (verifies(other(version)))
      return fail(
        'signature-version',
        `${said}, but the signature verifies only over the ${DRAFT_NAME[other(version)]} base ` +
          `(component names ${other(version) === '6' ? 'unquoted' : 'quoted'})`,
      );
    const listed = coveredComponents.filter((c) => !c.startsWith('@') && (headers.get(c) ?? '').includes(', '));
    return fail(
      'signature',
      `The signature does not verify with key "${keyId}" (${key.algorithm}) over the ${DRAFT_NAME[version]} base of ` +
        `the components ${coveredComponents.join(', ')}` +
        (listed.length
          ? ` (note: ${listed.join(', ')} hold comma-separated values, of which Upvest's Go signers sign only the first member)`
          : ''),
    );
  }
  if (nonce !== undefined) options.nonces?.remember(keyId, nonce, (expires ?? created + maxAge) + skew, now);
  return { ok: true, keyId, coveredComponents, created, expires, nonce, version, versionSource };
}
