/** report.json: the machine-readable record of a run (schema: reporters/report.schema.json). */
import { RunReportReporter } from './base.js';
import type { RunReport } from './model.js';

export const JSON_REPORT_FILE = 'report.json';

export function renderJson(report: RunReport): string {
  return `${JSON.stringify({ $schema: './report.schema.json', ...report }, null, 2)}\n`;
}

export class JsonReporter extends RunReportReporter {
  protected emit(report: RunReport): void {
    this.writeFile(JSON_REPORT_FILE, renderJson(report));
  }
}
