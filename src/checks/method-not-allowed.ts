/**
 * method-not-allowed: a method the path does not document is answered 405 with an Allow header
 * naming the documented ones. Documented where the operation lists 405; elsewhere, and for the
 * Allow header everywhere, it is HTTP's rule (RFC 9110 §15.5.6), a warning.
 */
import { convention, documented } from './basis.js';
import { judge } from './expectations.js';
import { probe } from './requests.js';
import type { Check } from './types.js';

const CANDIDATES = ['DELETE', 'PUT', 'PATCH', 'POST', 'GET'];

export const methodNotAllowed: Check = {
  name: 'method-not-allowed',
  title: 'An undocumented method on the path is answered 405 with Allow',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation, spec }) =>
    CANDIDATES.some((m) => !spec.methodsOfPath(operation.path).includes(m)) ? true : 'every method is documented on this path',
  start(ctx) {
    const allowed = ctx.spec.methodsOfPath(ctx.operation.path);
    const method = CANDIDATES.find((m) => !allowed.includes(m)) as string;
    const request = probe(ctx, {
      id: `method:${method}`,
      kind: 'foreign',
      purpose: `${method} ${ctx.operation.path} (undocumented method)`,
      change: (r) => ({ ...r, method, body: method === 'GET' || method === 'DELETE' ? undefined : (r.body ?? {}) }),
      expect: {
        statuses: [405],
        reason: `the path documents only ${allowed.join(', ')}`,
        basis: ctx.operation.responses.some((r) => r.status === '405')
          ? documented(ctx.operation, 'responses', '405')
          : convention('RFC 9110 §15.5.6: a method the resource does not support is answered 405'),
      },
    });
    return {
      async exercise(x) {
        const result = await x.send(request);
        if (!judge(ctx, result) || result.status !== 405) return;
        const allow = result.headers.allow;
        const listed = (allow ?? '')
          .split(',')
          .map((m) => m.trim().toUpperCase())
          .filter(Boolean);
        if (!allow || allowed.some((m) => !listed.includes(m)) || listed.includes(method)) {
          ctx.fail({
            message: '405 without an Allow header naming the documented methods',
            received: allow === undefined ? '(no Allow header)' : `Allow: ${allow}`,
            expected: `Allow: ${allowed.join(', ')} (RFC 9110 §15.5.6)`,
            basis: convention('RFC 9110 §15.5.6: a 405 response carries an Allow header listing the supported methods'),
            result,
          });
        }
      },
    };
  },
};
