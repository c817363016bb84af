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
