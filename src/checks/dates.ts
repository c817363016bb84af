/** Calendar days of date filters: the UTC day of a date-time, and days before and after. */

/** The calendar day `by` days from `day` (YYYY-MM-DD). */
export const shiftDay = (day: string, by: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + by * 86_400_000).toISOString().slice(0, 10);

/**
 * Days already read, by date-time: the date checks read the same items' dates on every page they
 * compare (parsing one costs some 2 µs, looking it up a twentieth of that). Bounded: emptied when full.
 */
const days = new Map<string, string | undefined>();
const MAX_DAYS_KEPT = 10_000;

/** The UTC calendar day of a date-time (offsets honoured). */
export const dayOf = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  if (days.has(value)) return days.get(value);
  const ms = Date.parse(value);
  const day = Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
  if (days.size >= MAX_DAYS_KEPT) days.clear();
  days.set(value, day);
  return day;
};

/** Whether a day lies in the inclusive range (either end may be open). */
export const inRange = (day: string | undefined, from?: string, to?: string): boolean =>
  day !== undefined && (!from || day >= from) && (!to || day <= to);
