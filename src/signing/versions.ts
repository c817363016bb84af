/**
 * The two versions of HTTP Message Signatures Upvest uses, and how a request names its version.
 *
 * Upvest, "Choosing HTTP message signature versions": API calls to Upvest are signed with
 * draft-15 (recommended) or draft-06 (supported); webhooks from Upvest are signed with draft-06
 * only. "Upgrading signatures v6 to v15": a draft-15 request carries `upvest-signature-version: 15`;
 * "HTTP signatures": draft-06 "is the default algorithm that the Investment API uses", i.e. what
 * a request without the header is read as. Upvest's draft-06 signer (httpsignature-proxy v1.3.8)
 * sends no version header; its draft-15 signers (v1.3.9 and later, and the JavaScript and Python
 * examples) send `15`, never covered by the signature.
 */
export type SignatureVersion = '15' | '6';

export const SIGNATURE_VERSIONS: readonly SignatureVersion[] = ['15', '6'];

export const SIGNATURE_VERSION_HEADER = 'upvest-signature-version';

export const DRAFT_NAME: Record<SignatureVersion, string> = {
  '15': 'draft-ietf-httpbis-message-signatures-15',
  '6': 'draft-ietf-httpbis-message-signatures-06',
};

/** `15` or `6` (also `06`, `v6`, `v15`, `draft-06`, …); undefined for anything else. */
export function parseSignatureVersion(value: string | undefined): SignatureVersion | undefined {
  const match = /^\s*(?:v|draft-?)?0*(15|6)\s*$/i.exec(value ?? '');
  return match ? (match[1] as SignatureVersion) : undefined;
}

/** The header that carries a request's body digest in each version. */
export const BODY_DIGEST: Record<SignatureVersion, 'content-digest' | 'digest'> = { '15': 'content-digest', '6': 'digest' };
