/**
 * Nonces already accepted, each until its signature can no longer be valid (its `expires`, or
 * `created` + the verifier's maximum age, plus the clock tolerance): a second request with the
 * same key id and nonce inside that window is a replay (draft-15 §7.2.2 "Signature Replay").
 * Memory is bounded: past `maxEntries`, the entries closest to expiry are forgotten first, which
 * only reopens a window that was about to close anyway.
 */
export class NonceStore {
  private readonly seen = new Map<string, number>();
  private readonly maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  get size(): number {
    return this.seen.size;
  }

  /** True when the nonce was accepted before and its window is still open at `nowSeconds`. */
  seenBefore(keyId: string, nonce: string, nowSeconds: number): boolean {
    const until = this.seen.get(`${keyId}\u0000${nonce}`);
    return until !== undefined && until >= nowSeconds;
  }

  /** Remember an accepted nonce until `untilSeconds`. */
  remember(keyId: string, nonce: string, untilSeconds: number, nowSeconds: number): void {
    const key = `${keyId}\u0000${nonce}`;
    this.seen.delete(key);
    this.seen.set(key, untilSeconds);
    if (this.seen.size <= this.maxEntries) return;
    // Expired ones go first; then, if still too many, those whose window closes soonest. Down
    // to 90%, so that the sweep runs once per tenth of the capacity, not on every request.
    for (const [k, until] of this.seen) if (until < nowSeconds) this.seen.delete(k);
    const target = Math.floor(this.maxEntries * 0.9);
    if (this.seen.size <= target) return;
    const bySoonest = [...this.seen].sort((a, b) => a[1] - b[1]);
    for (const [k] of bySoonest.slice(0, this.seen.size - target)) this.seen.delete(k);
  }
}
