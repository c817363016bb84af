/** report.json: the machine-readable record of a run (schema: reporters/report.schema.json). */
import { readFileSync } from 'node:fs';
import { RunReportReporter } from './base.js';
import type { RunReport } from './model.js';

export const JSON_REPORT_FILE = 'report.json';
export const REPORT_SCHEMA_FILE = 'report.schema.json';
export const REPORT_SCHEMA_TEXT = readFileSync(new URL('./report.schema.json', import.meta.url), 'utf8');

export function renderJson(report: RunReport): string {
  return `${JSON.stringify({ $schema: './report.schema.json', ...report }, null, 2)}\n`;
}

export class JsonReporter extends RunReportReporter {
  protected emit(report: RunReport): void {
    this.writeFile(JSON_REPORT_FILE, renderJson(report));
    // report.json names it in "$schema": next to it, editors and validators find it offline.
    this.writeFile(REPORT_SCHEMA_FILE, REPORT_SCHEMA_TEXT);
  }
}
