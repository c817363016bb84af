/**
 * date-filter: with start_date and/or end_date every item lies inside the inclusive UTC range,
 * and (when the unfiltered and the filtered lists each fit one page) the filtered list holds
 * every item the unfiltered one has inside the range. "starting from and including this date"
 * is documented; that end_date includes its day is a reading of "up until this date", so
 * leaving out only the end day's items is a warning.
 */
import type { Check } from './types.js';
import { convention, documented } from './basis.js';
import { idOf, maxLimit, missingIdsReason, notAPage, pageOf } from './pagination.js';
import { probe } from './requests.js';
import { dayOf, shiftDay } from './dates.js';
import { fieldOf, show } from './util.js';

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
        const unfiltered = await x.send(
          probe(ctx, { id: 'dates:all', kind: 'variant', purpose: 'the unfiltered list, to choose a range', query: [['limit', limit]] }),
        );
        const all = pageOf(unfiltered);
        if (!all) return notAPage(ctx, unfiltered);
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
          // Ranges no item is in: a target that ignores the filter still returns what it has.
          { id: 'after-last', from: shiftDay(days[days.length - 1], 1) },
          { id: 'before-first', to: shiftDay(days[0], -1) },
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
            if (!page) return notAPage(ctx, result);
            const outside = page.items
              .map((item, i) => ({ i, day: dayOf(fieldOf(item, filter.field)) }))
              .find(({ day }) => !day || (range.from && day < range.from) || (range.to && day > range.to));
            if (outside) {
              const before = Boolean(range.from && outside.day && outside.day < range.from);
              ctx.fail({
                message: `an item outside ${label} is returned`,
                received: show(outside.day),
                expected: `${filter.field.slice(1)} within ${range.from ?? '…'} – ${range.to ?? '…'} (inclusive, UTC)`,
                pointer: `/data/${outside.i}${filter.field}`,
                basis: documented(op, 'parameters', before || !outside.day ? filter.start : filter.end),
                result,
              });
              return;
            }
            // Like with like: the items this filter returned against the unfiltered items in its range,
            // and only when both lists are whole (never a filtered total_count against unfiltered data).
            if (!complete || page.totalCount > page.items.length || missingIdsReason(op, page.items)) return;
            const returned = new Set(page.items.map((item) => idOf(op, item)));
            const due = all.items.filter((item) => {
              const day = dayOf(fieldOf(item, filter.field)) as string;
              return (!range.from || day >= range.from) && (!range.to || day <= range.to);
            });
            const missing = due.filter((item) => !returned.has(idOf(op, item)));
            if (missing.length === 0) return;
            const days = [...new Set(missing.map((item) => dayOf(fieldOf(item, filter.field)) as string))];
            // "up until this date" may be read as exclusive: items of the end day alone missing is that reading.
            const endExclusive = range.to !== undefined && days.every((d) => d === range.to) && range.to !== range.from;
            ctx.fail({
              message: `${label} leaves out ${missing.length} of the ${due.length} items the unfiltered list has in that range`,
              received: `${page.items.length} items; missing ${missing
                .slice(0, 2)
                .map((item) => idOf(op, item))
                .join(', ')} (${days.slice(0, 3).join(', ')})`,
              expected: `the ${due.length} items of the unfiltered list from ${range.from ?? 'the start'} to ${range.to ?? 'the end'}`,
              basis: endExclusive
                ? convention(`"up until this date" read as inclusive (${filter.end} includes its day), as the start is`)
                : documented(op, 'parameters', days.some((d) => d === range.from) ? filter.start : filter.end),
              result,
            });
          }),
        );
        ctx.stat('range', { start, end, days: days.length, complete });
      },
    };
  },
};
