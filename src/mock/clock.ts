/** Time as the mock sees it: real time, or a manual clock that tests advance explicitly (no sleeps). */

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that tests (or a run) can move forward, letting the mock react at once. */
export abstract class SteppableClock implements Clock {
  private readonly listeners = new Set<(now: number) => void>();

  abstract now(): number;
  protected abstract step(ms: number): void;

  /** Move time forward and let the mock react (order progression, webhook events). */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`cannot move a clock back (${ms} ms)`);
    this.step(ms);
    const now = this.now();
    for (const listener of this.listeners) listener(now);
    return now;
  }

  onAdvance(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Time stands still unless advanced: for tests, with no sleeps. */
export class ManualClock extends SteppableClock {
  private current: number;

  constructor(start: number | Date = Date.UTC(2025, 0, 15, 12, 0, 0)) {
    super();
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  protected step(ms: number): void {
    this.current += ms;
  }
}

/** Real time that can also jump ahead: the embedded mock of a run, whose webhook check fast-forwards days. */
export class AdjustableClock extends SteppableClock {
  private offset = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  protected step(ms: number): void {
    this.offset += ms;
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
