/**
 * resource-availability: a resource just created is retrievable at once, and so are its
 * sub-resources (a rebalancing execution and its orders).
 */
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { SpecView } from '../spec/spec-view.js';
import { convention, documented } from './basis.js';
import { fillPath, probe, scopesFor } from './requests.js';
import type { Check } from './types.js';
import { show, valuesAt } from './util.js';

/** Operations reading the created resource: GET operations whose path extends the create path. */
function readers(spec: SpecView, createPath: string): ManifestOperation[] {
  return spec.manifest.operations.filter((o) => o.method === 'GET' && o.path.startsWith(`${createPath}/{`));
}

export const resourceAvailability: Check = {
  name: 'resource-availability',
  title: 'A created resource and its sub-resources can be read back at once',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation, spec }) =>
    operation.method === 'POST' && readers(spec, operation.path).length > 0 ? true : 'the operation creates nothing readable',
  start(ctx) {
    const op = ctx.operation;
    return {
      async exercise(x) {
        const created = await x.send(probe(ctx, { id: 'avail:create', kind: 'variant', purpose: 'create a resource' }));
        const id = (created.json as { id?: unknown } | undefined)?.id;
        if (created.status !== 200 || typeof id !== 'string') {
          if (!created.error) ctx.skip(`the create request was answered ${created.status}; nothing to read back`);
          return;
        }
        for (const reader of readers(ctx.spec, op.path)) {
          const name = /\{([^}]+)\}/.exec(reader.path.slice(op.path.length))?.[1] as string;
          const path = fillPath(reader.path, { [name]: id });
          const result = await x.send({
            id: `avail:${reader.operationId}`,
            kind: 'foreign',
            purpose: `${reader.key} of the created ${id}`,
            request: { method: 'GET', path, auth: { scopes: scopesFor(reader) } },
            pathParams: { [name]: id },
          });
          if (result.status !== 200) {
            ctx.fail({
              message: `${reader.key} of the resource just created was answered ${result.status}`,
              received: String(result.status),
              expected: '200: the created resource is readable at once',
              // The pages do not say how soon; read-after-write is what a client is built on.
              basis: convention('read-after-write: a resource whose id the create returned can be read with it'),
              result,
            });
            continue;
          }
          // Whatever the reader returns must name the created resource.
          const identity = reader.resourceIdentity.find((r) => r.parameter === name);
          if (!identity) continue;
          // Ids compare without case, as resource-identity compares them (a uuid is case-insensitive).
          const wrong = valuesAt(result.json, identity.pointer).find(
            ({ value }) => value !== undefined && String(value).toLowerCase() !== id.toLowerCase(),
          );
          if (wrong) {
            ctx.fail({
              message: `${reader.key} of the created resource returns another resource`,
              received: show(wrong.value),
              expected: show(id),
              pointer: wrong.pointer,
              basis: documented(reader, 'x-resource-identity'),
              result,
            });
          }
        }
      },
    };
  },
};
