/**
 * auth: the target refuses what a production client must not be able to do: no bearer, a
 * bad bearer, a token without the operation's scope, no upvest-client-id, and (when requests
 * are signed) a missing or forged signature.
 */
import type { ApiRequest } from '../client/upvest-client.js';
import { judge } from './expectations.js';
import { probe } from './requests.js';
import type { Check, ProbeInput } from './types.js';

export const auth: Check = {
  name: 'auth',
  title: 'Missing or wrong credentials, scopes, client id and signatures are refused',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation }) => (operation.scopes.length > 0 ? true : 'the operation needs no credentials'),
  start(ctx) {
    const { operation: op } = ctx;
    const negative = (id: string, purpose: string, change: (r: ApiRequest) => ApiRequest, statuses: number[], reason: string) =>
      probe(ctx, { id, kind: 'negative', purpose, change, expect: { statuses, reason } });
    const cases: ProbeInput[] = [
      negative(
        'auth:no-bearer',
        'no authorization header',
        (r) => ({ ...r, auth: { none: true } }),
        [401],
        'a request without a bearer token is not authenticated',
      ),
      negative(
        'auth:bad-bearer',
        'a bearer token the target never issued',
        (r) => ({ ...r, auth: { header: 'Bearer dXB2ZXN0LWNvbmZvcm1hbmNlLWludmFsaWQtdG9rZW4=' } }),
        [401],
        'an unknown token is not authenticated',
      ),
      negative(
        'auth:no-client-id',
        'no upvest-client-id header',
        (r) => ({ ...r, headers: { ...r.headers, 'upvest-client-id': null } }),
        [400, 401, 403],
        'upvest-client-id is a required header',
      ),
    ];
    if (ctx.env.foreignScopes) {
      const scopes = ctx.env.foreignScopes;
      cases.push(
        negative(
          'auth:wrong-scope',
          `a token with only ${scopes.join(' ')}`,
          (r) => ({ ...r, auth: { scopes } }),
          [403],
          `the operation needs ${op.scopes.map((s) => s.join(' + ')).join(' or ')}`,
        ),
      );
    }
    if (ctx.env.signing) {
      cases.push(
        negative(
          'auth:unsigned',
          'no HTTP message signature',
          (r) => ({ ...r, signing: 'none' }),
          [401],
          'signature and signature-input are required',
        ),
        negative(
          'auth:forged-signature',
          'a signature that does not verify',
          (r) => ({ ...r, signing: 'tamper' }),
          [401],
          'a forged signature must be refused',
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
