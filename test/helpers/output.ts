/** Captures what a command prints, for tests of the CLI in process. */
import type { Output } from '../../src/cli/output.js';

export function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}
