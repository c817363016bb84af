import { UsageError } from '../errors.js';

/** At most `concurrency` tasks at once, in submission order. */
export class Limiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new UsageError(`concurrency must be a whole number of at least 1, not ${concurrency}`, {
        hint: 'Give --concurrency (or UPVEST_CONCURRENCY) a value from 1 to 64.',
      });
    }
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finished task hands its slot to the oldest waiting one (running stays counted), so a
    // task submitted in between cannot take the slot and overtake it.
    if (this.running < this.concurrency) this.running++;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}
