/**
 * Whether a list is in order by a field: shared by ordering and list-combinations. Enum fields
 * may follow either the enum's declared order or the alphabetical one (both are defensible;
 * neither is documented); date-times compare as instants.
 */

export type Comparator = (a: unknown, b: unknown) => number;

export const natural: Comparator = (a, b) => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const da = typeof a === 'string' ? Date.parse(a) : Number.NaN;
  const db = typeof b === 'string' ? Date.parse(b) : Number.NaN;
  if (!Number.isNaN(da) && !Number.isNaN(db) && /^\d{4}-\d{2}-\d{2}/.test(String(a))) return da - db;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
};

/** Enum values of a field of the list's items, from the stored response schema. */
export function enumOrder(schema: unknown, fieldPointer: string): (string | number)[] | undefined {
  let node = schema as Record<string, unknown>;
  for (const key of ['data', ...fieldPointer.split('/').slice(1)]) {
    const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
    node = (properties?.[key] ?? {}) as Record<string, unknown>;
    if (key === 'data') node = (node.items ?? {}) as Record<string, unknown>;
  }
  return Array.isArray(node.enum) ? (node.enum as (string | number)[]) : undefined;
}

/** Index of the first pair out of order, or -1. */
export function firstInversion(values: unknown[], compare: Comparator, direction: number): number {
  for (let i = 1; i < values.length; i++) if (compare(values[i - 1], values[i]) * direction > 0) return i;
  return -1;
}

/**
 * Where `values` stop being in `direction` (1 ascending, -1 descending) by every acceptable
 * comparator, or -1 when one comparator finds them in order.
 */
export function inversion(values: unknown[], direction: number, declared?: (string | number)[]): number {
  const comparators: Comparator[] = [natural];
  if (declared) comparators.push((a, b) => declared.indexOf(a as string) - declared.indexOf(b as string));
  const found = comparators.map((compare) => firstInversion(values, compare, direction));
  return found.every((i) => i >= 0) ? Math.min(...found) : -1;
}
