/**
 * list-combinations' plan, apart from the check: the factors of an operation's list parameters
 * and covertable's seeded pairwise (or triple-wise) rows over them. Pure: `npm run generate`
 * computes the plans for the default page limit with it (generated/list-plans.json), and the
 * check computes any other.
 */
import { createRequire } from 'node:module';
import type { ManifestOperation, ManifestParameter } from '../spec/manifest-types.js';

/** The factor value that leaves the parameter out. */
export const ABSENT = '-';

export interface Combination {
  /** Factor name → value (`-`: the parameter is left out). */
  values: Record<string, string>;
}

/**
 * The factors of an operation's list parameters: each documented value, each boundary of its
 * constraints, and left out. Offsets relative to the list's length (`last`, `past`) and date
 * ranges are resolved against the unfiltered list when sent.
 */
export function listFactors(operation: ManifestOperation, pageLimit: number): Record<string, string[]> {
  const filter = operation.pagination?.dateFilter;
  const factors: Record<string, string[]> = {};
  for (const p of operation.parameters.filter((x) => x.in === 'query' && !x.required)) {
    if (filter && (p.name === filter.start || p.name === filter.end)) continue;
    const values = valuesOf(p, pageLimit);
    if (values.length > 0) factors[p.name] = [...values, ABSENT];
  }
  if (filter) factors.range = ['whole', 'one-day', 'from', 'to', 'none-in-range', ABSENT];
  return factors;
}

function valuesOf(p: ManifestParameter, pageLimit: number): string[] {
  const c = p.constraints;
  if (c.enum) return c.enum.map(String);
  if (c.type !== 'integer') return [];
  // The pagination's offset: its first value, one in, the last item, past the end.
  if (p.name === 'offset') return [String(c.minimum ?? 0), String((c.minimum ?? 0) + 1), 'last', 'past'];
  const out = new Set<string>();
  if (c.minimum !== undefined) out.add(String(c.minimum)).add(String(c.minimum + 1));
  out.add(String(pageLimit));
  if (c.maximum !== undefined) out.add(String(c.maximum));
  return [...out];
}

type Make = typeof import('covertable').make;
let make: Make | undefined;

/**
 * covertable, loaded when a plan is first computed: a run with the default page limit takes its
 * plans from generated/list-plans.json and never needs it (loading it costs 15-35 ms at start).
 * Required, not imported: CommonJS, its exports are `module.exports` under Node and vite alike.
 */
function covertable(): Make {
  make ??= (createRequire(import.meta.url)('covertable') as { make: Make }).make;
  return make;
}

/** Every pair (quick) or triple (full) of factor values, in a fixed order (seeded: the same plan every run). */
export function combinations(factors: Record<string, string[]>, depth: 'quick' | 'full'): Combination[] {
  const names = Object.keys(factors);
  if (names.length === 0) return [];
  const rows = covertable()(factors, { length: Math.min(depth === 'full' ? 3 : 2, names.length), seed: 'upvest-conformance' });
  return rows.map((row) => ({ values: Object.fromEntries(names.map((n) => [n, String((row as Record<string, unknown>)[n])])) }));
}

/** A plan's rows as stored in generated/list-plans.json: values in the order of the factors. */
export function planRows(factors: Record<string, string[]>, plan: Combination[]): string[][] {
  const names = Object.keys(factors);
  return plan.map((combo) => names.map((n) => combo.values[n]));
}
