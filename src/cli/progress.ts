/**
 * Progress of a run, told on stderr from the engine's events: on a terminal one live line
 * (operations done/total, requests sent, failures so far, a retry wait counting down); in a
 * log (CI) a plain line every few seconds once a run lasts that long, so a short run prints
 * nothing and a long one is seen to move. `run --quiet` does without it.
 */
import { secrets } from '../client/redact.js';
import type { RunEvent, RunEventHandler } from '../engine/events.js';

export interface ProgressStream {
  isTTY?: boolean;
  /** Width of the terminal; the live line is cut to it. */
  columns?: number;
  write(text: string): unknown;
}

/** Time and timers, injected so tests move time by hand. */
export interface ProgressClock {
  now(): number;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: ProgressClock = {
  now: () => Date.now(),
  // A progress timer never keeps the process alive.
  setInterval: (callback, ms) => setInterval(callback, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

export interface ProgressOptions {
  clock?: ProgressClock;
  /** How often the live line is redrawn on a terminal (default 200 ms). */
  refreshMs?: number;
  /** How often a plain line is printed when not on a terminal (default 5 s; the first one after as long). */
  logEveryMs?: number;
}

interface Wait {
  url: string;
  until: number;
}

/** Erase the current terminal line and return to its start. */
const CLEAR_LINE = '\r\x1b[2K';

export class RunProgress {
  private readonly clock: ProgressClock;
  private readonly live: boolean;
  private readonly logEveryMs: number;
  private timer: unknown;
  private startedAt = 0;
  private total = 0;
  private done = 0;
  private readonly running = new Set<string>();
  private requests = 0;
  private failed = 0;
  private errored = 0;
  private wait: Wait | undefined;
  private shown = '';

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.live = stream.isTTY === true;
    this.logEveryMs = options.logEveryMs ?? 5_000;
  }

  /** The handler to give the engine. */
  readonly handler: RunEventHandler = (event) => this.on(event);

  private on(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        this.startedAt = this.clock.now();
        this.total = event.groups.filter((g) => !g.skip).length;
        for (const g of event.groups) if (!g.skip) this.running.add(g.name);
        this.start();
        break;
      case 'request-sent':
        this.requests++;
        // A request sent after a wait means the wait is over (for that request or another).
        if (this.wait && this.clock.now() >= this.wait.until) this.wait = undefined;
        break;
      case 'retry-wait':
        this.wait = { url: event.url, until: this.clock.now() + event.waitMs };
        // In a log, a wait longer than the lines' interval is worth its own line at once: it explains
        // the silence; shorter ones show in the next line.
        if (!this.live && event.waitMs >= this.logEveryMs) this.print(`progress: waiting ${seconds(event.waitMs)} s to retry ${event.url}`);
        break;
      case 'check-finished':
        if (event.outcome.status === 'failed') this.failed++;
        if (event.outcome.status === 'error') this.errored++;
        // The webhooks group has no operation-finished: its checks finishing ends it.
        if (event.outcome.operation === 'webhooks') this.finishGroup('webhooks');
        break;
      case 'operation-finished':
        this.finishGroup(event.operation.operation);
        break;
      case 'run-finished':
        this.stop();
        return;
      default:
        return;
    }
  }

  private finishGroup(name: string): void {
    if (this.running.delete(name)) this.done++;
  }

  /** The state in one line. */
  line(): string {
    const parts = [`${this.done}/${this.total} operations`, `${this.requests} requests`, `${this.failed} failed`];
    if (this.errored > 0) parts.push(`${this.errored} errored`);
    const now = this.clock.now();
    if (this.wait && now < this.wait.until) parts.push(`retry in ${seconds(this.wait.until - now)} s (${this.wait.url})`);
    parts.push(`${Math.floor((now - this.startedAt) / 1000)} s`);
    return parts.join(' · ');
  }

  private start(): void {
    if (this.timer !== undefined) return;
    if (this.live) {
      this.draw();
      this.timer = this.clock.setInterval(() => this.draw(), this.options.refreshMs ?? 200);
    } else {
      this.timer = this.clock.setInterval(() => this.print(`progress: ${this.line()}`), this.logEveryMs);
    }
  }

  /** Redrawn on every tick, written only when it changed (the seconds and a countdown change with time alone). */
  private draw(): void {
    let text = `upvest-conformance: ${this.line()}`;
    const width = this.stream.columns ?? 80;
    if (text.length > width - 1) text = `${text.slice(0, width - 2)}…`;
    if (text === this.shown) return;
    this.shown = text;
    this.stream.write(`${CLEAR_LINE}${secrets.scrub(text)}`);
  }

  private print(line: string): void {
    this.stream.write(`${secrets.scrub(line)}\n`);
  }

  /** Stop telling; on a terminal, leave the line empty for the summary. Safe to call twice. */
  stop(): void {
    if (this.timer !== undefined) this.clock.clearInterval(this.timer);
    this.timer = undefined;
    if (this.live && this.shown !== '') this.stream.write(CLEAR_LINE);
    this.shown = '';
  }
}

function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}
