/**
 * The report formats of `run --reporter` and `replay --reporter`, by name: each renders the
 * run's result to one file. Writing is one step after the run; a format that cannot be
 * rendered or written is reported, and the others are still written.
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { ReportDirError } from '../src/errors.js';
import { dirname, join, relative } from 'node:path';
import { secrets } from '../src/client/redact.js';
import { REPORTER_ERROR, type RunResult } from '../src/engine/result.js';
import { HTML_REPORT_FILE, renderHtml } from './html.js';
import { JSON_REPORT_FILE, REPORT_SCHEMA_FILE, REPORT_SCHEMA_TEXT, renderJson } from './json.js';
import { JUNIT_REPORT_FILE, renderJunit } from './junit.js';
import { MARKDOWN_REPORT_FILE, renderMarkdown } from './markdown.js';

export const REPORT_FORMATS = ['json', 'junit', 'md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Each format: the files it writes, rendered from the result. */
export const RENDERERS: Record<ReportFormat, (result: RunResult) => { name: string; content: string }[]> = {
  json: (result) => [
    { name: JSON_REPORT_FILE, content: renderJson(result) },
    // report.json names it in "$schema": next to it, editors and validators find it offline.
    { name: REPORT_SCHEMA_FILE, content: REPORT_SCHEMA_TEXT },
  ],
  junit: (result) => [{ name: JUNIT_REPORT_FILE, content: renderJunit(result) }],
  md: (result) => [{ name: MARKDOWN_REPORT_FILE, content: renderMarkdown(result) }],
  html: (result) => [{ name: HTML_REPORT_FILE, content: renderHtml(result) }],
};

export interface WriteOptions {
  /** Folder for report files (default "reports"). */
  reportDir?: string;
  formats?: readonly string[];
  /** Where "wrote …" lines go. */
  log?: (line: string) => void;
  /** Renderers to use instead of the built-in ones (tests inject a failing one). */
  renderers?: Partial<Record<string, (result: RunResult) => { name: string; content: string }[]>>;
}

/** Write the reports of a result; returns the paths written and the errors of the formats that failed. */
export function writeReports(
  result: RunResult,
  options: WriteOptions = {},
): { written: string[]; errors: { code: string; message: string }[] } {
  const dir = options.reportDir ?? 'reports';
  const renderers: Partial<Record<string, (result: RunResult) => { name: string; content: string }[]>> = {
    ...RENDERERS,
    ...options.renderers,
  };
  const written: string[] = [];
  const errors: { code: string; message: string }[] = [];
  for (const format of options.formats ?? REPORT_FORMATS) {
    const render = renderers[format];
    if (!render) continue;
    try {
      for (const file of render(result)) {
        const path = join(dir, file.name);
        mkdirSync(dirname(path), { recursive: true });
        // Scrubbed once more, whatever the format.
        writeFileSync(path, secrets.scrub(file.content));
        written.push(path);
        options.log?.(`wrote ${relative(process.cwd(), path) || path}`);
      }
    } catch (error) {
      errors.push({
        code: REPORTER_ERROR,
        message: secrets.scrub(`the ${format} report could not be written: ${(error as Error).message}`),
      });
    }
  }
  return { written, errors };
}

/**
 * Before a run: the report folder exists or can be created, and can be written to. Checked
 * first, so a run never ends "conformant" with its results lost for want of a folder.
 */
export function assertReportDirWritable(dir: string): void {
  const fail = (why: string, cause?: unknown) => new ReportDirError(`--report-dir ${dir}: ${why}`, { cause, details: { reportDir: dir } });
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(dir);
  } catch {
    stat = undefined;
  }
  if (stat && !stat.isDirectory()) throw fail('is a file, not a folder');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw fail(`cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, error);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw fail(`cannot be written to (${(error as NodeJS.ErrnoException).code ?? 'no permission'})`, error);
  }
}
