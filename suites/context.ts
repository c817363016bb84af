/** What the CLI hands the suites (vitest `provide`) and what tests hand the reporters (task meta). */
import type { CheckOutcome } from '../src/checks/types.js';
import type { OperationReport } from '../src/engine/operation-runner.js';
import type { TargetDescription } from '../src/engine/target.js';

export type OperationSummary = Omit<OperationReport, 'outcomes' | 'created'>;

export interface UpvestTaskMeta {
  outcome: CheckOutcome;
  operation: OperationSummary;
}

declare module 'vitest' {
  export interface ProvidedContext {
    upvestTarget: TargetDescription;
  }
  export interface TaskMeta {
    upvest?: UpvestTaskMeta;
  }
}

export function summaryOf(report: OperationReport): OperationSummary {
  const { outcomes: _outcomes, created: _created, ...summary } = report;
  return summary;
}
