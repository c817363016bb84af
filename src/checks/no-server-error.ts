/** no-server-error: whatever was sent, the target never answers 5xx. */
import type { Check } from './types.js';

export const noServerError: Check = {
  name: 'no-server-error',
  title: 'No request is answered with a 5xx',
  severity: 'error',
  appliesTo: () => true,
  start(ctx) {
    const reported = new Set<number>();
    return {
      observe(result) {
        if (result.status === undefined || result.status < 500 || reported.has(result.status)) return;
        reported.add(result.status);
        ctx.fail({
          message: `${result.probe.purpose}: answered ${result.status}`,
          received: String(result.status),
          expected: 'a 2xx or 4xx: no request should make the service fail',
          result,
        });
      },
    };
  },
};
