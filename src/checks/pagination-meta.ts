/**
 * pagination-meta: on every list response, count = data.length ≤ limit, offset and limit echo
 * the request (or the documented defaults), total_count covers what the page holds
 * (offset + data.length ≤ total_count), sort and order are the requested (or default) ones,
 * and no id repeats within the page. Never judged on negative probes: their parameters are
 * broken on purpose. That a page short of the end is full is a convention: limit is documented
 * as a maximum.
 */
import { convention, documented, documentedAt } from './basis.js';
import { schemaValueCause } from './causes.js';
import { defaultOf, enumOf, idOf, missingIdsReason, pageOf, queryOf } from './pagination.js';
import { probe } from './requests.js';
import type { Basis, Check } from './types.js';
import { show } from './util.js';

const META = '#/components/schemas/ListMeta/properties';

export const paginationMeta: Check = {
  name: 'pagination-meta',
  title: 'List meta is consistent with the page and echoes the request',
  severity: 'error',
  scope: 'operation',
  observes: ['documented', 'variant'],
  appliesTo: ({ operation }) => (operation.pagination ? true : 'not a paginated operation'),
  start(ctx) {
    const op = ctx.operation;
    let pages = 0;
    let idsMissing: string | undefined;
    const defaults = {
      offset: Number(defaultOf(op, 'offset') ?? 0),
      limit: Number(defaultOf(op, 'limit') ?? 100),
      sort: defaultOf(op, 'sort'),
      order: defaultOf(op, 'order'),
    };
    const meta = (field: string): Basis => documentedAt(`${META}/${field}`, op.source);
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
        const assert = (ok: boolean, key: string, basis: Basis, message: string, received: unknown, expected: string, pointer: string) => {
          // A value the schema refuses is response-schema's finding already: one cause, one finding.
          const refused = (key === 'sort' || key === 'order') && !enumOf(op, key).includes(received as string);
          if (!ok)
            ctx.fail({
              key,
              basis,
              message,
              received: show(received),
              expected,
              pointer,
              result,
              ...(refused ? { cause: schemaValueCause(200, pointer) } : {}),
            });
        };
        const held = page.items.length;
        assert(
          page.count === held,
          'count',
          meta('count'),
          `meta.count is ${page.count} but the page holds ${held} items (${result.probe.purpose})`,
          page.count,
          `${held} (data.length)`,
          '/meta/count',
        );
        assert(
          held <= limit,
          'over-limit',
          documented(op, 'parameters', 'limit'),
          `the page holds ${held} items, more than limit=${limit}`,
          held,
          `at most ${limit}`,
          '/data',
        );
        assert(
          page.offset === offset,
          'offset',
          meta('offset'),
          `meta.offset does not echo the request (${result.probe.purpose})`,
          page.offset,
          `${offset}${query.has('offset') ? '' : ' (the default)'}`,
          '/meta/offset',
        );
        assert(
          page.limit === limit,
          'limit',
          meta('limit'),
          `meta.limit does not echo the request (${result.probe.purpose})`,
          page.limit,
          `${limit}${query.has('limit') ? '' : ' (the documented default)'}`,
          '/meta/limit',
        );
        // What the page holds is part of the whole: judged on data.length, never on meta.count.
        assert(
          held === 0 || offset + held <= page.totalCount,
          'total',
          meta('total_count'),
          `total_count ${page.totalCount} is less than what this page reaches (offset ${offset} + ${held} items)`,
          page.totalCount,
          `at least ${offset + held}`,
          '/meta/total_count',
        );
        // A page short of the end holds `limit` items by convention; the documentation calls limit a maximum.
        const due = Math.max(0, Math.min(limit, page.totalCount - offset));
        assert(
          held >= due,
          'short-page',
          convention('a page short of the end of the list is full (limit items), or items are skipped'),
          `the page holds ${held} items where ${due} were due (offset ${offset}, limit ${limit}, total ${page.totalCount})`,
          held,
          String(due),
          '/data',
        );
        for (const name of ['sort', 'order'] as const) {
          const requested = query.get(name) ?? defaults[name];
          if (page[name] === undefined || requested === undefined) continue;
          // "if the sort parameter is specified": an order requested without it may not apply, nor be echoed.
          const requires = op.parameters.find((p) => p.in === 'query' && p.name === name)?.requires ?? [];
          if (query.has(name) && requires.some((other) => !query.has(other))) continue;
          assert(
            page[name] === requested,
            name,
            meta(name),
            `meta.${name} is not the ${query.has(name) ? 'requested' : 'default'} ${name}`,
            page[name],
            show(requested),
            `/meta/${name}`,
          );
        }
        // Without ids, "an id repeats" cannot be judged: abstain, and say why once.
        const missing = missingIdsReason(op, page.items);
        if (missing) {
          idsMissing ??= missing;
          return;
        }
        const ids = page.items.map((item) => idOf(op, item));
        const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
        assert(
          repeated === undefined,
          'duplicate-in-page',
          documented(op, 'x-pagination', 'id'),
          'an id repeats within one page',
          repeated,
          'distinct ids',
          '/data',
        );
      },
      conclude() {
        ctx.stat('pagesChecked', pages);
        if (idsMissing) ctx.stat('notJudged', `repeated ids: ${idsMissing}`);
      },
    };
  },
};
