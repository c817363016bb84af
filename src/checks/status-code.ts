/** status-code: every status is documented for the operation, and the documented request succeeds. */
import { documented } from './basis.js';
import { meets } from './expectations.js';
import type { Check } from './types.js';

export const statusCode: Check = {
  name: 'status-code',
  title: 'Every status is documented for the operation; the documented request succeeds',
  severity: 'error',
  scope: 'operation',
  observes: ['documented', 'variant', 'replay', 'negative'],
  appliesTo: () => true,
  start(ctx) {
    const statuses = ctx.spec.documentedStatuses(ctx.operation);
    const seen: Record<string, number> = {};
    return {
      observe(result) {
        if (result.status === undefined) return;
        seen[result.status] = (seen[result.status] ?? 0) + 1;
        const expect = result.probe.expect;
        if (result.probe.kind === 'documented' && expect && !meets(expect, result.status)) {
          ctx.fail({
            message: `the documented request was answered ${result.status} (${result.probe.purpose})`,
            received: String(result.status),
            expected: `${expect.statuses.join(' or ')}: ${expect.reason}`,
            basis: expect.basis,
            result,
          });
        }
        if (statuses.includes(result.status)) return;
        ctx.fail({
          key: `undocumented ${result.status}`,
          message: `status ${result.status} is not documented for this operation (${result.probe.purpose})`,
          received: String(result.status),
          expected: `one of ${statuses.join(', ')}`,
          basis: documented(ctx.operation, 'responses'),
          result,
        });
      },
      conclude() {
        ctx.stat('statusesSeen', seen);
      },
    };
  },
};
