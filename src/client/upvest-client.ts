/**
 * The client the suites (and users) talk to an Upvest target with: it adds exactly what a
 * production client sends (bearer token with the operation's scopes, upvest-client-id,
 * upvest-api-version, idempotency-key, HTTP message signature) and lets the negative checks
 * take any of it away or break it on purpose.
 */
import { randomUUID } from 'node:crypto';
import { UsageError } from '../errors.js';
import { signRequestAsync, type SignatureVersion, type SigningKey } from '../signing/index.js';
import { TokenProvider } from './oauth.js';
import { secrets } from './redact.js';
import type { HttpResponse, Transport } from './transport.js';

export interface UpvestClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  signingKey?: SigningKey;
  /** The HTTP message signature version of every signed request, the token request included (default '15'). */
  signatureVersion?: SignatureVersion;
  transport: Transport;
  /** A fixed bearer token instead of the token endpoint. */
  accessToken?: string;
  tokenPath?: string;
  apiVersion?: string;
}

export type Auth =
  /** A token carrying exactly these scopes. */
  | { scopes: string[] }
  /** No authorization header at all. */
  | { none: true }
  /** This literal authorization header value. */
  | { header: string };

export type Signing = 'sign' | 'none' | 'tamper';

export interface ApiRequest {
  method: string;
  /** Path with its parameters filled in, starting with `/`. */
  path: string;
  /** Query parameters (order kept); a string is sent as is (for malformed queries). */
  query?: [string, string][] | string;
  auth: Auth;
  /** JSON body, or a raw string with its content type. */
  body?: unknown;
  rawBody?: { text: string; contentType: string };
  /** Header overrides: a value replaces the default, `null` removes the header. */
  headers?: Record<string, string | null>;
  idempotencyKey?: string | null;
  signing?: Signing;
  /**
   * Headers changed after signing, to break one part of a signed request alone: `null` removes a
   * header (the signature without its signature-input), a value replaces it.
   */
  afterSigning?: Record<string, string | null>;
  purpose?: string;
}

interface PreparedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | undefined;
  signing: Signing;
  afterSigning?: Record<string, string | null>;
  purpose?: string;
}

function applyAfterSigning(headers: Record<string, string>, changes: Record<string, string | null> | undefined): Record<string, string> {
  if (!changes) return headers;
  const out = { ...headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete out[name.toLowerCase()];
    else out[name.toLowerCase()] = value;
  }
  return out;
}

export class UpvestClient {
  readonly tokens: TokenProvider;
  readonly baseUrl: string;
  private readonly origin: string;

  constructor(private readonly options: UpvestClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.origin = new URL(this.baseUrl).origin;
    this.tokens = new TokenProvider({
      baseUrl: this.baseUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      fixedToken: options.accessToken,
      tokenPath: options.tokenPath ?? '/auth/token',
      send: (request) =>
        this.sendPrepared({
          method: request.method,
          path: request.path,
          query: '',
          headers: request.headers,
          body: request.body,
          signing: 'sign',
          purpose: request.purpose,
        }),
    });
  }

  get signs(): boolean {
    return Boolean(this.options.signingKey);
  }

  get signatureVersion(): SignatureVersion {
    return this.options.signatureVersion ?? '15';
  }

  get clientId(): string {
    return this.options.clientId;
  }

  get transport(): Transport {
    return this.options.transport;
  }

  async send(request: ApiRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'upvest-client-id': this.options.clientId,
      'upvest-api-version': this.options.apiVersion ?? '1',
    };
    if ('scopes' in request.auth) headers.authorization = `Bearer ${await this.tokens.token(request.auth.scopes)}`;
    else if ('header' in request.auth) {
      headers.authorization = request.auth.header;
      secrets.add(request.auth.header.replace(/^Bearer /, ''));
    }
    let body: string | undefined;
    if (request.rawBody) {
      body = request.rawBody.text;
      headers['content-type'] = request.rawBody.contentType;
    } else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    if (request.idempotencyKey !== undefined && request.idempotencyKey !== null) headers['idempotency-key'] = request.idempotencyKey;
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value === null) delete headers[name.toLowerCase()];
      else headers[name.toLowerCase()] = value;
    }
    const query =
      typeof request.query === 'string'
        ? request.query
        : request.query && request.query.length > 0
          ? `?${new URLSearchParams(request.query).toString()}`
          : '';
    return this.sendPrepared({
      method: request.method,
      path: request.path,
      query,
      headers,
      body,
      signing: request.signing ?? 'sign',
      afterSigning: request.afterSigning,
      purpose: request.purpose,
    });
  }

  /** A fresh idempotency key (a v4 UUID, which the documented pattern accepts). */
  static idempotencyKey(): string {
    return randomUUID();
  }

  private async sendPrepared(request: PreparedRequest): Promise<HttpResponse> {
    const { method, path, query, headers, body, signing, purpose } = request;
    if (!path.startsWith('/')) throw new UsageError(`request path must start with "/": ${path}`);
    const url = new URL(`${this.baseUrl}${path}${query}`);
    // Credentials only ever go to the configured origin.
    if (url.origin !== this.origin) throw new UsageError(`refusing to send credentials to ${url.origin}; the target is ${this.origin}`);
    const key = this.options.signingKey;
    if (!key || signing === 'none') {
      return this.options.transport.send({
        method,
        url: url.toString(),
        headers: applyAfterSigning(headers, request.afterSigning),
        body,
        purpose,
      });
    }
    const sign = async () => {
      const signed = (
        await signRequestAsync({ method, url: url.toString(), headers, body: body ?? null }, key, { version: this.signatureVersion })
      ).headers;
      // Flip the signature's first base64 character: a well-formed but invalid signature, in either version.
      if (signing === 'tamper') signed.signature = signed.signature.replace(/=:(.)/, (_m, c: string) => `=:${c === 'A' ? 'B' : 'A'}`);
      return applyAfterSigning(signed, request.afterSigning);
    };
    // Every attempt carries a signature of its own (a fresh nonce), as a verifier refusing replays needs.
    return this.options.transport.send({ method, url: url.toString(), headers: await sign(), body, purpose, headersForRetry: sign });
  }
}
