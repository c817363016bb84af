/** Time as the mock sees it: real time, or a manual clock that tests advance explicitly (no sleeps). */

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  private current: number;
  private readonly listeners = new Set<(now: number) => void>();

  constructor(start: number | Date = Date.UTC(2025, 0, 15, 12, 0, 0)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  /** Move time forward and let the mock react (order progression, webhook events). */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`cannot move a clock back (${ms} ms)`);
    this.current += ms;
    for (const listener of this.listeners) listener(this.current);
    return this.current;
  }

  onAdvance(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const DAY_MS = 86_400_000;

/** RFC 3339 UTC without milliseconds, the form Upvest uses. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
