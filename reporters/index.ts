/** The report formats of `run --reporter`, by name. */
import type { Reporter } from 'vitest/node';
import type { ReporterOptions } from './base.js';
import { HtmlReporter } from './html.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import { MarkdownReporter } from './markdown.js';

export const REPORT_FORMATS = ['json', 'junit', 'md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const factories: Record<ReportFormat, (options: ReporterOptions) => Reporter> = {
  json: (options) => new JsonReporter(options),
  junit: (options) => new JunitReporter(options),
  md: (options) => new MarkdownReporter(options),
  html: (options) => new HtmlReporter(options),
};

export function reportersFor(formats: readonly string[], options: ReporterOptions): Reporter[] {
  return formats.flatMap((format) => {
    const create = factories[format as ReportFormat];
    return create ? [create(options)] : [];
  });
}
