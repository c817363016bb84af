/**
 * pagination-traversal: walking every page at a small limit yields exactly total_count distinct
 * ids, without duplicates or gaps, the same items in the same order as large pages, and a
 * total_count that does not change between pages. Only ids are kept, never whole pages.
 */
import { convention, documented, documentedAt } from './basis.js';
import { idOf, maxLimit, missingIdsReason, notAPage, pageOf } from './pagination.js';
import { probe } from './requests.js';
import type { Basis, Check, ProbeInput, ProbeResult } from './types.js';

interface Walk {
  ids: string[];
  totals: Set<number>;
  pages: number;
  /** Why the ids cannot be compared (items without an id), if so. */
  idsMissing?: string;
}

export const paginationTraversal: Check = {
  name: 'pagination-traversal',
  title: 'Walking every page yields every item exactly once, as large pages do',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation }) => (operation.pagination ? true : 'not a paginated operation'),
  start(ctx) {
    const op = ctx.operation;
    const largest = maxLimit(op);

    /**
     * Every page at `limit`: the first tells total_count, the others are sent together (the
     * run's limiter bounds them) and reduced to their ids as they arrive; no page is kept.
     */
    const walk = async (
      send: (p: ProbeInput) => Promise<ProbeResult>,
      limit: number,
      label: string,
      maxPages: number,
    ): Promise<Walk | undefined> => {
      const result: Walk = { ids: [], totals: new Set(), pages: 0 };
      const pageAt = (offset: number) =>
        probe(ctx, {
          id: `walk:${label}:${offset}`,
          kind: 'variant',
          purpose: `page at offset=${offset}, limit=${limit}`,
          query: [
            ['offset', String(offset)],
            ['limit', String(limit)],
          ],
        });
      const idsByPage: string[][] = [];
      let broken = false;
      let idsMissing: string | undefined;
      const read = (response: ProbeResult, index: number, offset: number): number | undefined => {
        const page = pageOf(response);
        if (!page) {
          // A transport error is the engine's to report; a wrong answer is ours.
          if (!response.error)
            ctx.fail({
              message: `the page at offset ${offset} is not a list page`,
              received: String(response.status),
              expected: '200 with meta and data',
              basis: documented(op, 'responses', '200'),
              result: response,
            });
          broken = true;
          return undefined;
        }
        result.pages++;
        result.totals.add(page.totalCount);
        idsMissing ??= missingIdsReason(op, page.items);
        idsByPage[index] = page.items.map((item) => idOf(op, item) ?? '');
        return page.totalCount;
      };
      const total = read(await send(pageAt(0)), 0, 0);
      if (total === undefined) return undefined;
      const pages = Math.min(Math.ceil(total / limit), maxPages);
      await Promise.all(
        Array.from({ length: Math.max(0, pages - 1) }, (_, i) =>
          send(pageAt((i + 1) * limit)).then((r) => read(r, i + 1, (i + 1) * limit)),
        ),
      );
      if (broken) return undefined;
      if (idsMissing) {
        result.idsMissing = idsMissing;
        return result;
      }
      for (const ids of idsByPage) result.ids.push(...(ids ?? []));
      return result;
    };

    return {
      async exercise(x) {
        const sized = await x.send(probe(ctx, { id: 'walk:size', kind: 'variant', purpose: 'learn total_count', query: [['limit', '1']] }));
        const first = pageOf(sized);
        if (!first) return notAPage(ctx, sized);
        const total = first.totalCount;
        if (total === 0) return ctx.skip('total_count is 0: there is nothing to walk');
        // A target that invents total_count must not send the walk on for ever.
        if (total > ctx.env.maxPages * largest)
          return ctx.skip(
            `total_count ${total} is more than --max-pages ${ctx.env.maxPages} pages of ${largest} items: the list cannot be walked`,
          );
        // Walk at the small limit, raised so the walk stays within max pages.
        const small = Math.min(largest, Math.max(ctx.env.pageLimit, Math.ceil(total / ctx.env.maxPages)));
        const large = largest;
        const bySmall = await walk((p) => x.send(p), small, 'small', ctx.env.maxPages + 1);
        const byLarge = await walk((p) => x.send(p), large, 'large', ctx.env.maxPages + 1);
        if (!bySmall || !byLarge) return;
        ctx.stat('total', total);
        ctx.stat('smallLimit', small);
        ctx.stat('pagesWalked', bySmall.pages + byLarge.pages);
        // Without ids the walk cannot tell items apart: abstain rather than derive false statements.
        const idsMissing = bySmall.idsMissing ?? byLarge.idsMissing;
        if (idsMissing) return ctx.skip(`not judged: ${idsMissing}`);
        const fail = (message: string, received: string, expected: string, basis: Basis) =>
          ctx.fail({ message, received, expected, basis });
        const offsets = documented(op, 'parameters', 'offset');
        if (bySmall.totals.size > 1 || !bySmall.totals.has(total))
          fail(
            `total_count changed while walking at limit ${small}`,
            [...bySmall.totals].join(', '),
            `${total} on every page`,
            convention('a list that does not change while it is walked keeps its total_count'),
          );
        const seen = new Set<string>();
        const duplicates = bySmall.ids.filter((id) => {
          if (seen.has(id)) return true;
          seen.add(id);
          return false;
        });
        if (duplicates.length > 0)
          fail(
            `${duplicates.length} id(s) appear on more than one page at limit ${small}`,
            duplicates.slice(0, 3).join(', '),
            'each item on exactly one page',
            offsets,
          );
        if (seen.size !== total)
          fail(
            `walking every page at limit ${small} yields ${seen.size} distinct ids`,
            String(seen.size),
            `total_count (${total})`,
            documentedAt('#/components/schemas/ListMeta/properties/total_count', op.source),
          );
        const largeSet = new Set(byLarge.ids);
        const missing = byLarge.ids.filter((id) => !seen.has(id));
        const extra = [...seen].filter((id) => !largeSet.has(id));
        if (missing.length > 0 || extra.length > 0)
          fail(
            `small pages and large pages hold different items (${missing.length} missing, ${extra.length} extra)`,
            `missing ${missing.slice(0, 2).join(', ') || '—'}; extra ${extra.slice(0, 2).join(', ') || '—'}`,
            `the ${byLarge.ids.length} items of pages of ${large}`,
            offsets,
          );
        else if (duplicates.length === 0 && bySmall.ids.join() !== byLarge.ids.join())
          fail(
            `small pages order the items differently from large pages`,
            `first difference at position ${bySmall.ids.findIndex((id, i) => id !== byLarge.ids[i])}`,
            'the same order whatever the page size',
            convention('a sorted list keeps one order whatever the page size (ties broken the same way)'),
          );
      },
    };
  },
};
