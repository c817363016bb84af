/** Shared judgement of probes that carry an expectation: negative requests and their kin. */
import type { CheckContext, ProbeResult } from './types.js';

/** Fail when the probe got a status its expectation does not allow. Returns whether it matched. */
export function judge(ctx: Pick<CheckContext, 'fail'>, result: ProbeResult): boolean {
  const expect = result.probe.expect;
  if (!expect || result.status === undefined) return true;
  if (expect.statuses.includes(result.status)) return true;
  ctx.fail({
    message: `${result.probe.purpose}: answered ${result.status}`,
    received: `${result.status}${detailOf(result)}`,
    expected: `${expect.statuses.join(' or ')} (${expect.reason})`,
    ...(expect.basis ? { basis: expect.basis } : {}),
    result,
  });
  return false;
}

function detailOf(result: ProbeResult): string {
  const detail = (result.json as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? ` "${detail.slice(0, 120)}"` : '';
}
