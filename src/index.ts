/**
 * The programmatic API of upvest-conformance: run the checks against a target and get one
 * typed result; render or write its reports; the engine's events for progress of your own.
 */
export {
  type ConformanceOptions,
  type ConformanceSession,
  type ConformanceSettings,
  openConformance,
  runConformance,
} from './conformance.js';
export type { CheckOutcome, Failure, Severity, Basis, EnumObservation } from './checks/types.js';
export { renderFailure } from './checks/failure.js';
export { REGISTRY } from './checks/registry.js';
export type { RunEvent, RunEventHandler, PlannedGroup } from './engine/events.js';
export { type RunResult, type Verdict, type OperationSummary, exitCodeOf, REPORT_SCHEMA_VERSION } from './engine/result.js';
export { HARNESS_ERRORS, HarnessError, isHarnessError } from './errors.js';
export { writeReports, REPORT_FORMATS, type ReportFormat } from '../reporters/index.js';
export { renderSummary } from '../reporters/summary.js';
