/** not-found: an unknown but well-formed id in each path parameter is answered 404. */
import { documented } from './basis.js';
import { judge } from './expectations.js';
import { probe } from './requests.js';
import type { Check } from './types.js';

/** Well-formed (a v4 UUID) and, in practice, never assigned. */
export const UNKNOWN_ID = 'f0f0f0f0-dead-4bad-8bad-0123456789ab';

export const notFound: Check = {
  name: 'not-found',
  title: 'An unknown but well-formed id is answered 404',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation }) => (operation.parameters.some((p) => p.in === 'path') ? true : 'the operation has no path parameter'),
  start(ctx) {
    const cases = ctx.operation.parameters
      .filter((p) => p.in === 'path')
      .map((p) =>
        probe(ctx, {
          id: `not-found:${p.name}`,
          kind: 'negative',
          purpose: `${p.name}=${UNKNOWN_ID} (well-formed, unknown)`,
          pathParams: { [p.name]: UNKNOWN_ID },
          expect: {
            statuses: [404],
            reason: `no resource has ${p.name} ${UNKNOWN_ID}`,
            basis: documented(ctx.operation, 'responses', '404'),
          },
        }),
      );
    return {
      async exercise(x) {
        for (const result of await x.sendAll(cases)) judge(ctx, result);
      },
    };
  },
};
