/** report.json: the machine-readable record of a run (schema: reporters/report.schema.json). */
import { readFileSync } from 'node:fs';
import type { RunResult } from '../src/engine/result.js';

export const JSON_REPORT_FILE = 'report.json';
export const REPORT_SCHEMA_FILE = 'report.schema.json';
export const REPORT_SCHEMA_TEXT = readFileSync(new URL('./report.schema.json', import.meta.url), 'utf8');

export function renderJson(result: RunResult): string {
  return `${JSON.stringify({ $schema: './report.schema.json', ...result }, null, 2)}\n`;
}
