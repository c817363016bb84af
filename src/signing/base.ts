/**
 * The signature base of RFC 9421 §2.5 (unchanged since draft 15, which Upvest implements):
 * one `"<component>": <value>` line per covered component, then `"@signature-params"`.
 */
import { createHash } from 'node:crypto';
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

/** The value of one component, or undefined when the message does not have it. */
export function componentValue(message: HttpMessage, component: string): string | undefined {
  const url = message.url === undefined ? undefined : toUrl(message.url);
  switch (component) {
    case '@method':
      return message.method?.toUpperCase();
    case '@path':
      return url && (url.pathname || '/');
    case '@query':
      // RFC 9421 §2.2.7: an absent query is "?" (the Upvest profile covers @query only when there is one).
      return url && (url.search || '?');
    case '@authority':
      return isAbsolute(message.url) ? toUrl(message.url).host : headerMap(message.headers).get('host')?.trim().toLowerCase();
    case '@status':
      return message.status?.toString();
    default:
      if (component.startsWith('@')) return undefined;
      return headerMap(message.headers).get(component)?.trim();
  }
}

export function serializeSignatureParams(components: string[], params: Parameters): string {
  return serializeInnerList({ items: components.map((value) => ({ value, params: new Map() })), params });
}

export function buildSignatureBase(message: HttpMessage, components: string[], params: Parameters): string {
  const lines = components.map((component) => {
    if (component !== component.toLowerCase()) throw new Error(`Component "${component}" must be lower-case`);
    const value = componentValue(message, component);
    if (value === undefined) throw new Error(`The message has no "${component}" component`);
    if (/[\r\n]/.test(value)) throw new Error(`The value of "${component}" contains a line break`);
    return `"${component}": ${value}`;
  });
  lines.push(`"@signature-params": ${serializeSignatureParams(components, params)}`);
  return lines.join('\n');
}

export function toBytes(body: Uint8Array | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

const DIGEST_HASHES = { 'sha-512': 'sha512', 'sha-256': 'sha256' } as const;

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
