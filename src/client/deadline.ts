/** The run's deadline: a point in time after which no new request starts and running ones are aborted. */
import { DeadlineExceededError } from '../errors.js';

export class Deadline {
  readonly expiresAt: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly budgetMs: number) {
    this.expiresAt = Date.now() + budgetMs;
    this.timer = setTimeout(
      () => this.controller.abort(new DeadlineExceededError(`The run deadline of ${Math.round(budgetMs / 1000)} s passed`)),
      budgetMs,
    );
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - Date.now());
  }

  get expired(): boolean {
    return this.remainingMs() === 0;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
