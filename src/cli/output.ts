/** How the CLI talks: one place that prints, so tests can capture it and secrets are scrubbed. */
import { secrets } from '../client/redact.js';
import { isHarnessError } from '../errors.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${secrets.scrub(line)}\n`),
  err: (line) => process.stderr.write(`${secrets.scrub(line)}\n`),
};

/** Exit codes, documented in --help and the README. */
export const EXIT = { conformant: 0, violations: 1, usage: 2 } as const;

/** Print a harness error as `CODE: message` plus what to do; an unexpected error as an internal one. */
export function reportError(error: unknown, output: Output): number {
  if (isHarnessError(error)) {
    output.err(`error ${error.code}: ${error.message}`);
    if (error.hint) output.err(`  ${error.hint}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  output.err(`internal error: ${message}`);
  output.err('  This is a bug in upvest-conformance; set DEBUG=upvest-conformance for the stack trace and report it.');
  if (process.env.DEBUG?.includes('upvest-conformance') && error instanceof Error && error.stack) output.err(error.stack);
  return EXIT.usage;
}
