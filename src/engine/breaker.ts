/**
 * Stops sending to a target that has stopped answering: after `threshold` transport failures in
 * a row (timeouts, resets, refusals; not HTTP statuses), further probes are not sent and carry
 * the cause instead, so a hanging target ends the run in seconds, not after every timeout.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private lastCause?: { code: string; message: string };

  constructor(private readonly threshold = 6) {}

  get open(): boolean {
    return this.consecutive >= this.threshold;
  }

  /** The error a probe gets instead of being sent, when open. */
  get shortCircuit(): { code: string; message: string } | undefined {
    if (!this.open || !this.lastCause) return undefined;
    return {
      code: this.lastCause.code,
      message: `not sent: the target failed ${this.consecutive} requests in a row (last: ${this.lastCause.message})`,
    };
  }

  recordAnswer(): void {
    this.consecutive = 0;
  }

  recordFailure(cause: { code: string; message: string }): void {
    // Refusals of our own making (a token we may not have) say nothing about the target.
    if (cause.code === 'CT_ERR_AUTH_TOKEN' || cause.code === 'CT_ERR_USAGE') return;
    this.consecutive++;
    this.lastCause = cause;
  }
}
