/** The exit codes of every command: an interface scripts depend on. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  conformant: every selected check passed (baseline entries excepted)
  1  violations: at least one check failed, or a gate (--min-enum-coverage, report diff) failed
  2  usage or configuration error, or the target is unreachable or unusable (the message says which)`;
