/** no-server-error: whatever was sent, the target never answers 5xx. */
import type { Check } from './types.js';

export const noServerError: Check = {
  name: 'no-server-error',
  title: 'No request is answered with a 5xx',
  severity: 'error',
  scope: 'operation',
  observes: ['documented', 'variant', 'replay', 'negative', 'foreign'],
  appliesTo: () => true,
  start(ctx) {
    return {
      observe(result) {
        if (result.status === undefined || result.status < 500) return;
        ctx.fail({
          key: String(result.status),
          message: `${result.probe.purpose}: answered ${result.status}`,
          received: String(result.status),
          expected: 'a 2xx or 4xx: no request should make the service fail',
          result,
        });
      },
    };
  },
};
