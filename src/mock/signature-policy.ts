/**
 * How the mock judges a request's HTTP message signature: as strictly as Upvest's own signers
 * allow, each rule from what they were seen to produce (test/fixtures/signing/) or from what
 * Upvest documents (spec/README.md, "Signature versions").
 *
 * - `upvest-signature-version` is required, `15` or `6`, and the signature must be of the
 *   version it names (a draft-15 request covering `digest`, or verifying only over the draft-06
 *   base, is refused, and the reverse).
 * - Covered, whatever the version: `@method`, `@path`; `@query` exactly when the URL has a query;
 *   the version's body digest (`content-digest` / `digest`) when there is a body; and each of the
 *   headers Upvest lists as signature components when the request carries it: authorization,
 *   upvest-client-id, idempotency-key, content-type, accept. Every Upvest signer covers all of
 *   them. `content-length` need not be covered (the proxy covers it only when its client sent
 *   one, so a chunked client's body is signed with the digest alone), but must match when it is.
 * - A `nonce` is required, and a key id + nonce is accepted once while its signature can still be
 *   valid (bounded memory, see NonceStore).
 * - `created` may be ahead of the mock's clock, and `expires` behind it, by the tolerance
 *   (`--signature-tolerance`, default 30 s); without `expires`, a signature older than 300 s is refused.
 */
import { NonceStore, SIGNATURE_VERSION_HEADER, verifyRequest, type KeyResolver, type VerifyOptions } from '../signing/index.js';

/** The headers Upvest's signature-component tables list (v6 and v15 "Signature components and metadata"). */
export const UPVEST_DOCUMENTED_HEADERS = ['authorization', 'upvest-client-id', 'idempotency-key', 'content-type', 'accept'];

export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 30;

export interface SignaturePolicyOptions {
  /** Public keys: when absent, signatures are only required (and their version header checked), not verified. */
  keys?: KeyResolver;
  toleranceSeconds?: number;
  /** Accept a nonce seen before (for load tools that resend captured requests). Default false. */
  allowNonceReuse?: boolean;
  maxNonces?: number;
}

export interface SignatureRefusal {
  step: string;
  message: string;
}

/** The verifier options of the mock's rules (without the nonce memory). */
export function strictVerifyOptions(toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS): VerifyOptions {
  return {
    versionHeader: 'require',
    requiredComponents: ['@method', '@path'],
    requiredWhenPresent: UPVEST_DOCUMENTED_HEADERS,
    strictQuery: true,
    requireNonce: true,
    clockSkewSeconds: toleranceSeconds,
  };
}

export class SignaturePolicy {
  private readonly nonces?: NonceStore;
  private readonly options: VerifyOptions;

  constructor(private readonly policy: SignaturePolicyOptions) {
    this.nonces = policy.allowNonceReuse ? undefined : new NonceStore({ maxEntries: policy.maxNonces });
    this.options = { ...strictVerifyOptions(policy.toleranceSeconds), nonces: this.nonces };
  }

  get verifies(): boolean {
    return this.policy.keys !== undefined;
  }

  /** Undefined when the request's signature is acceptable. */
  check(request: { method: string; url: string; headers: Record<string, string>; body: Buffer | null }): SignatureRefusal | undefined {
    const version = request.headers[SIGNATURE_VERSION_HEADER];
    if (!this.policy.keys) {
      if (version === undefined)
        return {
          step: 'signature-version',
          message:
            `the request has no ${SIGNATURE_VERSION_HEADER} header: ` +
            `send "${SIGNATURE_VERSION_HEADER}: 15" with a draft-15 signature (or 6 with a draft-06 one)`,
        };
      if (version.trim() !== '15' && version.trim() !== '6')
        return {
          step: 'signature-version',
          message: `${SIGNATURE_VERSION_HEADER} is ${JSON.stringify(version.slice(0, 40))}; Upvest knows 15 and 6`,
        };
      return undefined;
    }
    const verdict = verifyRequest(request, this.policy.keys, this.options);
    return verdict.ok ? undefined : { step: verdict.step, message: verdict.message };
  }
}
