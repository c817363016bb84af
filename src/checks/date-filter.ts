/**
 * date-filter: with start_date and/or end_date every item lies inside the inclusive UTC range,
 * and (when the whole list fits one page) exactly the items of the unfiltered list inside the
 * range are returned.
 */
import type { Check } from './types.js';
import { maxLimit, pageOf } from './pagination.js';
import { probe } from './requests.js';
import { fieldOf, show } from './util.js';

/** The UTC calendar day of a date-time (offsets honoured). */
const dayOf = (value: unknown) => {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
};

export const dateFilter: Check = {
  name: 'date-filter',
  title: 'start_date and end_date select exactly the items inside the inclusive range',
  severity: 'error',
  scope: 'operation',
  appliesTo: ({ operation }) => (operation.pagination?.dateFilter ? true : 'the operation documents no date filter'),
  start(ctx) {
    const op = ctx.operation;
    const filter = op.pagination!.dateFilter!;
    const limit = String(maxLimit(op));
    return {
      async exercise(x) {
        const all = pageOf(
          await x.send(
            probe(ctx, { id: 'dates:all', kind: 'variant', purpose: 'the unfiltered list, to choose a range', query: [['limit', limit]] }),
          ),
        );
        if (!all) return;
        const days = [
          ...new Set(all.items.map((item) => dayOf(fieldOf(item, filter.field))).filter((d): d is string => Boolean(d))),
        ].sort();
        if (days.length === 0) return ctx.skip('the list is empty: there are no dates to filter on');
        const start = days[Math.floor(days.length / 4)];
        const end = days[Math.floor((days.length * 3) / 4)];
        const complete = all.totalCount <= all.items.length;
        const ranges: { id: string; from?: string; to?: string }[] = [
          { id: 'both', from: start, to: end },
          { id: 'start-only', from: end },
          { id: 'end-only', to: start },
          { id: 'single-day', from: start, to: start },
        ];
        await Promise.all(
          ranges.map(async (range) => {
            const query: [string, string][] = [['limit', limit]];
            if (range.from) query.push([filter.start, range.from]);
            if (range.to) query.push([filter.end, range.to]);
            const label = [range.from && `${filter.start}=${range.from}`, range.to && `${filter.end}=${range.to}`]
              .filter(Boolean)
              .join('&');
            const result = await x.send(probe(ctx, { id: `dates:${range.id}`, kind: 'variant', purpose: label, query }));
            const page = pageOf(result);
            if (!page) return;
            const outside = page.items
              .map((item, i) => ({ i, day: dayOf(fieldOf(item, filter.field)) }))
              .find(({ day }) => !day || (range.from && day < range.from) || (range.to && day > range.to));
            if (outside) {
              ctx.fail({
                message: `an item outside ${label} is returned`,
                received: show(outside.day),
                expected: `${filter.field.slice(1)} within ${range.from ?? '…'} – ${range.to ?? '…'} (inclusive, UTC)`,
                pointer: `/data/${outside.i}${filter.field}`,
                result,
              });
              return;
            }
            if (complete) {
              const due = all.items.filter((item) => {
                const day = dayOf(fieldOf(item, filter.field)) as string;
                return (!range.from || day >= range.from) && (!range.to || day <= range.to);
              }).length;
              if (page.totalCount !== due) {
                ctx.fail({
                  message: `${label} selects ${page.totalCount} items where the unfiltered list has ${due} in that range`,
                  received: `total_count ${page.totalCount}`,
                  expected: `${due} (items of the unfiltered list inside the range)`,
                  pointer: '/meta/total_count',
                  result,
                });
              }
            }
          }),
        );
        ctx.stat('range', { start, end, days: days.length, complete });
      },
    };
  },
};
