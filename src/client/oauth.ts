/**
 * OAuth2 client credentials against the target's token endpoint (`/auth/token`, form-encoded
 * client_id, client_secret, grant_type, scope). Tokens are cached per scope set and refreshed
 * before they expire; concurrent callers share one token request.
 */
import { CrossOriginRedirectError, TokenRequestError } from '../errors.js';
import { fieldValueProblem } from './http-fields.js';
import { secrets } from './redact.js';
import type { HttpResponse } from './transport.js';

/** Send the token request (signed if the client signs); the caller builds method, headers and body. */
export type TokenRequestSender = (request: {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
  purpose: string;
}) => Promise<HttpResponse>;

export interface TokenProviderOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** A fixed bearer token: used for every scope set, the token endpoint is never called. */
  fixedToken?: string;
  tokenPath: string;
  send: TokenRequestSender;
  /** Refresh this long before expiry (bounded by a tenth of the lifetime). */
  refreshMarginMs?: number;
  now?: () => number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
  refreshAt: number;
  grantedScopes?: string;
}

export class TokenProvider {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();
  private readonly now: () => number;
  /** Token requests made, for tests and the run summary. */
  requests = 0;

  constructor(private readonly options: TokenProviderOptions) {
    this.now = options.now ?? Date.now;
    secrets.add(options.clientSecret);
    secrets.add(options.fixedToken);
  }

  static scopeKey(scopes: string[]): string {
    return [...new Set(scopes)].sort().join(' ');
  }

  /** Whether tokens can be had per scope set (not with a fixed token). */
  get scoped(): boolean {
    return !this.options.fixedToken;
  }

  async token(scopes: string[]): Promise<string> {
    if (this.options.fixedToken) return this.options.fixedToken;
    const key = TokenProvider.scopeKey(scopes);
    const cached = this.cache.get(key);
    if (cached && this.now() < cached.refreshAt) return cached.value;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetchToken(key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return (await pending).value;
  }

  invalidate(scopes: string[]): void {
    this.cache.delete(TokenProvider.scopeKey(scopes));
  }

  /** Forget every cached token: the target's clock was moved on, so what it issued may have expired there. */
  invalidateAll(): void {
    this.cache.clear();
  }

  private async fetchToken(scopeKey: string): Promise<CachedToken> {
    const { clientId, clientSecret, tokenPath, baseUrl } = this.options;
    const body = new URLSearchParams({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'client_credentials',
      scope: scopeKey,
    }).toString();
    this.requests++;
    const response = await this.options.send({
      method: 'POST',
      path: tokenPath,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      purpose: `token for scopes "${scopeKey}"`,
    });
    const at = `POST ${new URL(tokenPath, baseUrl).pathname}`;
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.location ?? '';
      const target = location ? new URL(location, baseUrl) : undefined;
      if (target && target.origin !== new URL(baseUrl).origin) {
        throw new CrossOriginRedirectError(
          `${at} → ${response.status} redirects to ${target.origin}; client credentials are never sent to another origin`,
        );
      }
      throw new TokenRequestError(
        `${at} → ${response.status} redirect to ${location || '(no location)'}; the token endpoint must answer directly`,
      );
    }
    if (response.status !== 200) {
      let detail = '';
      try {
        const problem = response.json<{ error?: string; error_description?: string; title?: string; detail?: string; type?: string }>();
        detail = [problem.error ?? problem.type, problem.error_description ?? problem.detail ?? problem.title].filter(Boolean).join(': ');
      } catch {
        detail = 'no readable error body';
      }
      throw new TokenRequestError(`${at} → ${response.status} for scopes "${scopeKey}" (${secrets.scrub(detail)})`, {
        details: { status: response.status, scopes: scopeKey },
        hint:
          response.status === 401
            ? 'Check --client-id and UPVEST_CLIENT_SECRET.'
            : response.status === 403 || response.status === 400
              ? `Check that the client may request the scopes "${scopeKey}".`
              : undefined,
      });
    }
    const token = response.json<{ access_token?: unknown; expires_in?: unknown; token_type?: unknown; scope?: unknown }>();
    if (typeof token.access_token !== 'string' || token.access_token === '') {
      throw new TokenRequestError(`${at} → 200 without an access_token`);
    }
    secrets.add(token.access_token);
    // It becomes a header value: one HTTP cannot carry would fail every request of the run.
    const problem = fieldValueProblem(`Bearer ${token.access_token}`);
    if (problem)
      throw new TokenRequestError(`${at} → 200 issued an access_token that cannot be sent as a bearer token: ${problem}`, {
        details: { status: 200, scopes: scopeKey },
        hint: 'The token endpoint answers a malformed token; check the target (or the proxy in front of it).',
      });
    const lifetimeMs = (typeof token.expires_in === 'number' && token.expires_in > 0 ? token.expires_in : 300) * 1000;
    const margin = Math.min(this.options.refreshMarginMs ?? 60_000, lifetimeMs / 10);
    const now = this.now();
    const cached: CachedToken = {
      value: token.access_token,
      expiresAt: now + lifetimeMs,
      refreshAt: now + lifetimeMs - margin,
      grantedScopes: typeof token.scope === 'string' ? token.scope : undefined,
    };
    this.cache.set(scopeKey, cached);
    return cached;
  }
}
