/** resource-identity: a response belongs to the resource its path names (x-resource-identity in the spec). */
import { documented } from './basis.js';
import type { Check } from './types.js';
import { pathParamsOf, show, valuesAt } from './util.js';

export const resourceIdentity: Check = {
  name: 'resource-identity',
  title: 'A response belongs to the resource its path names',
  severity: 'error',
  scope: 'operation',
  observes: ['documented', 'variant', 'replay'],
  appliesTo: ({ operation }) => (operation.resourceIdentity.length > 0 ? true : 'the operation names no resource in its path'),
  start(ctx) {
    return {
      observe(result) {
        if (result.status !== 200) return;
        const params = pathParamsOf(result);
        for (const identity of ctx.operation.resourceIdentity) {
          const requested = params[identity.parameter];
          if (!requested) continue;
          // A missing field is response-schema's finding; only a value that names another resource is this one's.
          const wrong = valuesAt(result.json, identity.pointer).find(
            ({ value }) => value !== undefined && String(value).toLowerCase() !== requested.toLowerCase(),
          );
          if (!wrong) continue;
          ctx.fail({
            key: identity.pointer,
            basis: documented(ctx.operation, 'x-resource-identity'),
            message: `the response holds a resource of another ${identity.parameter} (${result.probe.purpose})`,
            received: show(wrong.value),
            expected: `${requested} (the ${identity.parameter} in the path)`,
            pointer: wrong.pointer,
            result,
          });
        }
      },
    };
  },
};
