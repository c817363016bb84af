/**
 * auth: the target refuses what a production client must not be able to do: no bearer, a
 * bad bearer, a token without the operation's scope, no upvest-client-id, and (when requests
 * are signed) a missing or forged signature. A request missing a required header may be
 * refused with any documented refusal (400, 401, 403): preferring one is not documented. A
 * signature accepted unverified is an error only where the run expects verification
 * (--expect-signature-verification; on by itself against *.upvest.co); many mocks do not verify.
 */
import type { ApiRequest } from '../client/upvest-client.js';
import { convention, documented } from './basis.js';
import { documentedRefusals, judge } from './expectations.js';
import { probe } from './requests.js';
import type { Check, Expectation, ProbeInput } from './types.js';

/**
 * How to take away or break each credential header alone, the rest of the request intact. The
 * whole header set (no bearer, unsigned, no client id) is tried above; these add the halves a
 * target can forget to check: a signature without its signature-input and the reverse, a
 * client id or bearer that is there but malformed.
 */
const ONE_AT_A_TIME: Record<string, { signed?: boolean; remove?: (r: ApiRequest) => ApiRequest; malform?: (r: ApiRequest) => ApiRequest }> =
  {
    authorization: { malform: (r) => ({ ...r, auth: { header: 'Basic dXB2ZXN0LWNvbmZvcm1hbmNl' } }) },
    'upvest-client-id': { malform: (r) => ({ ...r, headers: { ...r.headers, 'upvest-client-id': 'not-a-client-id' } }) },
    signature: { signed: true, remove: (r) => ({ ...r, afterSigning: { signature: null } }) },
    'signature-input': {
      signed: true,
      remove: (r) => ({ ...r, afterSigning: { 'signature-input': null } }),
      malform: (r) => ({ ...r, afterSigning: { 'signature-input': 'sig1=(' } }),
    },
  };

export const auth: Check = {
  name: 'auth',
  title: 'Missing or wrong credentials, scopes, client id and signatures are refused',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation }) => (operation.scopes.length > 0 ? true : 'the operation needs no credentials'),
  start(ctx) {
    const { operation: op, env } = ctx;
    const negative = (id: string, purpose: string, change: (r: ApiRequest) => ApiRequest, expect: Expectation) =>
      probe(ctx, { id, kind: 'negative', purpose, change, expect });
    const refusals = documentedRefusals(op);
    /** A required header left out: any refusal answers it (status-code reports one the operation does not document). */
    const missingHeader = (header: string, reason: string): Expectation => ({
      statuses: refusals,
      anyRefusal: true,
      reason,
      basis: documented(op, 'parameters', header),
    });
    const cases: ProbeInput[] = [
      negative(
        'auth:no-bearer',
        'no authorization header',
        (r) => ({ ...r, auth: { none: true } }),
        missingHeader('authorization', 'authorization is a required header'),
      ),
      negative(
        'auth:bad-bearer',
        'a bearer token the target never issued',
        (r) => ({ ...r, auth: { header: 'Bearer dXB2ZXN0LWNvbmZvcm1hbmNlLWludmFsaWQtdG9rZW4=' } }),
        {
          statuses: [401],
          reason: 'an unknown token is not authenticated ("The caller has not been authenticated")',
          basis: documented(op, 'responses', '401'),
        },
      ),
      negative(
        'auth:no-client-id',
        'no upvest-client-id header',
        (r) => ({ ...r, headers: { ...r.headers, 'upvest-client-id': null } }),
        missingHeader('upvest-client-id', 'upvest-client-id is a required header'),
      ),
    ];
    if (env.foreignScopes) {
      const scopes = env.foreignScopes;
      cases.push(
        negative('auth:wrong-scope', `a token with only ${scopes.join(' ')}`, (r) => ({ ...r, auth: { scopes } }), {
          statuses: [403],
          reason: `the operation needs ${op.scopes.map((s) => s.join(' + ')).join(' or ')} ("authenticated but not allowed")`,
          basis: documented(op, 'responses', '403'),
        }),
      );
    }
    if (env.signing) {
      // Verifying is what makes the signature headers required; whether a target does is the user's to expect.
      const signature = (reason: string): Expectation => ({
        statuses: refusals,
        anyRefusal: true,
        reason,
        ...(env.expectSignatureVerification
          ? { basis: documented(op, 'parameters', 'signature'), severity: 'error' as const }
          : { basis: convention('a target that verifies signatures refuses this; give --expect-signature-verification to require it') }),
      });
      cases.push(
        negative(
          'auth:unsigned',
          'no HTTP message signature',
          (r) => ({ ...r, signing: 'none' }),
          signature('signature and signature-input are required'),
        ),
        negative(
          'auth:forged-signature',
          'a signature that does not verify',
          (r) => ({ ...r, signing: 'tamper' }),
          signature('a forged signature must be refused'),
        ),
      );
    }
    // One at a time: each required credential header of the manifest removed or broken alone.
    for (const header of op.parameters.filter((p) => p.in === 'header' && p.required)) {
      const one = ONE_AT_A_TIME[header.name];
      if (!one || (one.signed && !env.signing)) continue;
      const expect = (reason: string): Expectation =>
        one.signed
          ? {
              statuses: refusals,
              anyRefusal: true,
              reason,
              ...(env.expectSignatureVerification
                ? { basis: documented(op, 'parameters', header.name), severity: 'error' as const }
                : {
                    basis: convention('a target that verifies signatures refuses this; give --expect-signature-verification to require it'),
                  }),
            }
          : { statuses: refusals, anyRefusal: true, reason, basis: documented(op, 'parameters', header.name) };
      if (one.remove) {
        cases.push(
          negative(
            `auth:${header.name}:removed`,
            `the ${header.name} header removed alone`,
            one.remove,
            expect(`${header.name} is a required header`),
          ),
        );
      }
      if (one.malform) {
        cases.push(
          negative(
            `auth:${header.name}:malformed`,
            `the ${header.name} header malformed alone`,
            one.malform,
            expect(`${header.name} breaks its documented form`),
          ),
        );
      }
    }
    return {
      async exercise(x) {
        let exercised = 0;
        for (const result of await x.sendAll(cases)) {
          if (result.error?.code === 'CT_ERR_AUTH_TOKEN') {
            // The client itself may not hold the foreign scope: the case cannot be tried here.
            ctx.excuse(result.probe.id, `not exercised: ${result.error.message}`);
            continue;
          }
          exercised++;
          judge(ctx, result);
        }
        ctx.stat('cases', exercised);
      },
    };
  },
};
