/**
 * The signature base, in the two forms Upvest uses:
 * - draft-15 (RFC 9421 §2.5 is unchanged since): one `"<component>": <value>` line per covered
 *   component, then `"@signature-params": …`;
 * - draft-06 as Upvest implements it: the same lines with the component names NOT quoted
 *   (`<component>: <value>`, then `@signature-params: …`). Upvest documents this as a bug it
 *   keeps for compatibility ("Signature components and metadata (v6)": "Upvest does not enclose
 *   the component-key in double quotes, in contrast to the IETF draft v6"), and its draft-06
 *   signers write exactly that (httpsignature-proxy v1.3.8 material.Format, http-signature-
 *   examples Go/main.go signaturePayload; vectors in test/fixtures/signing/).
 *
 * A header's value is the field value with leading and trailing whitespace removed and repeated
 * field lines joined with ", " (RFC 9421 §2.1, and what the Go signers do: parser.go Normalise).
 */
import { createHash } from 'node:crypto';
import type { SignatureVersion } from './versions.js';
import {
  ByteSequence,
  isInnerList,
  parseDictionary,
  serializeInnerList,
  StructuredFieldError,
  type Parameters,
} from './structured-fields.js';

/** What a signature base is built from: a request (method, url) or a response (status). */
export interface HttpMessage {
  method?: string;
  /** Absolute, or a path with optional query (then `@authority` comes from the host header). */
  url?: string | URL;
  status?: number;
  headers: Record<string, string>;
}

export const DERIVED_COMPONENTS = ['@method', '@path', '@query', '@authority', '@status'] as const;

/** Any base works for a relative URL: only its path and query are used. */
const RELATIVE_URL_BASE = 'http://relative.invalid';

export function toUrl(url: string | URL): URL {
  return url instanceof URL ? url : new URL(url, RELATIVE_URL_BASE);
}

function isAbsolute(url: string | URL | undefined): url is string | URL {
  return url instanceof URL || (url !== undefined && URL.canParse(url));
}

/** Header names lower-cased; the same name given twice (in different case) is combined as HTTP does. */
export function headerMap(headers: Record<string, string>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const existing = map.get(key);
    map.set(key, existing === undefined ? value : `${existing}, ${value}`);
  }
  return map;
}

/**
 * A message's components, read as asked (undefined: the message does not have it): its URL parsed once and its headers mapped once, however
 * many components a signature covers (the verifier and the signer read every one).
 */
export function componentReader(message: HttpMessage): (component: string) => string | undefined {
  let url: URL | undefined;
  let headers: Map<string, string> | undefined;
  const urlOf = (): URL | undefined => {
    if (message.url !== undefined && url === undefined) url = toUrl(message.url);
    return url;
  };
  const headerOf = (name: string): string | undefined => {
    if (headers === undefined) headers = headerMap(message.headers);
    return headers.get(name)?.trim();
  };
  return (component) => {
    switch (component) {
      case '@method':
        return message.method?.toUpperCase();
      case '@path': {
        const u = urlOf();
        return u && (u.pathname || '/');
      }
      case '@query': {
        // RFC 9421 §2.2.7: an absent query is "?" (the Upvest profile covers @query only when there is one).
        const u = urlOf();
        return u && (u.search || '?');
      }
      case '@authority':
        return isAbsolute(message.url) ? urlOf()?.host : headerOf('host')?.toLowerCase();
      case '@status':
        return message.status?.toString();
      default:
        return component.startsWith('@') ? undefined : headerOf(component);
    }
  };
}

/**
 * Header fields as a server received them (Node's `rawHeaders`: name, value, name, value …):
 * names lower-cased, repeated lines joined with ", " as RFC 9110 §5.3 combines them. Node's own
 * `req.headers` keeps only the first line of some fields (authorization, content-type, …), which
 * would let a second line pass unsigned.
 */
export function headersFromRaw(rawHeaders: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = rawHeaders[i + 1].trim();
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

export function serializeSignatureParams(components: string[], params: Parameters): string {
  return serializeInnerList({ items: components.map((value) => ({ value, params: new Map() })), params });
}

const quoted = (name: string, version: SignatureVersion) => (version === '6' ? name : `"${name}"`);

export function buildSignatureBase(
  message: HttpMessage,
  components: string[],
  params: Parameters,
  version: SignatureVersion = '15',
  /** `serializeSignatureParams(components, params)`, when the caller has it already (the signer sends it as signature-input). */
  serializedParams?: string,
): string {
  const componentOf = componentReader(message);
  const lines = components.map((component) => {
    if (component !== component.toLowerCase()) throw new Error(`Component "${component}" must be lower-case`);
    const value = componentOf(component);
    if (value === undefined) throw new Error(`The message has no "${component}" component`);
    if (/[\r\n]/.test(value)) throw new Error(`The value of "${component}" contains a line break`);
    return `${quoted(component, version)}: ${value}`;
  });
  lines.push(`${quoted('@signature-params', version)}: ${serializedParams ?? serializeSignatureParams(components, params)}`);
  return lines.join('\n');
}

export function toBytes(body: Uint8Array | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

const DIGEST_HASHES = { 'sha-512': 'sha512', 'sha-256': 'sha256' } as const;

/** The draft-06 body digest Upvest uses: a `digest` header (RFC 3230) `SHA-256=<base64>` ("HTTP request body digest (v6)"). */
export function digestHeader(body: Buffer): string {
  return `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
}

/**
 * Checks a `digest` field (RFC 3230: `algorithm=base64` pairs, comma-separated, algorithm names
 * case-insensitive) against the body: every SHA-256/SHA-512 entry must match, and one must be there.
 */
export function checkDigestHeader(fieldValue: string, body: Buffer): string | undefined {
  let checked = 0;
  const seen: string[] = [];
  for (const part of fieldValue.split(',')) {
    const match = /^\s*([A-Za-z0-9-]+)=([A-Za-z0-9+/=]*)\s*$/.exec(part);
    if (!match) return `digest is not a list of algorithm=base64 pairs (RFC 3230): ${JSON.stringify(fieldValue.slice(0, 80))}`;
    const algorithm = match[1].toLowerCase();
    seen.push(match[1]);
    const hash = DIGEST_HASHES[algorithm as keyof typeof DIGEST_HASHES];
    if (!hash) continue;
    const expected = createHash(hash).update(body).digest('base64');
    if (match[2] !== expected) return `digest ${match[1]} is ${match[2]} but the body (${body.length} bytes) hashes to ${expected}`;
    checked++;
  }
  return checked ? undefined : `digest has neither SHA-256 nor SHA-512 (it has ${seen.join(', ') || 'nothing'})`;
}

export function contentDigest(body: Buffer): string {
  return `sha-512=:${createHash('sha512').update(body).digest('base64')}:`;
}

/** Checks a Content-Digest field (RFC 9530) against the body: every sha-512/sha-256 entry must match, and one must be there. */
export function checkContentDigest(fieldValue: string, body: Buffer): string | undefined {
  let dictionary: ReturnType<typeof parseDictionary>;
  try {
    dictionary = parseDictionary(fieldValue);
  } catch (error) {
    if (error instanceof StructuredFieldError) return `content-digest is not a structured dictionary: ${error.message}`;
    throw error;
  }
  let checked = 0;
  for (const [algorithm, hash] of Object.entries(DIGEST_HASHES)) {
    const member = dictionary.get(algorithm);
    if (member === undefined) continue;
    if (isInnerList(member) || !(member.value instanceof ByteSequence)) return `content-digest ${algorithm} is not a byte sequence`;
    const expected = createHash(hash).update(body).digest('base64');
    const received = member.value.bytes.toString('base64');
    if (received !== expected)
      return `content-digest ${algorithm} is ${received} but the body (${body.length} bytes) hashes to ${expected}`;
    checked++;
  }
  return checked ? undefined : `content-digest has neither sha-512 nor sha-256 (it has ${[...dictionary.keys()].join(', ') || 'nothing'})`;
}
