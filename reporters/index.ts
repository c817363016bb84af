/** The report formats of `run --reporter`, by name. */
import type { Reporter } from 'vitest/node';
import type { ReporterOptions } from './base.js';
import { JsonReporter } from './json.js';

export const REPORT_FORMATS = ['json', 'junit', 'md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const factories: Partial<Record<ReportFormat, (options: ReporterOptions) => Reporter>> = {
  json: (options) => new JsonReporter(options),
};

export function reportersFor(formats: readonly string[], options: ReporterOptions): Reporter[] {
  return formats.flatMap((format) => {
    const create = factories[format as ReportFormat];
    return create ? [create(options)] : [];
  });
}
