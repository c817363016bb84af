/**
 * Which documented enum values were seen: the one tally used by enum-coverage (responses) and
 * webhook-events (events). The run's coverage figures are computed from what these record.
 */
import type { ManifestEnum } from '../spec/manifest-types.js';
import type { EnumObservation } from './types.js';
import { presentValuesAt } from './util.js';

export class EnumTally {
  private readonly seen: Map<ManifestEnum, Set<string | number>>;
  /** The enums each body value was already tallied for: a body repeated byte for byte is one value (ResponseBodies). */
  private readonly tallied = new WeakMap<object, Set<ManifestEnum>>();

  /** `scopeOf` names where each enum applies in reports (`GET /… 200`, `webhook NAME`). */
  constructor(
    readonly enums: readonly ManifestEnum[],
    private readonly scopeOf: (e: ManifestEnum) => string,
  ) {
    this.seen = new Map(enums.map((e) => [e, new Set()]));
  }

  /** Record the documented values `body` holds at the pointers of the enums `applies` selects. */
  observe(body: unknown, applies: (e: ManifestEnum) => boolean): void {
    const done = body !== null && typeof body === 'object' ? this.talliedFor(body) : undefined;
    for (const [e, seen] of this.seen) {
      // A tally is a union: the same value tallied again adds nothing.
      if (!applies(e) || done?.has(e)) continue;
      done?.add(e);
      for (const value of presentValuesAt(body, e.pointer))
        if (e.values.includes(value as string | number)) seen.add(value as string | number);
    }
  }

  private talliedFor(body: object): Set<ManifestEnum> {
    const done = this.tallied.get(body) ?? new Set<ManifestEnum>();
    this.tallied.set(body, done);
    return done;
  }

  observations(): EnumObservation[] {
    return this.enums.map((e) => ({
      scope: this.scopeOf(e),
      pointer: e.pointer,
      values: e.values,
      observed: e.values.filter((v) => this.seen.get(e)!.has(v)),
    }));
  }
}

/** Observed over documented values, in percent with one decimal (100 when nothing is documented). */
export function coveragePercent(observations: EnumObservation[]): { observed: number; total: number; percent: number } {
  const total = observations.reduce((n, e) => n + e.values.length, 0);
  const observed = observations.reduce((n, e) => n + e.observed.length, 0);
  return { observed, total, percent: total === 0 ? 100 : Math.round((observed / total) * 1000) / 10 };
}
