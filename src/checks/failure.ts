/**
 * The one place a failure becomes text: what was received, what was expected, and a curl
 * line that reproduces the request with secrets replaced by placeholders.
 */
import type { Exchange } from '../client/exchange.js';
import { REDACTED } from '../client/redact.js';
import { describeBasis } from './basis.js';
import type { Failure } from './types.js';

/** Headers a reproduction must not replay: they are computed per request by the signer or by curl. */
const COMPUTED_HEADERS = new Set([
  'signature',
  'signature-input',
  'content-digest',
  // The draft-06 body digest (upvest-conformance run --signature-version 6).
  'digest',
  'content-length',
  'date',
  'upvest-signature-version',
  'host',
  'connection',
]);

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function curlFor(request: Exchange['request']): string {
  const parts = ['curl', '-sS', '-X', request.method, shellQuote(request.url)];
  let signed = false;
  for (const [name, value] of Object.entries(request.headers)) {
    if (COMPUTED_HEADERS.has(name)) {
      signed ||= name === 'signature';
      continue;
    }
    if (name === 'authorization' && value.includes(REDACTED)) {
      // Double quotes so the shell expands the placeholder.
      parts.push('-H', `"authorization: ${value.replace(REDACTED, '$UPVEST_ACCESS_TOKEN')}"`);
    } else {
      parts.push('-H', shellQuote(`${name}: ${value}`));
    }
  }
  if (request.bodyExcerpt !== undefined) parts.push('--data-raw', shellQuote(request.bodyExcerpt));
  const line = parts.join(' ');
  return signed ? `${line}   # plus signature headers from your signer (the original was signed)` : line;
}

/** `Received / Expected` text of a failure, with where it is and how to reproduce it. */
export function renderFailure(failure: Failure): string {
  const lines = [`[${failure.severity}] ${failure.check} › ${failure.operation}: ${failure.message}`];
  if (failure.baselined) lines[0] += ` (baselined: ${failure.baselined.reason})`;
  lines.push(`  Received: ${failure.received}${failure.pointer !== undefined ? ` at ${failure.pointer || '/'}` : ''}`);
  lines.push(`  Expected: ${failure.expected}${failure.schemaPointer ? ` (schema ${failure.schemaPointer})` : ''}`);
  if (failure.basis) lines.push(`  Basis: ${describeBasis(failure.basis)}`);
  if (failure.occurrences) lines.push(`  Seen: ${failure.occurrences} times`);
  if (failure.response)
    lines.push(
      `  Response: ${failure.response.status} ${failure.response.headers['content-type'] ?? '(no content-type)'}, ` +
        `${failure.response.bodyBytes} bytes`,
    );
  if (failure.curl) lines.push(`  Reproduce: ${failure.curl}`);
  return lines.join('\n');
}
