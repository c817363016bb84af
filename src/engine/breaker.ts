/**
 * Stops sending where sending has stopped helping. Per operation: after `threshold` transport
 * failures in a row of one operation (timeouts, resets, protocol errors; not HTTP statuses),
 * its further probes are not sent and carry the cause instead, while the other operations go on
 * and keep their results. For the whole target: only when `threshold` failures in a row, of
 * any operation, come with no usable answer in between (the target answers nothing), every
 * operation stops, so a hanging target ends the run in seconds, not after every timeout.
 */
export interface BreakerView {
  readonly shortCircuit: { code: string; message: string } | undefined;
  recordAnswer(): void;
  recordFailure(cause: { code: string; message: string }): void;
}

interface Count {
  consecutive: number;
  lastCause?: { code: string; message: string };
  /** The operations of the current streak (the target's count only). */
  operations?: Set<string>;
}

/** Refusals of our own making (a token we may not have, a value we cannot send) say nothing about the target. */
const OWN_CAUSES = new Set(['CT_ERR_AUTH_TOKEN', 'CT_ERR_USAGE', 'CT_ERR_INVALID_HEADER']);

export class CircuitBreaker implements BreakerView {
  private readonly target: Count = { consecutive: 0, operations: new Set() };
  private readonly operations = new Map<string, Count>();

  constructor(private readonly threshold = 6) {}

  /**
   * The whole target answers nothing: failures in a row, of more than one operation (one
   * operation's faulty responses, however many, are that operation's problem).
   */
  get open(): boolean {
    return this.target.consecutive >= this.threshold && (this.target.operations?.size ?? 0) !== 1;
  }

  get shortCircuit(): { code: string; message: string } | undefined {
    return this.open ? this.circuitOf(this.target, 'the target') : undefined;
  }

  /** The breaker as one operation sees it: open when that operation, or the whole target, failed too often in a row. */
  for(operation: string): BreakerView {
    const count = this.operations.get(operation) ?? { consecutive: 0 };
    this.operations.set(operation, count);
    return new OperationBreaker(this, count, operation);
  }

  recordAnswer(): void {
    this.target.consecutive = 0;
    this.target.operations?.clear();
  }

  /** A failure; `operation` is given by an operation's view (without it, the failure counts for the target alone). */
  recordFailure(cause: { code: string; message: string }, operation?: string): void {
    if (OWN_CAUSES.has(cause.code)) return;
    this.target.consecutive++;
    this.target.lastCause = cause;
    if (operation) this.target.operations?.add(operation);
  }

  circuitOf(count: Count, what: string): { code: string; message: string } | undefined {
    if (count.consecutive < this.threshold || !count.lastCause) return undefined;
    return {
      code: count.lastCause.code,
      message: `not sent: ${what} failed ${count.consecutive} requests in a row (last: ${count.lastCause.message})`,
    };
  }
}

class OperationBreaker implements BreakerView {
  constructor(
    private readonly whole: CircuitBreaker,
    private readonly count: Count,
    private readonly operation: string,
  ) {}

  get shortCircuit(): { code: string; message: string } | undefined {
    return this.whole.shortCircuit ?? this.whole.circuitOf(this.count, this.operation);
  }

  recordAnswer(): void {
    this.count.consecutive = 0;
    this.whole.recordAnswer();
  }

  recordFailure(cause: { code: string; message: string }): void {
    if (OWN_CAUSES.has(cause.code)) return;
    this.count.consecutive++;
    this.count.lastCause = cause;
    this.whole.recordFailure(cause, this.operation);
  }
}
