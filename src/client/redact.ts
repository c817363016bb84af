/**
 * Redaction at recording time: what a report, log, cassette or error message may contain.
 * Two layers: fields that are secret by name (authorization, signature, client_secret,
 * access_token, …) and a registry of secret values seen at run time (the client secret, every
 * issued token, the key passphrase), scrubbed wherever they appear in text.
 */

export const REDACTED = '[REDACTED]';

/** An RFC 8941 byte sequence in a dictionary member: `label=:base64:`, long enough to be a signature. */
const SIGNATURE_VALUE = /([A-Za-z*][A-Za-z0-9_.*-]*=:)[A-Za-z0-9+/]{24,}={0,2}:/g;

/** Header names whose values are credentials or signatures. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'signature', 'cookie', 'set-cookie', 'x-api-key']);

/** Body fields (form or JSON) that carry credentials. */
const SECRET_FIELDS = new Set(['client_secret', 'access_token', 'refresh_token', 'id_token', 'password', 'passphrase', 'private_key', 'd']);

export class SecretRegistry {
  private readonly values = new Set<string>();

  /** Remember a secret value; short values are ignored to avoid scrubbing common words. */
  add(value: string | undefined | null): void {
    if (value && value.length >= 6) this.values.add(value);
  }

  /** Replace every registered secret, PEM private key blocks (even cut short) and signature values in text. */
  scrub(text: string): string {
    let out = text.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED);
    // A signature is made per request, too many to register: remove it by its form (`sig1=:base64:`),
    // wherever a target reflects it. A content-digest has the same form and goes too, harmlessly.
    out = out.replace(SIGNATURE_VALUE, `$1${REDACTED}:`);
    // Longest first, so a token containing a shorter secret is removed whole; also in its
    // JSON-escaped form, since reports are JSON too.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      for (const form of new Set([value, JSON.stringify(value).slice(1, -1)])) {
        if (out.includes(form)) out = out.split(form).join(REDACTED);
      }
    }
    return out;
  }

  /** The longest registered secret, for cutting text without cutting a secret in two. */
  get longest(): number {
    let max = 0;
    for (const value of this.values) max = Math.max(max, value.length);
    return max;
  }

  get size(): number {
    return this.values.size;
  }
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
