/**
 * list-combinations: the list parameters together, not only one at a time. From the manifest's
 * list parameters, with the boundary values of every documented constraint (limit 0, 1 and its
 * maximum; the first offset, the last item, past the end; the whole history, one day, open
 * ranges, a range no item is in), a pairwise (all pairs; with --depth full every triple) set of
 * valid combinations is sent, and each page is judged against a reference: the same sort, order
 * and range in one large page. A page must be exactly that reference's slice at its offset and
 * limit, carry its total_count, and a filtered total never exceeds the unfiltered one; each
 * filtered reference is in its order and inside its range. The single-parameter checks
 * (pagination-meta, ordering, date-filter) see every page too, as valid variants.
 */
import { storedListPlans } from '../spec/manifest.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import { documented, documentedAt } from './basis.js';
import { ABSENT, type Combination, combinations, listFactors } from './list-plan.js';
import { dayOf, inRange, shiftDay } from './dates.js';
import { enumOrder, inversion } from './list-order.js';
import { defaultOf, idOf, type ListPage, maxLimit, missingIdsReason, notAPage, pageOf } from './pagination.js';
import { probe } from './requests.js';
import type { Check, CheckContext, ProbeResult } from './types.js';
import { fieldOf, show } from './util.js';

/** A range of the date filter, by name, and the days it selects. */
type RangeName = 'whole' | 'one-day' | 'from' | 'to' | 'none-in-range';

/**
 * The plan of an operation: the one `npm run generate` stored when the factors are those it was
 * computed from (the default page limit), else computed now. The same seed gives the same rows.
 */
export function planOf(operation: ManifestOperation, factors: Record<string, string[]>, depth: 'quick' | 'full'): Combination[] {
  const stored = storedListPlans().operations[operation.operationId];
  if (!stored || JSON.stringify(stored.factors) !== JSON.stringify(factors)) return combinations(factors, depth);
  const names = Object.keys(factors);
  return stored[depth].map((row) => ({ values: Object.fromEntries(names.map((n, i) => [n, row[i]])) }));
}

interface Reference {
  key: string;
  result: ProbeResult;
  page: ListPage;
}

export const listCombinations: Check = {
  name: 'list-combinations',
  title: 'List parameters in combination give the slices, totals, order and ranges a large page does',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation }) => (operation.pagination ? true : 'not a paginated operation'),
  start(ctx) {
    const op = ctx.operation;
    const filter = op.pagination!.dateFilter;
    const largest = maxLimit(op);
    const success = op.responses.find((r) => r.status === '200')?.contents[0]?.validator;
    const orderParameter = op.parameters.find((p) => p.in === 'query' && p.name === 'order');
    const defaults = { sort: defaultOf(op, 'sort'), order: defaultOf(op, 'order'), limit: Number(defaultOf(op, 'limit') ?? 100) };
    const factors = listFactors(op, ctx.env.pageLimit);
    const plan = planOf(op, factors, ctx.env.depth);
    const references = new Map<string, Promise<Reference | undefined>>();
    let sent = 0;

    return {
      async exercise(x) {
        const base = await x.send(
          probe(ctx, { id: 'combo:base', kind: 'variant', purpose: 'the whole list in one page', query: [['limit', String(largest)]] }),
        );
        const all = pageOf(base);
        if (!all) return notAPage(ctx, base);
        if (all.totalCount > all.items.length) {
          return ctx.skip(`the list has ${all.totalCount} items, more than one page of ${largest}: slices cannot be compared`);
        }
        const missing = missingIdsReason(op, all.items);
        if (missing) return ctx.skip(`not judged: ${missing}`);
        const days = [
          ...new Set(all.items.map((item) => dayOf(fieldOf(item, filter?.field ?? '/created_at'))).filter(Boolean)),
        ].sort() as string[];
        const ranges = rangesOf(days);

        /** The large page a combination is a slice of: the same sort, order and range. */
        const reference = (sort: string | undefined, order: string, range: string): Promise<Reference | undefined> => {
          const key = `${sort ?? '(default)'}|${order}|${range}`;
          let pending = references.get(key);
          if (!pending) {
            const query: [string, string][] = [['limit', String(largest)]];
            if (sort) query.push(['sort', sort]);
            query.push(['order', order]);
            query.push(...rangeQuery(range));
            pending = x
              .send(
                probe(ctx, {
                  id: `combo:reference:${key}`,
                  kind: 'variant',
                  purpose: `the reference for sort=${sort ?? '(default)'}, order=${order}, range ${range}`,
                  query,
                }),
              )
              .then((result) => {
                const page = pageOf(result);
                if (!page) return undefined;
                judgeReference(ctx, { key, result, page }, { sort: sort ?? String(defaults.sort), order, range, ranges, success });
                return { key, result, page };
              });
            references.set(key, pending);
          }
          return pending;
        };

        /** The query of a date range, by name. */
        function rangeQuery(range: string): [string, string][] {
          if (!filter || range === ABSENT) return [];
          const r = ranges[range as RangeName];
          return [
            ...(r.from ? [[filter.start, r.from] as [string, string]] : []),
            ...(r.to ? [[filter.end, r.to] as [string, string]] : []),
          ];
        }

        await Promise.all(
          plan.map(async (combo, index) => {
            const v = combo.values;
            const offsetOf = (value: string | undefined) =>
              value === undefined || value === ABSENT
                ? 0
                : value === 'last'
                  ? Math.max(0, all.items.length - 1)
                  : value === 'past'
                    ? all.items.length + 3
                    : Number(value);
            const offset = offsetOf(v.offset);
            const limit = v.limit === undefined || v.limit === ABSENT ? defaults.limit : Number(v.limit);
            const query: [string, string][] = [];
            for (const [name, value] of Object.entries(v)) {
              if (value === ABSENT || name === 'range') continue;
              query.push([name, name === 'offset' ? String(offset) : value]);
            }
            query.push(...rangeQuery(v.range ?? ABSENT));
            const label = query.map(([k, val]) => `${k}=${val}`).join('&') || '(no parameters)';
            const result = await x.send(probe(ctx, { id: `combo:${index}`, kind: 'variant', purpose: label, query }));
            sent++;
            const page = pageOf(result);
            if (result.status !== 200 || !page) {
              if (!result.error) {
                ctx.fail({
                  key: `refused ${result.status}`,
                  message: `a valid combination was answered ${result.status} (${label})`,
                  received: String(result.status),
                  expected: '200 with a list page: every value is documented',
                  basis: documented(op, 'responses', '200'),
                  result,
                });
              }
              return;
            }
            // Without sort, an order may not apply ("if the sort parameter is specified"): no slice to expect then.
            const sortGiven = v.sort !== undefined && v.sort !== ABSENT;
            const orderGiven = v.order !== undefined && v.order !== ABSENT;
            const orderApplies = sortGiven || !orderParameter?.requires?.includes('sort');
            const order = orderGiven ? (orderApplies ? v.order : undefined) : String(defaults.order ?? 'ASC');
            const ref = order ? await reference(sortGiven ? v.sort : undefined, order, v.range ?? ABSENT) : undefined;
            if (!ref) return;
            const want = ref.page.items.slice(offset, offset + limit).map((item) => idOf(op, item));
            const got = page.items.map((item) => idOf(op, item));
            if (want.join() !== got.join()) {
              const first = got.findIndex((id, i) => id !== want[i]);
              const at = first < 0 ? got.length : first;
              ctx.fail({
                key: 'slice',
                message: `the page is not the list's slice at offset ${offset}, limit ${limit} (${label})`,
                received: `${got.length} items; at position ${at}: ${show(got[at])}`,
                expected: `the ${want.length} items of the whole list at ${offset}…${offset + want.length - 1}; there: ${show(want[at])}`,
                pointer: `/data/${at}`,
                basis: documented(op, 'parameters', 'offset'),
                result,
              });
            }
            if (page.totalCount !== ref.page.totalCount) {
              ctx.fail({
                key: 'total',
                message: `total_count differs between two requests of one filter (${label})`,
                received: String(page.totalCount),
                expected: `${ref.page.totalCount} (the same filter in one large page)`,
                pointer: '/meta/total_count',
                basis: documentedAt('#/components/schemas/ListMeta/properties/total_count', op.source),
                result,
              });
            }
            if (page.totalCount > all.totalCount) {
              ctx.fail({
                key: 'filtered-total',
                message: `a filtered total_count exceeds the unfiltered one (${label})`,
                received: String(page.totalCount),
                expected: `at most ${all.totalCount}`,
                pointer: '/meta/total_count',
                basis: documentedAt('#/components/schemas/ListMeta/properties/total_count', op.source),
                result,
              });
            }
          }),
        );
        ctx.stat('combinations', sent);
        ctx.stat('references', references.size);
        ctx.stat('depth', ctx.env.depth);
      },
    };
  },
};

/** The named date ranges over the days the list has (each end inclusive). */
function rangesOf(days: string[]): Record<RangeName, { from?: string; to?: string }> {
  const first = days[0] ?? '2000-01-01';
  const last = days[days.length - 1] ?? first;
  const middle = days[Math.floor(days.length / 2)] ?? first;
  return {
    whole: { from: first, to: last },
    'one-day': { from: middle, to: middle },
    from: { from: middle },
    to: { to: middle },
    'none-in-range': { from: shiftDay(last, 1) },
  };
}

/** A filtered reference must be in its order and inside its range (unfiltered ones are ordering's and date-filter's to judge). */
function judgeReference(
  ctx: CheckContext,
  ref: Reference,
  how: { sort: string; order: string; range: string; ranges: Record<RangeName, { from?: string; to?: string }>; success?: string },
): void {
  const op = ctx.operation;
  if (how.range === ABSENT) return;
  const filter = op.pagination?.dateFilter;
  const field = op.pagination?.sort[how.sort];
  if (field) {
    const values = ref.page.items.map((item) => fieldOf(item, field));
    const declared = how.success ? enumOrder(ctx.spec.storedSchema(how.success), field) : undefined;
    const at = inversion(values, how.order === 'DESC' ? -1 : 1, declared);
    if (at >= 0) {
      ctx.fail({
        key: `order ${how.order}`,
        message: `a filtered list is not ${how.order === 'DESC' ? 'descending' : 'ascending'} by ${how.sort} (${ref.result.probe.purpose})`,
        received: `${show(values[at - 1])} before ${show(values[at])} at items ${at - 1} and ${at}`,
        expected: `${how.sort} ${how.order === 'DESC' ? 'non-increasing' : 'non-decreasing'}`,
        pointer: `/data/${at}${field}`,
        basis: documented(op, 'parameters', 'order'),
        result: ref.result,
      });
    }
  }
  if (filter) {
    const r = how.ranges[how.range as RangeName];
    const outside = ref.page.items.findIndex((item) => !inRange(dayOf(fieldOf(item, filter.field)), r.from, r.to));
    if (outside >= 0) {
      ctx.fail({
        key: `range ${how.order}`,
        message: `an item outside the range is returned when order=${how.order} (${ref.result.probe.purpose})`,
        received: show(dayOf(fieldOf(ref.page.items[outside], filter.field))),
        expected: `${filter.field.slice(1)} within ${r.from ?? '…'} – ${r.to ?? '…'} (inclusive, UTC)`,
        pointer: `/data/${outside}${filter.field}`,
        basis: documented(op, 'parameters', r.from ? filter.start : filter.end),
        result: ref.result,
      });
    }
  }
}
