/**
 * pagination-meta: on every list response, count = data.length ≤ limit, offset and limit echo
 * the request (or the documented defaults), offset + count ≤ total_count, sort and order are
 * the requested (or default) ones, and no id repeats within the page.
 */
import type { Check, ProbeResult } from './types.js';
import { defaultOf, idOf, pageOf, queryOf } from './pagination.js';
import { probe } from './requests.js';
import { show } from './util.js';

export const paginationMeta: Check = {
  name: 'pagination-meta',
  title: 'List meta is consistent with the page and echoes the request',
  severity: 'error',
  appliesTo: (op) => (op.pagination ? true : 'not a paginated operation'),
  start(ctx) {
    const op = ctx.operation;
    const reported = new Set<string>();
    let pages = 0;
    const check = (
      ok: boolean,
      key: string,
      message: string,
      received: unknown,
      expected: string,
      pointer: string,
      result: ProbeResult,
    ) => {
      if (ok || reported.has(key)) return;
      reported.add(key);
      ctx.fail({ message, received: show(received), expected, pointer, result });
    };
    const defaults = {
      offset: Number(defaultOf(op, 'offset') ?? 0),
      limit: Number(defaultOf(op, 'limit') ?? 100),
      sort: defaultOf(op, 'sort'),
      order: defaultOf(op, 'order'),
    };
    return {
      async exercise(x) {
        await x.sendAll([
          probe(op, ctx.env, 'meta:defaults', 'the list with no paging parameters (documented defaults apply)'),
          probe(op, ctx.env, 'meta:explicit', 'offset=1&limit=3', (r) => r, {
            query: [
              ['offset', '1'],
              ['limit', '3'],
            ],
          }),
        ]);
      },
      observe(result) {
        const page = pageOf(result);
        if (!page || result.probe.foreign) return;
        pages++;
        const query = queryOf(result);
        const offset = query.has('offset') ? Number(query.get('offset')) : defaults.offset;
        const limit = query.has('limit') ? Number(query.get('limit')) : defaults.limit;
        check(
          page.count === page.items.length,
          'count',
          `meta.count is ${page.count} but the page holds ${page.items.length} items (${result.probe.purpose})`,
          page.count,
          `${page.items.length} (data.length)`,
          '/meta/count',
          result,
        );
        check(
          page.items.length <= limit,
          'over-limit',
          `the page holds ${page.items.length} items, more than limit=${limit}`,
          page.items.length,
          `at most ${limit}`,
          '/data',
          result,
        );
        check(
          page.offset === offset,
          'offset',
          `meta.offset does not echo the request (${result.probe.purpose})`,
          page.offset,
          `${offset}${query.has('offset') ? '' : ' (the default)'}`,
          '/meta/offset',
          result,
        );
        check(
          page.limit === limit,
          'limit',
          `meta.limit does not echo the request (${result.probe.purpose})`,
          page.limit,
          `${limit}${query.has('limit') ? '' : ' (the documented default)'}`,
          '/meta/limit',
          result,
        );
        check(
          page.offset + page.count <= page.totalCount,
          'total',
          `offset + count exceeds total_count`,
          `${page.offset} + ${page.count} > ${page.totalCount}`,
          `offset + count ≤ total_count`,
          '/meta/total_count',
          result,
        );
        // A full page short of the end must be full: otherwise items were skipped.
        const expectedCount = Math.max(0, Math.min(limit, page.totalCount - page.offset));
        check(
          page.count === expectedCount,
          'short-page',
          `the page holds ${page.count} items where ${expectedCount} were due ` +
            `(offset ${page.offset}, limit ${limit}, total ${page.totalCount})`,
          page.count,
          String(expectedCount),
          '/meta/count',
          result,
        );
        for (const name of ['sort', 'order'] as const) {
          const requested = query.get(name) ?? defaults[name];
          if (page[name] !== undefined && requested !== undefined)
            check(
              page[name] === requested,
              name,
              `meta.${name} is not the ${query.has(name) ? 'requested' : 'default'} ${name}`,
              page[name],
              show(requested),
              `/meta/${name}`,
              result,
            );
        }
        const ids = page.items.map((item) => idOf(op, item));
        const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
        check(repeated === undefined, 'duplicate-in-page', 'an id repeats within one page', repeated, 'distinct ids', '/data', result);
      },
      conclude() {
        ctx.stat('pagesChecked', pages);
      },
    };
  },
};
