/** What every format shares: the rows of a report, and how target text with control characters is shown. */
import type { CheckOutcome } from '../src/checks/types.js';
import type { RunResult } from '../src/engine/result.js';

export interface CheckGroup {
  name: string;
  checks: CheckOutcome[];
  /** Set for operations; webhook groups have none. */
  operation?: RunResult['operations'][number];
}

/** "signing on (ecdsa-p521-sha512 by …)" or "signing off": the same words in every report. */
export function signingText(target: RunResult['target']): string {
  if (!target.signing) return 'signing off';
  return target.signer ? `signing on (${target.signer})` : 'signing on';
}

/** The verdict in words, upper case as the console and Markdown print it. */
export const VERDICT_TEXT: Record<RunResult['verdict'], string> = {
  conformant: 'CONFORMANT',
  violations: 'VIOLATIONS',
  unusable: 'TARGET UNUSABLE',
  incomplete: 'INCOMPLETE: THE TOOL FAILED',
};

/** Every outcome of the report, by operation, then webhook outcomes by event type: the rows of every format. */
export function checkGroups(report: RunResult): CheckGroup[] {
  const groups: CheckGroup[] = report.operations.map((operation) => ({ name: operation.operation, checks: operation.checks, operation }));
  const webhooks = new Map<string, CheckOutcome[]>();
  for (const outcome of report.webhooks?.outcomes ?? [])
    webhooks.set(outcome.operation, [...(webhooks.get(outcome.operation) ?? []), outcome]);
  for (const [name, checks] of webhooks) groups.push({ name, checks });
  return groups;
}

/** One row of the request coverage: what was sent to an operation, what came back. */
export interface RequestCoverageRow {
  operation: string;
  requests: number;
  /** Documented statuses seen, of those documented. */
  documentedSeen: number;
  documented: number;
  /** Statuses seen that the operation does not document. */
  undocumented: number[];
  /** Valid list-parameter combinations sent (list-combinations), when the operation lists. */
  combinations?: number;
  depth?: string;
}

/** Requests, statuses and list combinations per operation: the request side of coverage. */
export function requestCoverage(report: RunResult): RequestCoverageRow[] {
  return report.operations.map((op) => {
    const seen = Object.keys(op.statusesSeen).map(Number);
    const stats = op.checks.find((c) => c.check === 'list-combinations' && c.status !== 'skipped')?.stats;
    return {
      operation: op.operation,
      requests: op.probes,
      documentedSeen: op.documentedStatuses.filter((s) => seen.includes(s)).length,
      documented: op.documentedStatuses.length,
      undocumented: seen.filter((s) => !op.documentedStatuses.includes(s)).sort((a, b) => a - b),
      ...(typeof stats?.combinations === 'number' ? { combinations: stats.combinations } : {}),
      ...(typeof stats?.depth === 'string' ? { depth: stats.depth } : {}),
    };
  });
}

// Control characters (XML 1.0 cannot carry most of them even as references), U+FFFE/F and lone surrogates.
const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Target text may carry anything: such characters are shown as \uXXXX in every format. */
export function showControlCharacters(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
