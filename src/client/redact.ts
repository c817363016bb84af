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
  /** Every value and its JSON-escaped form, longest first; rebuilt when a value is added. */
  private forms: string[] = [];
  private longestValue = 0;

  /** Remember a secret value; short values are ignored to avoid scrubbing common words. */
  add(value: string | undefined | null): void {
    if (!value || value.length < 6 || this.values.has(value)) return;
    this.values.add(value);
    this.longestValue = Math.max(this.longestValue, value.length);
    // Longest first, so a token containing a shorter secret is removed whole; the escaped form
    // too, since reports are JSON.
    this.forms = [...new Set([...this.values].flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]))].sort((a, b) => b.length - a.length);
  }

  /** Replace every registered secret, PEM private key blocks (even cut short) and signature values in text. */
  scrub(text: string): string {
    let out = text;
    if (out.includes('PRIVATE KEY-----'))
      out = out.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED);
    // A signature is made per request, too many to register: remove it by its form (`sig1=:base64:`),
    // wherever a target reflects it. A content-digest has the same form and goes too, harmlessly.
    if (out.includes('=:')) out = out.replace(SIGNATURE_VALUE, `$1${REDACTED}:`);
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  /** The longest registered secret, for cutting text without cutting a secret in two. */
  get longest(): number {
    return this.longestValue;
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
