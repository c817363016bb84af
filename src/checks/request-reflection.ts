/**
 * request-reflection: a resource created through the API shows what it was asked for: the
 * retrieved execution lists the accounts the trigger named, each of its orders is for one of
 * them (x-reflects in the spec). Read back at once; side-effects reads it again once the
 * orders have progressed, where the provider's clock can be moved.
 */
import { documented } from './basis.js';
import { reflectionProblem } from './reflection.js';
import { fillPath, probe, scopesFor } from './requests.js';
import type { Check } from './types.js';

export const requestReflection: Check = {
  name: 'request-reflection',
  title: 'A created resource and its sub-resources show what the request asked for',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation }) => ((operation.reflects?.length ?? 0) > 0 ? true : 'the spec ties nothing it creates to its request'),
  start(ctx) {
    const op = ctx.operation;
    return {
      async exercise(x) {
        const created = await x.send(probe(ctx, { id: 'reflect:create', kind: 'variant', purpose: 'create a resource to read back' }));
        const id = (created.json as { id?: unknown } | undefined)?.id;
        if (created.status !== 200 || typeof id !== 'string') {
          if (!created.error) ctx.skip(`the create request was answered ${created.status}; nothing to read back`);
          return;
        }
        for (const reflection of op.reflects ?? []) {
          const reader = ctx.spec.operation(reflection.reader);
          const name = /\{([^}]+)\}/.exec(reader.path.slice(op.path.length))?.[1] as string;
          const result = await x.send({
            id: `reflect:${reader.operationId}`,
            kind: 'foreign',
            purpose: `${reader.key} of the created ${id}`,
            request: { method: 'GET', path: fillPath(reader.path, { [name]: id }), auth: { scopes: scopesFor(reader) } },
            pathParams: { [name]: id },
          });
          // A reader that cannot read it is resource-availability's finding.
          if (result.status !== 200) continue;
          const problem = reflectionProblem(reflection, created.probe.request.body, result.json);
          if (!problem) continue;
          ctx.fail({
            key: `${reader.operationId} ${reflection.response}`,
            message: `${reader.key} of the resource just created: ${problem.message}`,
            received: problem.received,
            expected: problem.expected,
            basis: documented(op, 'x-reflects'),
            result,
          });
        }
      },
    };
  },
};
