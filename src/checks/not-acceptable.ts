/** not-acceptable: a request that accepts only HTML is answered 406. */
import type { Check } from './types.js';
import { judge } from './expectations.js';
import { probe } from './requests.js';

export const notAcceptable: Check = {
  name: 'not-acceptable',
  title: 'Accept: text/html is answered 406',
  severity: 'error',
  appliesTo: () => true,
  start(ctx) {
    const request = probe(
      ctx.operation,
      ctx.env,
      'accept:text/html',
      'Accept: text/html only',
      (r) => ({ ...r, headers: { ...r.headers, accept: 'text/html' } }),
      {
        expect: { statuses: [406], reason: 'the resource has only a JSON representation' },
      },
    );
    return {
      async exercise(x) {
        await x.send(request);
      },
      observe(result) {
        if (result.probe.owner === 'not-acceptable') judge(ctx, result);
      },
    };
  },
};
