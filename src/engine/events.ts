/**
 * What the engine tells while it runs. Console output, progress, the vitest adapter and the
 * report writers are handlers of these events and of the final RunResult; none of them looks
 * inside the engine. A handler that throws does not stop the run: the error is kept and the
 * run's verdict becomes incomplete.
 */
import type { CheckOutcome, ProbeKind } from '../checks/types.js';
import { REPORTER_ERROR, type OperationResult, type RunResult } from './result.js';

export interface PlannedGroup {
  /** `METHOD /path`, `webhooks`, or `consumer URL`. */
  name: string;
  operationId: string;
  /** Check names in the order they are reported. */
  checks: string[];
  /** Why the whole group does not run, if so. */
  skip?: string;
}

/** The group the provider's webhooks are reported under (and selected by, with --only/--skip webhooks). */
export const WEBHOOKS_GROUP = { key: 'webhooks', operationId: 'webhooks' } as const;

export type RunEvent =
  | { type: 'run-started'; startedAt: string; baseUrl: string; groups: PlannedGroup[]; planDigest: string }
  /** The run will not check anything: the target cannot be used, or refuses this run's configuration. */
  | { type: 'run-stopped'; stop: { code: string; message: string; hint?: string } }
  | { type: 'operation-started'; operation: string }
  | {
      type: 'probe-finished';
      operation: string;
      probe: { id: string; kind: ProbeKind; owner: string; purpose: string };
      status?: number;
      error?: { code: string; message: string };
      durationMs?: number;
    }
  /** A request left for the target (each attempt counts: a retry is a request too). */
  | { type: 'request-sent'; method: string; url: string }
  /** The transport waits before retrying `url`: a 429 or 503 (its Retry-After, else backoff) or a reset connection. */
  | { type: 'retry-wait'; url: string; waitMs: number }
  | { type: 'check-finished'; outcome: CheckOutcome }
  | { type: 'operation-finished'; operation: OperationResult }
  | { type: 'run-finished'; result: RunResult };

export type RunEventHandler = (event: RunEvent) => void;

/** Fans events out to handlers; an exception of one is recorded, not thrown into the engine. */
export class EventBus {
  private readonly handlers: RunEventHandler[] = [];
  readonly errors: { code: string; message: string }[] = [];

  constructor(handlers: (RunEventHandler | undefined)[] = []) {
    for (const h of handlers) if (h) this.handlers.push(h);
  }

  on(handler: RunEventHandler): void {
    this.handlers.push(handler);
  }

  emit(event: RunEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        // One line per broken handler and message, however many events it failed on.
        const message = `an event handler failed on ${event.type}: ${(error as Error)?.message ?? String(error)}`;
        if (this.errors.length < 20 && !this.errors.some((e) => e.message === message)) this.errors.push({ code: REPORTER_ERROR, message });
      }
    }
  }
}
