/**
 * auth: the target refuses what a production client must not be able to do: no bearer, a
 * bad bearer, a token without the operation's scope, no upvest-client-id, and (when requests
 * are signed) a missing or forged signature.
 */
import type { Check, Probe } from './types.js';
import { judge } from './expectations.js';
import { probe } from './requests.js';

export const auth: Check = {
  name: 'auth',
  title: 'Missing or wrong credentials, scopes, client id and signatures are refused',
  severity: 'error',
  appliesTo: (op) => (op.scopes.length > 0 ? true : 'the operation needs no credentials'),
  start(ctx) {
    const { operation: op, env } = ctx;
    const cases: Omit<Probe, 'owner'>[] = [
      probe(op, env, 'auth:no-bearer', 'no authorization header', (r) => ({ ...r, auth: { none: true } }), {
        expect: { statuses: [401], reason: 'a request without a bearer token is not authenticated' },
      }),
      probe(
        op,
        env,
        'auth:bad-bearer',
        'a bearer token the target never issued',
        (r) => ({ ...r, auth: { header: 'Bearer dXB2ZXN0LWNvbmZvcm1hbmNlLWludmFsaWQtdG9rZW4=' } }),
        { expect: { statuses: [401], reason: 'an unknown token is not authenticated' } },
      ),
      probe(
        op,
        env,
        'auth:no-client-id',
        'no upvest-client-id header',
        (r) => ({ ...r, headers: { ...r.headers, 'upvest-client-id': null } }),
        { expect: { statuses: [400, 401, 403], reason: 'upvest-client-id is a required header' } },
      ),
    ];
    if (env.foreignScopes) {
      const scopes = env.foreignScopes;
      cases.push(
        probe(op, env, 'auth:wrong-scope', `a token with only ${scopes.join(' ')}`, (r) => ({ ...r, auth: { scopes } }), {
          expect: { statuses: [403], reason: `the operation needs ${op.scopes.map((s) => s.join(' + ')).join(' or ')}` },
        }),
      );
    }
    if (env.signing) {
      cases.push(
        probe(op, env, 'auth:unsigned', 'no HTTP message signature', (r) => ({ ...r, signing: 'none' }), {
          expect: { statuses: [401], reason: 'signature and signature-input are required' },
        }),
        probe(op, env, 'auth:forged-signature', 'a signature that does not verify', (r) => ({ ...r, signing: 'tamper' }), {
          expect: { statuses: [401], reason: 'a forged signature must be refused' },
        }),
      );
    }
    return {
      async exercise(x) {
        const results = await x.sendAll(cases);
        let exercised = 0;
        for (const result of results) {
          if (result.error?.code === 'CT_ERR_AUTH_TOKEN') {
            // The client itself may not hold the foreign scope: the case cannot be tried here.
            ctx.excuse(result.probe.id, `not exercised: ${result.error.message}`);
            continue;
          }
          exercised++;
        }
        ctx.stat('cases', exercised);
      },
      observe(result) {
        if (result.probe.owner === 'auth') judge(ctx, result);
      },
    };
  },
};
