/**
 * Redaction at recording time: what a report, log, cassette or error message may contain.
 * Two layers: fields that are secret by name (authorization, signature, client_secret,
 * access_token, …) and a registry of secret values seen at run time (the client secret, every
 * issued token, the key passphrase), scrubbed wherever they appear in text.
 */

export const REDACTED = '[REDACTED]';

import { StringDecoder } from 'node:string_decoder';

/**
 * An RFC 8941 byte sequence in a dictionary member: `label=:base64:`, long enough to be a
 * signature; the closing `:` may be missing (a value cut short elsewhere is still removed).
 */
const SIGNATURE_VALUE = /([A-Za-z*][A-Za-z0-9_.*-]*=:)[A-Za-z0-9+/]{24,}={0,2}:?/g;

/** The user-info part of a URL with a scheme: `scheme://user:password@` or `scheme://token@`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

/** Header names whose values are credentials or signatures. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'signature', 'cookie', 'set-cookie', 'x-api-key']);

/** Body fields (form or JSON) that carry credentials. */
const SECRET_FIELDS = new Set(['client_secret', 'access_token', 'refresh_token', 'id_token', 'password', 'passphrase', 'private_key', 'd']);

export class SecretRegistry {
  private readonly values = new Set<string>();
  /** Every value in every spelling it may be echoed in, longest first; rebuilt when a value is added. */
  private forms: string[] = [];
  private longestValue = 0;

  /** Remember a secret value; short values are ignored to avoid scrubbing common words. */
  add(value: string | undefined | null): void {
    if (!value || value.length < 6 || this.values.has(value)) return;
    this.values.add(value);
    // Longest first, so a token containing a shorter secret is removed whole.
    this.forms = [...new Set([...this.values].flatMap(spellingsOf))].sort((a, b) => b.length - a.length);
    this.longestValue = this.forms[0]?.length ?? 0;
  }

  /** Replace every registered secret, PEM private key blocks (even cut short) and signature values in text. */
  scrub(text: string): string {
    let out = text;
    if (out.includes('PRIVATE KEY-----'))
      out = out.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED);
    // A signature is made per request, too many to register: remove it by its form (`sig1=:base64:`),
    // wherever a target reflects it. A content-digest has the same form and goes too, harmlessly.
    if (out.includes('=:')) out = out.replace(SIGNATURE_VALUE, `$1${REDACTED}:`);
    // Credentials in a URL (`http://user:pass@host`), wherever a URL is printed.
    if (out.includes('@')) out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  /** The longest spelling of a registered secret, for cutting text without cutting a secret in two. */
  get longest(): number {
    return this.longestValue;
  }

  get size(): number {
    return this.values.size;
  }
}

/**
 * The spellings a secret travels in: as is, JSON-escaped (reports are JSON; `\\u` escapes of
 * non-ASCII too), percent-encoded (URLs, upper- and lower-case hex) and form-encoded (a token
 * endpoint echoing its request body: `+` for space, every reserved character escaped).
 */
function spellingsOf(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const asciiJson = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const percent = encodeURIComponent(value);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  const lower = (text: string) => text.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
  const upperEscapes = asciiJson.replace(/\\u[0-9a-f]{4}/g, (e) => `\\u${e.slice(2).toUpperCase()}`);
  return [value, json, asciiJson, upperEscapes, percent, lower(percent), form, lower(form)];
}

/** The process-wide registry: the client, the mock and the reporters all scrub with it. */
export const secrets = new SecretRegistry();

export function redactHeaders(headers: Record<string, string | string[] | undefined>, registry = secrets): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      // Keep the scheme: whether a bearer was sent at all matters when reading a failure.
      const scheme = /^(\S+)\s/.exec(value)?.[1];
      out[lower] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
    } else if (lower === 'signature') {
      out[lower] = value.replace(/=:[^:]*:/g, `=:${REDACTED}:`);
    } else if (SECRET_HEADERS.has(lower)) {
      out[lower] = REDACTED;
    } else {
      out[lower] = registry.scrub(value);
    }
  }
  return out;
}

const SECRET_JSON_FIELD = new RegExp(`"(${[...SECRET_FIELDS].join('|')})"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"?`, 'gi');

/**
 * Redact a body (or an excerpt of one: it may be cut mid-value) by its content type: form
 * fields, JSON string fields by name, then every registered secret value.
 */
export function redactBody(body: string, contentType: string | undefined, registry = secrets): string {
  const type = (contentType ?? '').toLowerCase();
  let out = body;
  if (type.includes('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(body);
    for (const key of [...params.keys()]) if (SECRET_FIELDS.has(key.toLowerCase())) params.set(key, REDACTED);
    out = params.toString().replace(/%5BREDACTED%5D/g, REDACTED);
  } else {
    // Regex rather than JSON.parse: excerpts are truncated, and large bodies must stay cheap.
    out = out.replace(SECRET_JSON_FIELD, (_match, name: string, colon: string) => `"${name}"${colon}"${REDACTED}"`);
  }
  return registry.scrub(out);
}

/** Cut text to at most `limit` UTF-16 units, never between the two halves of a surrogate pair. */
export function cutAtCharacter(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const last = text.charCodeAt(limit - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit);
}

/**
 * The one way to shorten text that may hold a secret: scrub the whole text first, then cut on a
 * character. (Cutting first would leave a fragment of a secret that straddles the cut, which no
 * scrub recognises.) `scrub` defaults to the registry's; a body passes its content-type redaction.
 */
export function scrubThenCut(text: string, limit: number, scrub: (text: string) => string = (t) => secrets.scrub(t)): string {
  return cutAtCharacter(scrub(text), limit);
}

/**
 * The first `limit` characters of a body, scrubbed before cut, without decoding all of a huge
 * body: windows of growing size are decoded (never inside a UTF-8 sequence) and scrubbed until
 * what follows the cut cannot hold the beginning of a secret that the window's end truncated.
 */
export function previewOf(
  body: Buffer,
  limit: number,
  scrub: (text: string) => string = (t) => secrets.scrub(t),
  registry = secrets,
): { text: string; truncated: boolean } {
  const margin = registry.longest + 64;
  for (let window = (limit + margin) * 4; ; window *= 2) {
    const whole = window >= body.length;
    const slice = body.subarray(0, Math.min(window, body.length));
    // A StringDecoder holds back an incomplete trailing sequence instead of writing U+FFFD for it.
    const scrubbed = scrub(whole ? slice.toString('utf8') : new StringDecoder('utf8').write(slice));
    // A secret cut by the window's end is shorter than `margin` and sits at its end, after the cut.
    if (whole || scrubbed.length - margin >= limit) {
      const text = cutAtCharacter(scrubbed, limit);
      return { text, truncated: text.length < scrubbed.length || !whole };
    }
  }
}
