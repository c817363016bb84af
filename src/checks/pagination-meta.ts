/**
 * pagination-meta: on every list response, count = data.length ≤ limit, offset and limit echo
 * the request (or the documented defaults), offset + count ≤ total_count, sort and order are
 * the requested (or default) ones, and no id repeats within the page.
 */
import { defaultOf, idOf, pageOf, queryOf } from './pagination.js';
import { probe } from './requests.js';
import type { Check } from './types.js';
import { show } from './util.js';

export const paginationMeta: Check = {
  name: 'pagination-meta',
  title: 'List meta is consistent with the page and echoes the request',
  severity: 'error',
  scope: 'operation',
  // Never negative probes: their parameters are broken on purpose, nothing is due to echo them.
  observes: ['documented', 'variant'],
  appliesTo: ({ operation }) => (operation.pagination ? true : 'not a paginated operation'),
  start(ctx) {
    const op = ctx.operation;
    let pages = 0;
    const defaults = {
      offset: Number(defaultOf(op, 'offset') ?? 0),
      limit: Number(defaultOf(op, 'limit') ?? 100),
      sort: defaultOf(op, 'sort'),
      order: defaultOf(op, 'order'),
    };
    return {
      async exercise(x) {
        await x.sendAll([
          probe(ctx, { id: 'meta:defaults', kind: 'variant', purpose: 'the list with no paging parameters (documented defaults apply)' }),
          probe(ctx, {
            id: 'meta:explicit',
            kind: 'variant',
            purpose: 'offset=1&limit=3',
            query: [
              ['offset', '1'],
              ['limit', '3'],
            ],
          }),
        ]);
      },
      observe(result) {
        const page = pageOf(result);
        if (!page) return;
        pages++;
        const query = queryOf(result);
        const offset = query.has('offset') ? Number(query.get('offset')) : defaults.offset;
        const limit = query.has('limit') ? Number(query.get('limit')) : defaults.limit;
        const assert = (ok: boolean, key: string, message: string, received: unknown, expected: string, pointer: string) => {
          if (!ok) ctx.fail({ key, message, received: show(received), expected, pointer, result });
        };
        const held = page.items.length;
        assert(
          page.count === held,
          'count',
          `meta.count is ${page.count} but the page holds ${held} items (${result.probe.purpose})`,
          page.count,
          `${held} (data.length)`,
          '/meta/count',
        );
        assert(held <= limit, 'over-limit', `the page holds ${held} items, more than limit=${limit}`, held, `at most ${limit}`, '/data');
        assert(
          page.offset === offset,
          'offset',
          `meta.offset does not echo the request (${result.probe.purpose})`,
          page.offset,
          `${offset}${query.has('offset') ? '' : ' (the default)'}`,
          '/meta/offset',
        );
        assert(
          page.limit === limit,
          'limit',
          `meta.limit does not echo the request (${result.probe.purpose})`,
          page.limit,
          `${limit}${query.has('limit') ? '' : ' (the documented default)'}`,
          '/meta/limit',
        );
        assert(
          page.offset + page.count <= page.totalCount,
          'total',
          'offset + count exceeds total_count',
          `${page.offset} + ${page.count} > ${page.totalCount}`,
          'offset + count ≤ total_count',
          '/meta/total_count',
        );
        // A full page short of the end must be full: otherwise items were skipped.
        const due = Math.max(0, Math.min(limit, page.totalCount - page.offset));
        assert(
          page.count === due,
          'short-page',
          `the page holds ${page.count} items where ${due} were due (offset ${page.offset}, limit ${limit}, total ${page.totalCount})`,
          page.count,
          String(due),
          '/meta/count',
        );
        for (const name of ['sort', 'order'] as const) {
          const requested = query.get(name) ?? defaults[name];
          if (page[name] === undefined || requested === undefined) continue;
          assert(
            page[name] === requested,
            name,
            `meta.${name} is not the ${query.has(name) ? 'requested' : 'default'} ${name}`,
            page[name],
            show(requested),
            `/meta/${name}`,
          );
        }
        const ids = page.items.map((item) => idOf(op, item));
        const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
        assert(repeated === undefined, 'duplicate-in-page', 'an id repeats within one page', repeated, 'distinct ids', '/data');
      },
      conclude() {
        ctx.stat('pagesChecked', pages);
      },
    };
  },
};
