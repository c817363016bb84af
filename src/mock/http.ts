/** Small HTTP helpers of the mock: bodies, problem documents, content negotiation. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const PROBLEM_TYPES: Record<number, { type: string; title: string }> = {
  400: { type: 'bad_request', title: 'Bad Request' },
  401: { type: 'unauthorized', title: 'Unauthorized' },
  403: { type: 'forbidden', title: 'Forbidden' },
  404: { type: 'not_found', title: 'Not Found' },
  405: { type: 'method_not_allowed', title: 'Method Not Allowed' },
  406: { type: 'not_acceptable', title: 'Not Acceptable' },
  429: { type: 'too_many_requests', title: 'Too Many Requests' },
  500: { type: 'internal_server_error', title: 'Internal Server Error' },
  503: { type: 'service_unavailable', title: 'Service Unavailable' },
};

export interface Problem {
  type: string;
  status: number;
  title: string;
  detail: string;
  request_id: string;
}

export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  /** Serialized body (JSON text), or undefined for none. */
  body?: string;
}

export function jsonResponse(status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): MockResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'upvest-request-id': requestId, ...headers },
    body: JSON.stringify(body),
  };
}

export function problemResponse(status: number, detail: string, requestId: string, headers: Record<string, string> = {}): MockResponse {
  const known = PROBLEM_TYPES[status] ?? { type: 'error', title: 'Error' };
  const problem: Problem = { type: known.type, status, title: known.title, detail, request_id: requestId };
  return {
    status,
    headers: { 'content-type': 'application/problem+json', 'upvest-request-id': requestId, ...headers },
    body: JSON.stringify(problem),
  };
}

export function writeResponse(res: ServerResponse, response: MockResponse): void {
  const headers: Record<string, string | number> = { ...response.headers };
  if (response.body !== undefined) headers['content-length'] = Buffer.byteLength(response.body);
  res.writeHead(response.status, headers);
  res.end(response.body);
}

export class BodyTooLargeError extends Error {}

/** Past the limit a body is still read (and dropped) up to this much, so a keep-alive connection stays usable for the next request. */
const DRAIN_BYTES = 64 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
    else if (size > limit + DRAIN_BYTES) {
      // Too much to drain: the connection is closed after the answer.
      throw new BodyTooLargeError(`request body larger than ${limit} bytes`);
    }
  }
  if (size > limit) throw new BodyTooLargeError(`request body larger than ${limit} bytes`);
  return Buffer.concat(chunks, size);
}

/** Does the Accept header admit a JSON representation (application/json or problem+json)? */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type, ...params] = range
      .trim()
      .toLowerCase()
      .split(';')
      .map((p) => p.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) return false;
    return (
      type === '*/*' ||
      type === 'application/*' ||
      type === 'application/json' ||
      type === 'application/problem+json' ||
      type.endsWith('+json')
    );
  });
}
