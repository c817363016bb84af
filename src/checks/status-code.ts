/** status-code: every status is documented for the operation, and the documented request succeeds. */
import { documentedStatuses } from '../spec/manifest.js';
import type { Check } from './types.js';

export const statusCode: Check = {
  name: 'status-code',
  title: 'Every status is documented for the operation; the documented request succeeds',
  severity: 'error',
  appliesTo: () => true,
  start(ctx) {
    const documented = documentedStatuses(ctx.operation);
    const reported = new Set<number>();
    const seen: Record<string, number> = {};
    return {
      observe(result) {
        if (result.status === undefined || result.probe.foreign) return;
        seen[result.status] = (seen[result.status] ?? 0) + 1;
        if (result.probe.owner === 'status-code' && result.probe.expect && !result.probe.expect.statuses.includes(result.status)) {
          ctx.fail({
            message: `the documented request was answered ${result.status} (${result.probe.purpose})`,
            received: String(result.status),
            expected: `${result.probe.expect.statuses.join(' or ')}: ${result.probe.expect.reason}`,
            result,
          });
        }
        if (documented.includes(result.status) || reported.has(result.status)) return;
        reported.add(result.status);
        ctx.fail({
          message: `status ${result.status} is not documented for this operation (${result.probe.purpose})`,
          received: String(result.status),
          expected: `one of ${documented.join(', ')}`,
          result,
        });
      },
      conclude() {
        ctx.stat('statusesSeen', seen);
      },
    };
  },
};
