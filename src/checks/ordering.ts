/**
 * ordering: for every documented sort field and order, the items are monotonic in that field;
 * without `order`, in the documented default. Enum fields may follow either the enum's
 * declared order or the alphabetical one (both are defensible; neither is documented).
 */
import { documented } from './basis.js';
import { defaultOf, enumOf, maxLimit, notAPage, pageOf } from './pagination.js';
import { probe } from './requests.js';
import type { Check } from './types.js';
import { enumOrder, inversion } from './list-order.js';
import { fieldOf, show } from './util.js';

export const ordering: Check = {
  name: 'ordering',
  title: 'Items are ordered by the requested sort field and order',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation }) =>
    operation.pagination && Object.keys(operation.pagination.sort).length > 0 ? true : 'the operation documents no sort',
  start(ctx) {
    const op = ctx.operation;
    const success = op.responses.find((r) => r.status === '200')?.contents[0]?.validator as string;
    const orders = enumOf(op, 'order').map(String);
    const limit = String(maxLimit(op));
    const cases = Object.entries(op.pagination?.sort ?? {}).flatMap(([field, pointer]) => [
      ...orders.map((order) => ({ field, pointer, order, explicit: true })),
      { field, pointer, order: String(defaultOf(op, 'order') ?? 'ASC'), explicit: false },
    ]);
    return {
      async exercise(x) {
        let compared = 0;
        let pages = 0;
        await Promise.all(
          cases.map(async (c) => {
            const query: [string, string][] = [
              ['sort', c.field],
              ['limit', limit],
            ];
            if (c.explicit) query.push(['order', c.order]);
            const result = await x.send(
              probe(ctx, {
                id: `order:${c.field}:${c.explicit ? c.order : 'default'}`,
                kind: 'variant',
                purpose: `sort=${c.field}${c.explicit ? `&order=${c.order}` : ' (default order)'}`,
                query,
              }),
            );
            const page = pageOf(result);
            if (!page) return notAPage(ctx, result);
            pages++;
            const values = page.items.map((item) => fieldOf(item, c.pointer));
            compared += values.length;
            const direction = c.order === 'DESC' ? -1 : 1;
            const declared = enumOrder(ctx.spec.storedSchema(success), c.pointer);
            const at = inversion(values, direction, declared);
            if (at >= 0) {
              ctx.fail({
                message: `items are not ${c.order === 'DESC' ? 'descending' : 'ascending'} by ${c.field} (${result.probe.purpose})`,
                received: `${show(values[at - 1])} before ${show(values[at])} at items ${at - 1} and ${at}`,
                expected:
                  `${c.field} ${c.order === 'DESC' ? 'non-increasing' : 'non-decreasing'}` +
                  (declared ? ' (alphabetically or in the enum order)' : ''),
                pointer: `/data/${at}${c.pointer}`,
                basis: documented(op, 'parameters', c.explicit ? 'order' : 'sort'),
                result,
              });
            }
          }),
        );
        // Only pages that came tell an empty list; without any, the reason is the answers' (notAPage).
        if (pages > 0 && compared === 0) ctx.skip('the list is empty: there is no order to check');
        ctx.stat('itemsCompared', compared);
      },
    };
  },
};
