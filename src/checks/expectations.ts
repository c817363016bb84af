/** Shared judgement of probes that carry an expectation: negative requests and their kin. */
import { scrubThenCut } from '../client/redact.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { CheckContext, Expectation, ProbeResult } from './types.js';

/** A 4xx that refuses a request: any client error but 429, which says "later", not "no". */
export function isRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 429;
}

/** Whether a status meets an expectation. */
export function meets(expect: Expectation, status: number): boolean {
  return expect.statuses.includes(status) || (expect.anyRefusal === true && isRefusal(status));
}

/** The documented refusals of a request that lacks what it needs (a required header): 400, 401, 403. */
export function documentedRefusals(operation: ManifestOperation): number[] {
  const documented = operation.responses.map((r) => Number(r.status));
  return [400, 401, 403].filter((s) => documented.includes(s));
}

/** Fail when the probe got a status its expectation does not allow. Returns whether it matched. */
export function judge(ctx: Pick<CheckContext, 'fail'>, result: ProbeResult): boolean {
  const expect = result.probe.expect;
  if (!expect || result.status === undefined) return true;
  if (meets(expect, result.status)) return true;
  const expected = expect.anyRefusal
    ? `a 4xx refusal${expect.statuses.length > 0 ? ` (documented: ${expect.statuses.join(', ')})` : ''}`
    : expect.statuses.join(' or ');
  ctx.fail({
    message: `${result.probe.purpose}: answered ${result.status}`,
    received: `${result.status}${detailOf(result)}`,
    expected: `${expected} (${expect.reason})`,
    basis: expect.basis,
    ...(expect.severity ? { severity: expect.severity } : {}),
    result,
  });
  return false;
}

function detailOf(result: ProbeResult): string {
  const detail = (result.json as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? ` "${scrubThenCut(detail, 120)}"` : '';
}
