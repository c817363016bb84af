/** What the CLI hands the suites (vitest `provide`) and what tests hand the reporters (task meta). */
import type { CheckOutcome } from '../src/checks/types.js';
import type { OperationReport } from '../src/engine/operation-runner.js';
import type { TargetDescription } from '../src/engine/target.js';
import type { Baseline } from '../src/engine/baseline.js';

export type OperationSummary = Omit<OperationReport, 'outcomes' | 'created'>;

export interface UpvestTaskMeta {
  outcome: CheckOutcome;
  operation: OperationSummary;
}

/** What reporters need to know about a run: no secrets. */
export interface ReportContext {
  baseUrl: string;
  embeddedMock: boolean;
  signing: boolean;
  minEnumCoverage: number;
  baseline?: Baseline;
}

/** What the replay suite needs: the consumer and how to deliver to it. */
export interface ReplayDescription {
  to: string;
  mode: 'bundled' | 'single';
  batch: number;
  /** Event types to replay from the corpus (all when empty). */
  types: string[];
  cassette?: string;
  signingKeyPem?: string;
  signingKeyId?: string;
  /** Draft of the deliveries' signatures (default '6', as Upvest). */
  signatureVersion?: '15' | '6';
  expectSignatureVerification: boolean;
  timeoutMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    upvestTarget: TargetDescription;
    upvestReport: ReportContext;
    upvestReplay: ReplayDescription;
  }
  export interface TaskMeta {
    upvest?: UpvestTaskMeta;
  }
}

export function summaryOf(report: OperationReport): OperationSummary {
  const { outcomes: _outcomes, created: _created, ...summary } = report;
  return summary;
}

export function reportContextOf(target: TargetDescription): ReportContext {
  return {
    baseUrl: target.baseUrl,
    embeddedMock: target.embeddedMock,
    signing: Boolean(target.signingKey),
    minEnumCoverage: target.minEnumCoverage,
    ...(target.baseline ? { baseline: target.baseline } : {}),
  };
}
