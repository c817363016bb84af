/**
 * What HTTP allows in a request's header fields (RFC 9110 §5.1, §5.5), checked before anything
 * is handed to undici: its pool loses a connection slot for every request it refuses, so a few
 * bad values would leave it serving nothing (a run that hangs with no output).
 */
import { InvalidHeaderValueError } from '../errors.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** HTAB, SP, visible ASCII and obs-text (0x80–0xFF, as undici sends them); never CR, LF, NUL or DEL. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Why a value cannot be a header field value, or undefined when it can. */
export function fieldValueProblem(value: string): string | undefined {
  if (FIELD_VALUE.test(value)) return undefined;
  const bad = [...value].find((c) => !FIELD_VALUE.test(c)) ?? '';
  const code = bad.codePointAt(0) ?? 0;
  const name = code === 13 ? 'CR' : code === 10 ? 'LF' : code === 0 ? 'NUL' : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `it holds ${name}, which HTTP does not allow in a header (control characters, and characters outside Latin-1)`;
}

/** Throw an InvalidHeaderValueError naming the header (never its value: it may be a credential). */
export function assertValidHeaders(headers: Record<string, string>, at: string): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) throw new InvalidHeaderValueError(`${at}: ${JSON.stringify(name.slice(0, 40))} is not a valid header name`);
    const problem = fieldValueProblem(String(value));
    if (problem) {
      throw new InvalidHeaderValueError(`${at}: the ${name} header cannot be sent: ${problem}`, {
        details: { header: name },
        hint: SOURCES[name.toLowerCase()] ?? 'Remove control characters from the value that fills this header.',
      });
    }
  }
}

/** Where a header's value comes from, for the hint. */
const SOURCES: Record<string, string> = {
  authorization:
    'The bearer token holds control characters: check --access-token / UPVEST_ACCESS_TOKEN, or what the token endpoint issued.',
  signature: 'Check --signing-key-id / UPVEST_SIGNING_KEY_ID: the key id is part of the signature headers.',
  'signature-input': 'Check --signing-key-id / UPVEST_SIGNING_KEY_ID: the key id is part of the signature headers.',
  'upvest-client-id': 'Check --client-id / UPVEST_CLIENT_ID.',
};
