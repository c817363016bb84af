/** not-acceptable: a request that accepts only HTML is answered 406. */
import { documented } from './basis.js';
import { judge } from './expectations.js';
import { probe } from './requests.js';
import type { Check } from './types.js';

export const notAcceptable: Check = {
  name: 'not-acceptable',
  title: 'Accept: text/html is answered 406',
  severity: 'error',
  scope: 'operation',
  appliesTo: () => true,
  start(ctx) {
    const request = probe(ctx, {
      id: 'accept:text/html',
      kind: 'negative',
      purpose: 'Accept: text/html only',
      change: (r) => ({ ...r, headers: { ...r.headers, accept: 'text/html' } }),
      expect: {
        statuses: [406],
        reason: 'the resource has only a JSON representation',
        basis: documented(ctx.operation, 'responses', '406'),
      },
    });
    return {
      async exercise(x) {
        judge(ctx, await x.send(request));
      },
    };
  },
};
