/**
 * idempotency: the same idempotency-key with the same body yields the same resource, as the
 * documentation says ("This prevents a duplicate request from being replayed"); a new key a new
 * one. The same key with a different body: the documentation is silent; refusing it is common
 * practice, so accepting it is a warning.
 */
import { convention, documented } from './basis.js';
import { newIdempotencyKey, probe } from './requests.js';
import type { Check, ProbeKind } from './types.js';
import { show } from './util.js';

const idOf = (json: unknown) => (json && typeof json === 'object' ? (json as { id?: unknown }).id : undefined);

export const idempotency: Check = {
  name: 'idempotency',
  title: 'A replayed idempotency-key returns the same resource; a new key creates a new one',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation }) =>
    operation.parameters.some((p) => p.name === 'idempotency-key') ? true : 'the operation takes no idempotency-key',
  start(ctx) {
    const op = ctx.operation;
    const key = newIdempotencyKey();
    const send = (id: string, kind: ProbeKind, purpose: string, idempotencyKey: string, body?: unknown) =>
      probe(ctx, { id, kind, purpose, change: (r) => ({ ...r, idempotencyKey, ...(body !== undefined ? { body } : {}) }) });
    return {
      async exercise(x) {
        const first = await x.send(send('idem:first', 'variant', 'create with key K', key));
        if (first.status !== 200) {
          if (!first.error) ctx.skip(`the create request was answered ${first.status}; idempotency cannot be tried`);
          return;
        }
        const replay = await x.send(send('idem:replay', 'replay', 'the same request again with key K', key));
        const fresh = await x.send(send('idem:new-key', 'variant', 'the same body with a new key', newIdempotencyKey()));
        const body = ctx.env.requestBody as Record<string, unknown[]>;
        const [field] = Object.keys(body);
        const changed = { [field]: [...body[field], 'c1f2a3b4-0000-4000-8000-00000000beef'] };
        const conflict = await x.send(send('idem:other-body', 'negative', 'key K with a different body', key, changed));
        const created = idOf(first.json);
        ctx.stat('createdId', typeof created === 'string' ? created : null);
        if (replay.status !== 200 || idOf(replay.json) !== created) {
          ctx.fail({
            message: 'replaying key K did not return the resource it created',
            received: `${replay.status} ${show(idOf(replay.json))}`,
            expected: `200 with id ${show(created)}`,
            pointer: '/id',
            basis: documented(op, 'parameters', 'idempotency-key'),
            result: replay,
          });
        }
        if (fresh.status === 200 && idOf(fresh.json) === created) {
          ctx.fail({
            message: 'a new idempotency-key returned the resource of another key',
            received: show(idOf(fresh.json)),
            expected: `an id other than ${show(created)}`,
            pointer: '/id',
            basis: documented(op, 'parameters', 'idempotency-key'),
            result: fresh,
          });
        }
        if (conflict.status !== undefined && (conflict.status < 400 || conflict.status >= 500)) {
          ctx.fail({
            message: 'key K reused with a different body was accepted',
            received: `${conflict.status} ${show(idOf(conflict.json))}`,
            expected: 'a 4xx: an idempotency-key stands for one request',
            basis: convention('draft-ietf-httpapi-idempotency-key-header, "Error Scenarios": a key reused with another payload is refused'),
            result: conflict,
          });
        }
      },
    };
  },
};
