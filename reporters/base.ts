/**
 * Base of the compliance reporters: a vitest Reporter that builds the run report at the end of
 * the run and hands it to `emit`. Target facts come from the provided context (secrets are not
 * read), results from task meta.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import type { SerializedError } from 'vitest';
import { secrets } from '../src/client/redact.js';
import { reportContextOf, type ReportContext } from '../suites/context.js';
import type { TargetDescription } from '../src/engine/target.js';
import { buildRunReport, type RunReport, type WebhookResults } from './model.js';
import { operationReportsFrom } from './collect.js';

export interface ReporterOptions {
  /** Folder for report files (default "reports"). */
  reportDir?: string;
  /** Where "wrote …" lines go (default stdout). */
  log?: (line: string) => void;
  /** Extra results not produced by tests of this run (webhook replay, for instance). */
  webhooks?: () => WebhookResults | undefined;
}

export abstract class RunReportReporter implements Reporter {
  protected target?: ReportContext;
  private startedAt = Date.now();
  protected readonly reportDir: string;
  protected readonly log: (line: string) => void;

  constructor(protected readonly options: ReporterOptions = {}) {
    this.reportDir = options.reportDir ?? 'reports';
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  }

  onInit(vitest: Vitest): void {
    const provided = vitest.config.provide as { upvestReport?: ReportContext; upvestTarget?: TargetDescription } | undefined;
    this.target = provided?.upvestReport ?? (provided?.upvestTarget ? reportContextOf(provided.upvestTarget) : undefined);
  }

  onTestRunStart(): void {
    this.startedAt = Date.now();
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): Promise<void> {
    const report = buildRunReport(
      operationReportsFrom(modules),
      {
        baseUrl: this.target?.baseUrl ?? '(unknown)',
        embeddedMock: this.target?.embeddedMock ?? false,
        signing: this.target?.signing ?? false,
        startedAt: new Date(this.startedAt).toISOString(),
        durationMs: Date.now() - this.startedAt,
        minEnumCoverage: this.target?.minEnumCoverage ?? 0,
        baseline: this.target?.baseline,
        harnessErrors: [
          // A suite that cannot even be collected must never read as a clean run.
          ...modules.flatMap((m) =>
            m.errors().map((e) => ({ code: 'CT_ERR_SUITE', message: secrets.scrub(`${m.moduleId}: ${e.message}`) })),
          ),
          ...unhandledErrors.map((e) => ({ code: 'CT_ERR_UNHANDLED', message: secrets.scrub(e.message ?? String(e)) })),
        ],
      },
      this.options.webhooks?.(),
    );
    await this.emit(report);
  }

  protected abstract emit(report: RunReport): void | Promise<void>;

  /** Write a report file (secrets scrubbed once more, whatever the format) and say where. */
  protected writeFile(name: string, content: string): string {
    const path = join(this.reportDir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, secrets.scrub(content));
    this.log(`wrote ${relative(process.cwd(), path) || path}`);
    return path;
  }
}
